import { describe, expect, it } from 'vitest';
import { MultiCluster, runUntil, settle, type ClusterSnapshot } from '@kil/engine';
import { MirroringView, mirroringModelFromSnapshots, mirroringModelsFromGeo } from './MirroringView';
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

describe('mirroring models of a two-cluster lab', () => {
  it('draws each real flow: MirrorMaker 2 renamed and caught up, a mirror topic under its own name', async () => {
    const multi = new MultiCluster({ linkLatencyMs: 20, primary: { seed: 3 }, secondary: { seed: 4 } });
    await runUntil(multi, () => multi.regions.every((r) => r.cluster.snapshot().brokers.every((b) => b.state === 'running')));
    await settle(multi, multi.primary.admin.createTopics([{ name: 'orders', numPartitions: 2, replicationFactor: 3 }, { name: 'carts', numPartitions: 1, replicationFactor: 3 }]));
    for (const topic of ['orders', 'carts']) await settle(multi, multi.primary.client.produce({ topic, partition: 0, records: [{ value: 'a' }, { value: 'b' }] }));
    const none = mirroringModelsFromGeo(multi.primary.snapshot(), { primaryAlias: 'us-east', alias: 'eu-west', snapshot: multi.secondary.snapshot(), mirrors: [] });
    expect(none[0]!.topics.find((t) => t.sourceTopic === 'orders')).toMatchObject({ targetTopic: 'us-east.orders', targetExists: false });
    multi.startMirrorMaker({ topics: ['orders'] });
    multi.mirrorTopic('carts');
    await runUntil(multi, () => multi.status().every((f) => f.state !== 'starting' && f.details.partitions.every((p) => p.lag === 0)), 30_000);
    await runUntil(multi, () => multi.secondary.snapshot().topics.find((t) => t.name === 'carts')?.partitions[0]?.highWatermark === 2, 10_000);
    const mirrors = [
      { mode: 'mm2' as const, source: 'us-east', target: 'eu-west', topics: [{ sourceTopic: 'orders', targetTopic: 'us-east.orders' }] },
      { mode: 'link' as const, source: 'us-east', target: 'eu-west', topics: [{ sourceTopic: 'carts', targetTopic: 'carts' }] },
    ];
    const [mm2, link] = mirroringModelsFromGeo(multi.primary.snapshot(), { primaryAlias: 'us-east', alias: 'eu-west', snapshot: multi.secondary.snapshot(), mirrors });
    expect(mm2!.topics.map((t) => [t.targetTopic, t.targetExists, t.partitions.map((p) => [p.sourceRecords, p.targetRecords, p.lagRecords])])).toEqual([['us-east.orders', true, [[2, 2, 0], [0, 0, 0]]]]);
    expect(link!.topics.map((t) => [t.targetTopic, t.partitions.map((p) => p.lagRecords)])).toEqual([['carts', [0]]]);
    const html = render(<MirroringView model={mm2!} />);
    expect(attr(tagWith(html, 'data-testid', 'mirroring-view'), 'aria-label')).toBe('Mirroring from us-east to eu-west');
  });
});
