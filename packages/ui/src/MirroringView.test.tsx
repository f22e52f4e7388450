import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@kil/engine';
import { MirroringView, mirroringModelFromSnapshots } from './MirroringView';
import { healthySnapshot, snapshot } from './test-fixtures';
import { attr, count, render, tagWith, text } from './test-utils';

/** The target cluster holds `us.orders` with partition 0 mirrored up to 6 of the source's 10 committed records. */
const target: ClusterSnapshot = {
  ...healthySnapshot,
  clusterId: 'eu',
  topics: [{ ...healthySnapshot.topics[0]!, name: 'us.orders', partitions: [{ ...healthySnapshot.topics[0]!.partitions[0]!, topic: 'us.orders', highWatermark: 6 }] }],
};

describe('MirroringView', () => {
  it('renames topics with the default replication policy and counts lag in records', () => {
    const m = mirroringModelFromSnapshots(snapshot, target, { sourceAlias: 'us', targetAlias: 'eu' });
    expect(m.topics.map((t) => [t.sourceTopic, t.targetTopic, t.targetExists])).toEqual([['orders', 'us.orders', true]]);
    expect(m.topics[0]!.partitions.map((p) => [p.partition, p.sourceRecords, p.targetRecords, p.lagRecords])).toEqual([
      [0, 10, 6, 4],
      [1, 5, 0, 5],
      [2, 3, 0, 3],
    ]);
    const identity = mirroringModelFromSnapshots(snapshot, target, { sourceAlias: 'us', targetAlias: 'eu', replicationPolicy: 'identity' });
    expect(identity.topics[0]!.targetTopic).toBe('orders');
    expect(identity.topics[0]!.targetExists).toBe(false);
  });

  it('draws a flow per partition, marking the ones that lag', () => {
    const html = render(<MirroringView model={mirroringModelFromSnapshots(snapshot, target, { sourceAlias: 'us', targetAlias: 'eu' })} />);
    expect(count(html, 'data-mirror=')).toBe(3);
    expect(attr(tagWith(html, 'data-mirror', 'orders-0'), 'data-lag-records')).toBe('4');
    expect(text(html)).toContain('us.orders-0 · 6 records');
    expect(html).toMatch(/marker-end="url\(#kil-arrow-[\w-]+\)"/);
  });
});
