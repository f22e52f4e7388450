import { describe, expect, it } from 'vitest';
import { Cluster, runUntil, settle, type TraceEvent } from '@kil/engine';
import { RequestLifecycleView, requestsFromEvents, totalMs } from './RequestLifecycleView';
import { attr, count, render, subtree, tagWith, text } from './test-utils';

const completed = (seq: number, apiKey: string, stages: Record<string, number>): TraceEvent => ({ seq, timeMs: 1_000 + seq * 10, type: 'request-completed', node: 1, message: `${apiKey} done`, data: { apiKey, correlationId: seq, clientId: 'console-producer', ...stages } });

const events: TraceEvent[] = [
  completed(1, 'Produce', { requestQueueTimeMs: 1, localTimeMs: 2, remoteTimeMs: 12, responseQueueTimeMs: 1, responseSendTimeMs: 1 }),
  { seq: 2, timeMs: 1_020, type: 'isr-shrunk', message: 'unrelated' },
  completed(3, 'Fetch', { requestQueueTimeMs: 0, localTimeMs: 1, remoteTimeMs: 500, responseSendTimeMs: 2 }),
];

describe('RequestLifecycleView', () => {
  it('reads Kafka request metrics from completed-request events', () => {
    const requests = requestsFromEvents(events);
    expect(requests.map((r) => [r.apiKey, r.correlationId, totalMs(r)])).toEqual([
      ['Produce', 1, 17],
      ['Fetch', 3, 503],
    ]);
    expect(requests[0]!.startMs).toBe(1_010 - 17);
    expect(requestsFromEvents(events, { apiKey: 'Fetch' }).length).toBe(1);
  });

  it('draws one segment per non-empty stage, purgatory included', () => {
    const html = render(<RequestLifecycleView requests={requestsFromEvents(events)} />);
    const produce = subtree(html, 'data-testid', 'request-1');
    expect(count(produce, 'data-stage=')).toBe(5);
    expect(produce).toContain('data-stage="remote"');
    expect(produce).not.toContain('data-stage="throttle"');
    expect(attr(tagWith(html, 'data-testid', 'request-3'), 'data-total-ms')).toBe('503');
    expect(text(produce)).toContain('Produce #1 → broker 1');
    expect(text(html)).toContain('purgatory');
  });

  it('invites the learner to produce when there are no requests', () => {
    expect(render(<RequestLifecycleView requests={[]} />)).toContain('No requests yet');
  });

  it('follows a real produce request through the engine: I/O thread, purgatory, response', async () => {
    const cluster = new Cluster({ seed: 3 });
    await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
    await settle(cluster, cluster.admin.createTopics([{ name: 'orders', numPartitions: 1, replicationFactor: 3 }]));
    await settle(cluster, cluster.client.produce({ topic: 'orders', partition: 0, acks: 'all', records: [{ value: 'first' }] }));
    const [request] = requestsFromEvents(cluster.events(), { apiKey: 'Produce', topic: 'orders' });
    expect(request).toMatchObject({ apiKey: 'Produce', note: 'orders-0 · acks=all', brokerId: cluster.snapshot().topics[0]!.partitions[0]!.leader });
    expect(request!.stagesMs.local).toBeGreaterThan(0);
    expect(request!.stagesMs.remote).toBeGreaterThan(0);
    const row = subtree(render(<RequestLifecycleView requests={[request!]} />), 'data-testid', `request-${request!.correlationId}`);
    expect(row).toContain('data-stage="local"');
    expect(row).toContain('data-stage="remote"');
    expect(text(row)).toContain('acks=all');
    expect(requestsFromEvents(cluster.events(), { topic: 'elsewhere' })).toEqual([]);
  });
});
