import { describe, expect, it } from 'vitest';
import { ClusterView, partitionHealth } from './ClusterView';
import { orders0, snapshot } from './test-fixtures';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

describe('ClusterView', () => {
  const html = render(<ClusterView snapshot={snapshot} />);

  it('keeps the attributes the browser tests rely on', () => {
    expect(html).toContain('data-testid="cluster-view"');
    expect(count(html, 'data-testid="broker-')).toBe(3);
    expect(attr(tagWith(html, 'data-testid', 'broker-2'), 'data-state')).toBe('stopped');
    expect(attr(tagWith(html, 'data-replica', 'orders-0@2'), 'data-role')).toBe('out-of-sync');
    expect(attr(tagWith(html, 'data-replica', 'orders-0@1'), 'data-role')).toBe('leader');
    expect(attr(tagWith(html, 'data-replica', 'orders-0@3'), 'data-role')).toBe('isr');
  });

  it('marks under-replicated and offline partitions and hides internal topics', () => {
    expect(partitionHealth(orders0)).toBe('under-replicated');
    expect(attr(tagWith(html, 'data-partition', 'orders-2'), 'data-health')).toBe('offline');
    expect(text(subtree(html, 'data-partition', 'orders-2'))).toContain('(offline)');
    expect(html).not.toContain('data-partition="__consumer_offsets-0"');
    expect(render(<ClusterView snapshot={snapshot} showInternal />)).toContain('data-partition="__consumer_offsets-0"');
    expect(html).toContain('aria-label="Cluster view: 2 of 3 brokers running; 3 partitions, 2 under-replicated, 1 offline."');
  });

  it('draws the leader with its epoch and the quorum roles', () => {
    expect(text(subtree(html, 'data-replica', 'orders-0@1'))).toBe('leader · e3');
    expect(attr(tagWith(html, 'data-testid', 'controller-101'), 'data-role')).toBe('leader');
    expect(text(subtree(html, 'data-testid', 'controller-102'))).toContain('follower · epoch 4');
  });

  it('filters by topic and brokers and caps the rows', () => {
    const two = render(<ClusterView snapshot={snapshot} brokers={[1, 3]} partitionRowsMax={1} />);
    expect(count(two, 'data-testid="broker-')).toBe(2);
    expect(count(two, 'data-partition=')).toBe(1);
    expect(text(two)).toContain('and 2 more partitions');
    expect(count(render(<ClusterView snapshot={snapshot} topic="__consumer_offsets" />), 'data-partition=')).toBe(1);
  });

  it('turns nodes and partitions into buttons only when the host handles them', () => {
    expect(html).not.toContain(' role="button"');
    const interactive = render(<ClusterView snapshot={snapshot} onAction={() => undefined} onSelectPartition={() => undefined} selectedPartition={{ topic: 'orders', partition: 0 }} />);
    expect(count(interactive, ' role="button"')).toBe(3 + 3 + 3);
    expect(interactive).toContain('Activate to run: broker start 2');
    expect(interactive).toContain('Activate to run: broker stop 1');
    expect(interactive).toContain('Activate to run: controller stop 101');
    expect(attr(tagWith(interactive, 'data-partition', 'orders-0'), 'data-selected')).toBe('true');
    expect(interactive).toContain('role="group"');
  });

  it('draws a 6-broker, 100-partition cluster in full when asked', () => {
    const brokers = [1, 2, 3, 4, 5, 6].map((id) => ({ ...snapshot.brokers[0]!, id, state: 'running' as const }));
    const partitions = Array.from({ length: 100 }, (_, i) => {
      const replicas = [(i % 6) + 1, ((i + 1) % 6) + 1, ((i + 2) % 6) + 1];
      return { ...orders0, topic: 'load', partition: i, leader: replicas[0]!, replicas, isr: replicas, replicaStates: [] };
    });
    const big = { ...snapshot, brokers, topics: [{ ...snapshot.topics[0]!, name: 'load', partitions }] };
    const html = render(<ClusterView snapshot={big} partitionRowsMax={100} />);
    expect(count(html, 'data-partition=')).toBe(100);
    expect(count(html, 'data-replica=')).toBe(300);
    expect(count(html, ' data-role="leader"')).toBe(100 + 1);
    expect(count(html, 'data-health="healthy"')).toBe(100);
  });
});
