/**
 * The brokers' scheduled log cleaner against Kafka's semantics: every replica (leader or
 * follower) cleans its own log every log.cleaner.backoff.ms, never the active segment; a
 * tombstone stays for delete.retention.ms after the pass that first cleaned it;
 * min.cleanable.dirty.ratio holds a log back until enough of it is dirty; topic configs
 * changed with kafka-configs reach the replicas' logs; log.cleaner.enable=false stops it.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { runUntil, settle } from '../cluster/settle';
import { decodeRecordBatch } from '../storage';
import type { TraceEvent } from '../cluster/api';

const topic = 'customers';
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function compacted(configs: Record<string, string> = {}, clusterConfig: Record<string, string> = {}) {
  const cluster = new Cluster({ seed: 51, config: clusterConfig });
  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'));
  const created = await settle(cluster, cluster.admin.createTopics([{ name: topic, numPartitions: 1, replicationFactor: 3, configs: { 'cleanup.policy': 'compact', 'segment.ms': '1000', ...configs } }]));
  expect(created[0]?.error).toBeNull();
  const p = cluster.snapshot().topics.find((t) => t.name === topic)!.partitions[0]!;
  return { cluster, leader: p.leader, replicas: p.replicas };
}

function produce(cluster: Cluster, key: string, value: string | null) {
  return settle(cluster, cluster.client.produce({ topic, partition: 0, acks: 'all', records: [{ key, value }] }));
}

/** Waits past segment.ms (1000) so that the next write rolls the active segment. */
async function produceAfterRoll(cluster: Cluster, key: string, value: string | null) {
  await settle(cluster, cluster.sleep(1_100));
  return produce(cluster, key, value);
}

/** `offset key=value` of every record a broker's replica holds, as kafka-dump-log would list them. */
function stored(cluster: Cluster, brokerId: number): string[] {
  const log = cluster.brokerNode(brokerId)!.replicaManager.get(topic, 0)!.log;
  const out: string[] = [];
  for (const seg of log.segmentObjects()) {
    seg.forEachBatch(0, (it) => {
      for (const r of decodeRecordBatch(it.bytes, undefined, it.position).records) out.push(`${r.offset} ${text(r.key)}=${text(r.value)}`);
    });
  }
  return out;
}

const cleans = (cluster: Cluster, node?: number): TraceEvent[] =>
  cluster.events().filter((e) => e.type === 'log-clean' && e.topic === topic && (node === undefined || e.node === node));

describe('the brokers run the log cleaner', () => {
  it('cleans every replica on its own, keeps the latest value of each key and never touches the active segment', async () => {
    const { cluster, replicas } = await compacted();
    for (const [k, v] of [['k1', 'a'], ['k2', 'a'], ['k1', 'b'], ['k1', 'c']] as const) await produce(cluster, k, v);
    await produceAfterRoll(cluster, 'k2', 'b');
    await produce(cluster, 'k2', 'c');
    expect(await runUntil(cluster, () => replicas.every((r) => cleans(cluster, r).length > 0), 20_000)).toBe(true);
    // The cleaned segment keeps k2=a (no later k2 in the dirty section it mapped) and k1=c;
    // the active segment keeps both of its k2 records.
    for (const r of replicas) expect(stored(cluster, r)).toEqual(['1 k2=a', '3 k1=c', '4 k2=b', '5 k2=c']);
    const first = cleans(cluster)[0]!;
    expect(first.data).toMatchObject({ fromOffset: 0, toOffset: 4, recordsBefore: 4, recordsAfter: 2, tombstonesRemoved: 0 });
    expect(Number(first.data?.['bytesAfter'])).toBeLessThan(Number(first.data?.['bytesBefore']));
    // Nothing new to clean: later wake-ups stay silent.
    await settle(cluster, cluster.sleep(60_000));
    expect(cleans(cluster)).toHaveLength(replicas.length);
  });

  it('wakes every log.cleaner.backoff.ms, and not before', async () => {
    const { cluster, leader } = await compacted({}, { 'log.cleaner.backoff.ms': '60000' });
    await produce(cluster, 'k', 'a');
    await produce(cluster, 'k', 'b');
    await produceAfterRoll(cluster, 'k', 'c');
    const rolledAtMs = cluster.nowMs();
    await settle(cluster, cluster.sleep(30_000));
    expect(cleans(cluster)).toEqual([]);
    expect(await runUntil(cluster, () => cleans(cluster, leader).length > 0, 60_000)).toBe(true);
    const at = cleans(cluster, leader)[0]!.timeMs;
    expect(at - rolledAtMs).toBeGreaterThan(30_000);
    expect(at - rolledAtMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps a tombstone for delete.retention.ms after the pass that first cleaned it, then removes it', async () => {
    const { cluster, leader } = await compacted({ 'delete.retention.ms': '20000' });
    await produce(cluster, 'bob', 'b1');
    await produce(cluster, 'alice', 'a1');
    await produce(cluster, 'bob', null);
    await produceAfterRoll(cluster, 'alice', 'a2');
    expect(await runUntil(cluster, () => cleans(cluster, leader).length > 0, 20_000)).toBe(true);
    const first = cleans(cluster, leader)[0]!;
    expect(first.data).toMatchObject({ tombstonesRemoved: 0 });
    expect(stored(cluster, leader)).toEqual(['1 alice=a1', '2 bob=null', '3 alice=a2']);

    // The next wake-up (15 s later) is before the delete horizon: the tombstone stays.
    await settle(cluster, cluster.sleep(16_000));
    expect(stored(cluster, leader)).toContain('2 bob=null');
    expect(await runUntil(cluster, () => cleans(cluster, leader).some((e) => Number(e.data?.['tombstonesRemoved']) > 0), 30_000)).toBe(true);
    const removal = cleans(cluster, leader).find((e) => Number(e.data?.['tombstonesRemoved']) > 0)!;
    expect(removal.timeMs - first.timeMs).toBeGreaterThanOrEqual(20_000);
    expect(stored(cluster, leader)).toEqual(['1 alice=a1', '3 alice=a2']);
  });

  it('waits for min.cleanable.dirty.ratio, and applies a ratio changed with kafka-configs', async () => {
    const { cluster, leader } = await compacted();
    // A large first segment of distinct keys, cleaned once (all dirty: ratio 1).
    for (let i = 0; i < 20; i++) await produce(cluster, `key-${i}`, 'v'.repeat(50));
    await produceAfterRoll(cluster, 'key-0', 'w');
    expect(await runUntil(cluster, () => cleans(cluster, leader).length === 1, 20_000)).toBe(true);
    // Then one small dirty segment: far below the default ratio of 0.5.
    await produceAfterRoll(cluster, 'key-1', 'w');
    await settle(cluster, cluster.sleep(45_000));
    expect(cleans(cluster, leader)).toHaveLength(1);
    expect(stored(cluster, leader)).toContain('0 key-0=' + 'v'.repeat(50));

    await settle(cluster, cluster.admin.incrementalAlterConfigs({ type: 'topic', name: topic }, [{ name: 'min.cleanable.dirty.ratio', value: '0.01' }]));
    expect(await runUntil(cluster, () => cleans(cluster, leader).length === 2, 20_000)).toBe(true);
    expect(Number(cleans(cluster, leader)[1]!.data?.['dirtyRatio'])).toBeLessThan(0.5);
    expect(stored(cluster, leader)).not.toContain('0 key-0=' + 'v'.repeat(50));
  });

  it('a follower that was down catches up from the cleaned leader, gaps included, then cleans on its own', async () => {
    const { cluster, leader, replicas } = await compacted();
    const follower = replicas.find((r) => r !== leader)!;
    cluster.faults.stopNode(follower);
    expect(await runUntil(cluster, () => cluster.snapshot().brokers.find((b) => b.id === follower)?.state === 'stopped', 20_000)).toBe(true);
    for (const [k, v] of [['k', 'a'], ['k', 'b'], ['k', 'c']] as const) await produce(cluster, k, v);
    await produceAfterRoll(cluster, 'other', 'x');
    expect(await runUntil(cluster, () => cleans(cluster, leader).length > 0, 20_000)).toBe(true);
    expect(cleans(cluster, follower)).toEqual([]);

    cluster.faults.startNode(follower);
    const caughtUp = () => cluster.brokerNode(follower)?.replicaManager.get(topic, 0)?.log.logEndOffset === 4;
    expect(await runUntil(cluster, caughtUp, 60_000)).toBe(true);
    // It fetched the leader's cleaned batches (offsets 0 and 1 are gaps) and holds the same records.
    expect(stored(cluster, leader)).toEqual(['2 k=c', '3 other=x']);
    expect(stored(cluster, follower)).toEqual(stored(cluster, leader));

    // New duplicates, a roll: the follower's own cleaner compacts its own copy.
    await produce(cluster, 'other', 'y');
    await produceAfterRoll(cluster, 'k', 'd');
    expect(await runUntil(cluster, () => cleans(cluster, follower).length > 0, 20_000)).toBe(true);
    expect(stored(cluster, follower)).toEqual(['2 k=c', '4 other=y', '5 k=d']);
    expect(stored(cluster, follower)).toEqual(stored(cluster, leader));
  });

  it('does not clean when log.cleaner.enable=false', async () => {
    const { cluster } = await compacted({}, { 'log.cleaner.enable': 'false' });
    await produce(cluster, 'k', 'a');
    await produce(cluster, 'k', 'b');
    await produceAfterRoll(cluster, 'k', 'c');
    await settle(cluster, cluster.sleep(60_000));
    expect(cleans(cluster)).toEqual([]);
  });
});
