/**
 * Geo-replication between two clusters (module 11): MirrorMaker 2 (KIP-382) renames topics
 * and translates offsets through offset syncs and checkpoints (KIP-545 for group offset
 * sync); a Cluster Linking-style mirror keeps offsets and bytes; the failover drill counts
 * lost and duplicated records, and the counts match a simple model of asynchronous
 * replication.
 */
import { describe, expect, it } from 'vitest';
import { runUntil, settle } from '../cluster/settle';
import { listBatches } from '../storage';
import { MultiCluster } from './multi-cluster';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function twoRegions(linkLatencyMs = 50) {
  const multi = new MultiCluster({ linkLatencyMs, primary: { seed: 5 }, secondary: { seed: 6 } });
  await runUntil(multi, () => multi.regions.every((r) => r.cluster.snapshot().brokers.every((b) => b.state === 'running')));
  await settle(multi, multi.primary.admin.createTopics([{ name: 'orders', numPartitions: 2, replicationFactor: 3 }]));
  return multi;
}

/** Produces `count` records to one partition with acks=all, one batch of ten at a time. */
async function produce(multi: MultiCluster, partition: number, from: number, count: number) {
  for (let i = from; i < from + count; i += 10) {
    const records = Array.from({ length: Math.min(10, from + count - i) }, (_, j) => ({ key: `k${i + j}`, value: `v${i + j}` }));
    const r = await settle(multi, multi.client(multi.primaryAlias).produce({ topic: 'orders', partition, acks: 'all', records }));
    expect(r.error).toBeNull();
  }
}

/**
 * Lets virtual time pass with the mirrors' loops running. (A bare advanceBy runs events
 * without letting promise continuations in between, so async loops would stall.)
 */
async function wait(multi: MultiCluster, ms: number) {
  await runUntil(multi, () => false, ms);
}

async function readAll(multi: MultiCluster, alias: string, topic: string, partition: number) {
  const r = await settle(multi, multi.region(alias).cluster.client.fetch({ topic, partition, fetchOffset: 0, maxWaitMs: 0, maxBytes: 10_000_000 }));
  return r;
}

describe('MultiCluster', () => {
  it('runs both clusters on one clock', async () => {
    const multi = await twoRegions();
    multi.advanceBy(1234);
    expect(multi.primary.nowMs()).toBe(multi.secondary.nowMs());
    expect(multi.primaryAlias).toBe('us-east');
    expect(multi.secondaryAlias).toBe('eu-west');
  });

  it('a region that is down refuses its clients', async () => {
    const multi = await twoRegions();
    multi.regionDown('us-east');
    await expect(multi.client('us-east').produce({ topic: 'orders', partition: 0, records: [{ value: 'x' }] })).rejects.toMatchObject({ errorName: 'NETWORK_EXCEPTION' });
    multi.regionUp('us-east');
    const ok = await settle(multi, multi.client('us-east').produce({ topic: 'orders', partition: 0, records: [{ value: 'x' }] }));
    expect(ok.error).toBeNull();
  });
});

describe('MirrorMaker 2 (KIP-382)', () => {
  it('copies records in order to <alias>.<topic>, with offset syncs and lag', async () => {
    const multi = await twoRegions();
    await produce(multi, 0, 0, 30);
    await produce(multi, 1, 0, 20);
    const mm2 = multi.startMirrorMaker({ topics: ['orders'], groups: ['billing'] });
    await runUntil(multi, () => mm2.status().partitions.every((p) => p.lag === 0 && p.sourceHighWatermark > 0), 20_000);
    const remote = multi.secondary.snapshot().topics.find((t) => t.name === 'us-east.orders');
    expect(remote?.partitions).toHaveLength(2);
    const p0 = await readAll(multi, 'eu-west', 'us-east.orders', 0);
    expect(p0.records.map((r) => text(r.value))).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`));
    expect(p0.records.map((r) => text(r.key))).toEqual(Array.from({ length: 30 }, (_, i) => `k${i}`));
    // Offset syncs live in the source cluster, checkpoints' topic in the target.
    expect(multi.primary.snapshot().topics.some((t) => t.name === 'mm2-offset-syncs.eu-west.internal')).toBe(true);
    expect(multi.secondary.snapshot().topics.some((t) => t.name === 'us-east.checkpoints.internal')).toBe(true);
    // New records flow with a lag of about one link latency.
    await produce(multi, 0, 30, 10);
    expect(mm2.status().partitions[0]!.lag).toBe(10);
    await runUntil(multi, () => mm2.status().partitions[0]!.lag === 0, 5_000);
    expect((await readAll(multi, 'eu-west', 'us-east.orders', 0)).highWatermark).toBe(40);
  });

  it('translates committed offsets conservatively: to the last sync at or below, plus one', async () => {
    const multi = await twoRegions();
    // The remote topic starts with 5 records of its own, so offsets differ between clusters.
    await settle(multi, multi.secondary.admin.createTopics([{ name: 'us-east.orders', numPartitions: 2, replicationFactor: 3 }]));
    await settle(multi, multi.secondary.client.produce({ topic: 'us-east.orders', partition: 0, records: Array.from({ length: 5 }, () => ({ value: 'local' })) }));
    await produce(multi, 0, 0, 250);
    const mm2 = multi.startMirrorMaker({ topics: ['orders'], groups: ['billing'], emitCheckpointsIntervalSeconds: 10 });
    await runUntil(multi, () => mm2.status().partitions[0]!.lag === 0 && mm2.status().partitions[0]!.sourceHighWatermark === 250, 20_000);
    // offset.lag.max=100: syncs at upstream 0, 101 and 202 (downstream 5, 106, 207).
    expect(mm2.translate('orders', 0, 0)).toBe(5);
    expect(mm2.translate('orders', 0, 101)).toBe(106);
    expect(mm2.translate('orders', 0, 150)).toBe(107);
    expect(mm2.translate('orders', 0, 249)).toBe(208);
    multi.commitOffset('us-east', 'billing', 'orders', 0, 150);
    await wait(multi, 10_000);
    const checkpoint = mm2.checkpoint('billing', 'us-east.orders', 0);
    expect(checkpoint).toMatchObject({ upstreamOffset: 150, downstreamOffset: 107 });
    // The checkpointed position never skips a record the group had not consumed.
    const upstreamAtCheckpoint = mm2.upstreamOf('orders', 0, checkpoint!.downstreamOffset)!;
    expect(upstreamAtCheckpoint).toBeLessThanOrEqual(150);
    expect(multi.events().some((e) => e.type === 'mirror-checkpoint')).toBe(true);
  });

  it('with sync.group.offsets.enabled commits translated offsets in the target (KIP-545)', async () => {
    const multi = await twoRegions();
    await produce(multi, 0, 0, 50);
    multi.commitOffset('us-east', 'billing', 'orders', 0, 50);
    multi.startMirrorMaker({ topics: ['orders'], groups: ['billing'], emitCheckpointsIntervalSeconds: 5, syncGroupOffsetsEnabled: true, syncGroupOffsetsIntervalSeconds: 5 });
    await runUntil(multi, () => multi.committedOffset('eu-west', 'billing', 'us-east.orders', 0) !== null, 30_000);
    // Sync at upstream 0 only (50 records < offset.lag.max), so 50 translates to 0 + 1.
    expect(multi.committedOffset('eu-west', 'billing', 'us-east.orders', 0)).toBe(1);
  });
});

describe('offset-preserving mirror topic', () => {
  it('copies batches byte for byte, keeping offsets, and is read-only until promoted', async () => {
    const multi = await twoRegions();
    await produce(multi, 0, 0, 25);
    const link = multi.mirrorTopic('orders', { groups: ['billing'] });
    await runUntil(multi, () => link.status().partitions[0]!.mirroredUpTo === 25, 20_000);
    // The mirror's own followers replicate the copied batches; then its high watermark moves.
    await runUntil(multi, () => multi.secondary.snapshot().topics.find((t) => t.name === 'orders')?.partitions[0]?.highWatermark === 25, 5_000);
    const source = await readAll(multi, 'us-east', 'orders', 0);
    const target = await readAll(multi, 'eu-west', 'orders', 0);
    expect(target.records.map((r) => [r.offset, text(r.value)])).toEqual(source.records.map((r) => [r.offset, text(r.value)]));
    // Same batches, same bytes (CRCs included).
    expect(Array.from(target.batches)).toEqual(Array.from(source.batches));
    const headers = (bytes: Uint8Array) => listBatches(bytes).map((b) => [b.baseOffset, b.crc, b.partitionLeaderEpoch]);
    expect(headers(target.batches)).toEqual(headers(source.batches));
    await expect(multi.client('eu-west').produce({ topic: 'orders', partition: 0, records: [{ value: 'no' }] })).rejects.toMatchObject({ errorName: 'INVALID_REQUEST' });
    link.promote();
    const written = await settle(multi, multi.client('eu-west').produce({ topic: 'orders', partition: 0, records: [{ value: 'yes' }] }));
    expect(written.baseOffset).toBe(25);
  });
});

describe('failover drill', () => {
  /**
   * The model: the primary acknowledged A records; the mirror copied the first M; the group
   * committed C on the primary and resumes at R (same offsets). Lost = A - M;
   * duplicated = min(C, M) - R.
   */
  it('MirrorMaker 2: lost = unmirrored tail, duplicated = committed minus translated checkpoint', async () => {
    const multi = await twoRegions(50);
    const mm2 = multi.startMirrorMaker({ topics: ['orders'], groups: ['billing'], emitCheckpointsIntervalSeconds: 60 });
    await produce(multi, 0, 0, 250);
    await runUntil(multi, () => mm2.status().partitions[0]!.lag === 0 && mm2.status().partitions[0]!.mirroredUpTo === 250, 20_000);
    multi.commitOffset('us-east', 'billing', 'orders', 0, 150);
    await wait(multi, 61_000);
    expect(mm2.checkpoint('billing', 'us-east.orders', 0)?.downstreamOffset).toBe(102);
    // 30 more records are acknowledged, and the region is lost before they cross the link.
    await produce(multi, 0, 250, 30);
    const report = await settle(multi, multi.failover({ group: 'billing', topic: 'orders' }));
    expect(report.mode).toBe('mm2');
    expect(report.targetTopic).toBe('us-east.orders');
    const p0 = report.partitions[0]!;
    expect(p0.acknowledged).toBe(280);
    expect(p0.mirroredUpTo).toBe(250);
    expect(p0.lost).toBe(30);
    expect(p0.resumeOffset).toBe(102);
    expect(p0.duplicated).toBe(150 - 102);
    expect(report.lost).toBe(30);
    expect(report.duplicated).toBe(48);
    expect(multi.committedOffset('eu-west', 'billing', 'us-east.orders', 0)).toBe(102);
    // Nothing more arrives once the primary is gone.
    await wait(multi, 5_000);
    expect((await readAll(multi, 'eu-west', 'us-east.orders', 0)).highWatermark).toBe(250);
  });

  it('mirror topic: offsets need no translation; duplicates come only from the offset sync interval', async () => {
    const multi = await twoRegions(50);
    const link = multi.mirrorTopic('orders', { groups: ['billing'], consumerOffsetSyncMs: 30_000 });
    await produce(multi, 0, 0, 100);
    multi.commitOffset('us-east', 'billing', 'orders', 0, 60);
    await runUntil(multi, () => multi.committedOffset('eu-west', 'billing', 'orders', 0) === 60, 40_000);
    // The group moves on after the last sync; then the region fails with 20 records in flight.
    multi.commitOffset('us-east', 'billing', 'orders', 0, 90);
    await produce(multi, 0, 100, 20);
    const report = await settle(multi, multi.failover({ group: 'billing', topic: 'orders', mode: 'link' }));
    expect(link.state).toBe('promoted');
    const p0 = report.partitions[0]!;
    expect(p0.acknowledged).toBe(120);
    expect(p0.mirroredUpTo).toBe(100);
    expect(report.lost).toBe(20);
    expect(p0.resumeOffset).toBe(60);
    expect(report.duplicated).toBe(30);
    expect(report.summary).toContain('20 acknowledged record(s)');
  });
});

describe('mirrors as simulator events', () => {
  it('keep copying through one long advanceBy, with no promise continuations in between', async () => {
    const multi = await twoRegions(50);
    const mm2 = multi.startMirrorMaker({ topics: ['orders'] });
    const link = multi.mirrorTopic('orders');
    // Let both flows start (creating their topics), then write 40 records.
    await runUntil(multi, () => mm2.state === 'running' && link.state === 'mirroring', 20_000);
    await produce(multi, 0, 0, 40);
    // One synchronous advance of a minute: every fetch, link hop and produce is an event.
    multi.advanceBy(60_000);
    expect(mm2.status().partitions[0]).toMatchObject({ sourceHighWatermark: 40, mirroredUpTo: 40, lag: 0, recordsCopied: 40 });
    expect(link.status().partitions[0]).toMatchObject({ sourceHighWatermark: 40, mirroredUpTo: 40, lag: 0 });
  });

  it('replays the same run from the same seeds (deterministic mirrors)', async () => {
    const run = async () => {
      const multi = await twoRegions(30);
      const mm2 = multi.startMirrorMaker({ topics: ['orders'] });
      await runUntil(multi, () => mm2.state === 'running', 20_000);
      await produce(multi, 1, 0, 25);
      multi.advanceBy(10_000);
      return multi.events().filter((e) => e.region === 'eu-west').map((e) => `${e.timeMs} ${e.type}`);
    };
    expect(await run()).toEqual(await run());
  });
});

describe('group offsets from the group coordinator', () => {
  it('checkpoints what a group committed through OffsetCommit, and failover commits the resume offsets in the secondary', async () => {
    const multi = await twoRegions(50);
    await produce(multi, 0, 0, 30);
    const mm2 = multi.startMirrorMaker({ topics: ['orders'], groups: ['billing'], emitCheckpointsIntervalSeconds: 5 });
    await runUntil(multi, () => mm2.status().partitions[0]!.mirroredUpTo === 30, 20_000);
    // A simple (generation -1) commit through the primary's group coordinator, as any client sends it.
    await settle(multi, multi.primary.admin.alterConsumerGroupOffsets('billing', [{ topic: 'orders', partition: 0, offset: 20 }]));
    expect(multi.committedOffset('us-east', 'billing', 'orders', 0)).toBe(20);
    await wait(multi, 6_000);
    expect(mm2.checkpoint('billing', 'us-east.orders', 0)).toMatchObject({ upstreamOffset: 20, downstreamOffset: 1 });
    const report = await settle(multi, multi.failover({ group: 'billing', topic: 'orders' }));
    expect(report.partitions[0]).toMatchObject({ resumeOffset: 1, duplicated: 19, lost: 0 });
    const offsets = await settle(multi, multi.secondary.admin.listConsumerGroupOffsets('billing'));
    expect(offsets.find((o) => o.topic === 'us-east.orders' && o.partition === 0)?.committedOffset).toBe(1);
    const done = multi.events().find((e) => e.type === 'failover-completed');
    expect(done?.data).toMatchObject({ mode: 'mm2', group: 'billing', lost: 0, duplicated: 19, targetTopic: 'us-east.orders' });
  });
});
