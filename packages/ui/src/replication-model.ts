/**
 * View-model of one partition's replication, and the adapter that builds it from an engine
 * snapshot (plus, when available, the trace). The snapshot gives each replica's
 * logStartOffset, log end offset and high watermark; record batches are not in the snapshot
 * yet, so the adapter rebuilds them from append/truncate trace events when it can and
 * otherwise draws one cell per offset with an unknown leader epoch (see SCOPE.md).
 *
 * Kafka's rules the model encodes:
 * - the leader's high watermark is the smallest LEO among the ISR, and only offsets below
 *   it are committed (visible to consumers, safe from truncation);
 * - a follower rejoins the ISR once its LEO reaches the leader's HW (Partition.isFollowerInSync);
 * - a follower leaves the ISR when it has not caught up with the leader's LEO for
 *   replica.lag.time.max.ms (KIP-537 made the default 30000 ms);
 * - acks=all requests wait in purgatory until the HW passes their last offset, and are
 *   refused with NOT_ENOUGH_REPLICAS while the ISR is smaller than min.insync.replicas.
 */
import type { BrokerSnapshot, ClusterSnapshot, PartitionSnapshot, TraceEvent } from '@kil/engine';

export type ReplicaRole = 'leader' | 'isr' | 'out-of-sync';

export interface BatchModel {
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** partitionLeaderEpoch of the batch; null when unknown. */
  readonly leaderEpoch: number | null;
  /** Below the leader's high watermark. */
  readonly committed: boolean;
  readonly transactional?: boolean;
  /** A transaction marker (control batch). */
  readonly control?: 'commit' | 'abort';
  /** On a follower: written in an epoch the leader's log disagrees with; truncation will remove it. */
  readonly divergent?: boolean;
}

export interface ReplicaLogModel {
  readonly brokerId: number;
  readonly role: ReplicaRole;
  readonly online: boolean;
  /** False when the broker is down and its log cannot be read (the snapshot reports -1). */
  readonly logKnown: boolean;
  readonly brokerState: BrokerSnapshot['state'] | 'unknown';
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  /** Only the leader knows the last stable offset; null on followers. */
  readonly lastStableOffset: number | null;
  readonly lastCaughtUpTimeMs: number | null;
  /** Why an out-of-sync replica is out of the ISR, or how an ISR follower is doing. */
  readonly lagReason: string | null;
  readonly batches: readonly BatchModel[];
}

export interface AcksWaitingModel {
  /** Offsets [fromOffset, toOffset) are written on the leader but not yet committed. */
  readonly fromOffset: number;
  readonly toOffset: number;
  /** ISR members whose LEO has not yet reached the leader's LEO. */
  readonly waitingOn: readonly number[];
}

export interface ReplicationModel {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly minInsyncReplicas: number;
  readonly lagTimeMaxMs: number;
  readonly nowMs: number;
  /** In assignment order, so rows do not jump when leadership moves. */
  readonly replicas: readonly ReplicaLogModel[];
  readonly acksWaiting: AcksWaitingModel | null;
  readonly underMinIsr: boolean;
}

export interface ReplicationAdapterOptions {
  readonly events?: readonly TraceEvent[];
  /** replica.lag.time.max.ms of the brokers (a broker config, so not in topic configs). */
  readonly lagTimeMaxMs?: number;
  /** How many offsets to synthesise cells for when batches cannot be rebuilt from events. */
  readonly windowRecordsMax?: number;
}

/** Kafka's default replica.lag.time.max.ms since 2.5 (KIP-537). */
export const defaultLagTimeMaxMs = 30_000;

export function findPartition(snapshot: ClusterSnapshot, topic: string, partition: number): PartitionSnapshot | null {
  const t = snapshot.topics.find((x) => x.name === topic);
  return t?.partitions.find((p) => p.partition === partition) ?? null;
}

export function replicaRole(p: Pick<PartitionSnapshot, 'leader' | 'isr'>, brokerId: number): ReplicaRole {
  if (p.leader === brokerId) return 'leader';
  return p.isr.includes(brokerId) ? 'isr' : 'out-of-sync';
}

function num(data: TraceEvent['data'], ...keys: string[]): number | null {
  for (const key of keys) {
    const v = data?.[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function numList(data: TraceEvent['data'], key: string): readonly number[] | null {
  const v = data?.[key];
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null;
}

type RawBatch = { baseOffset: number; lastOffset: number; leaderEpoch: number | null; transactional?: boolean; control?: 'commit' | 'abort' };

const appendTypes = new Set(['append', 'log-append', 'replica-append', 'produce', 'follower-append']);
// The engine's storage events arrive with a `log-` prefix (log-append, log-truncate, log-crash).
const truncateTypes = new Set(['truncate', 'log-truncate', 'follower-truncated', 'log-truncated', 'log-crash', 'log-recovery']);

/**
 * Rebuilds one replica's batches from append and truncate events of that broker, or null
 * when the trace has no append of this replica (then the caller synthesises cells).
 */
export function batchesFromEvents(events: readonly TraceEvent[], topic: string, partition: number, brokerId: number): RawBatch[] | null {
  const batches: RawBatch[] = [];
  let sawAppend = false;
  for (const e of events) {
    if (e.topic !== topic || e.partition !== partition || e.node !== brokerId) continue;
    if (appendTypes.has(e.type)) {
      const base = num(e.data, 'baseOffset');
      const last = num(e.data, 'lastOffset');
      if (base === null || last === null) continue;
      sawAppend = true;
      // Batches stay sorted by offset, so anything an append overwrites sits at the end.
      while ((batches[batches.length - 1]?.lastOffset ?? -1) >= base) batches.pop();
      const control = e.data?.control === 'commit' || e.data?.control === 'abort' ? e.data.control : undefined;
      batches.push({ baseOffset: base, lastOffset: last, leaderEpoch: num(e.data, 'partitionLeaderEpoch', 'leaderEpoch'), transactional: e.data?.transactional === true, ...(control ? { control } : {}) });
    } else if (truncateTypes.has(e.type)) {
      const to = num(e.data, 'logEndOffset', 'truncateOffset', 'offset');
      while (to !== null && (batches[batches.length - 1]?.lastOffset ?? -1) >= to) batches.pop();
    }
  }
  return sawAppend ? batches : null;
}

/**
 * Event batches replace the synthesised one-offset cells they cover; cells outside any known
 * batch stay, because the trace is bounded and may have dropped the oldest appends.
 */
function overlay(cells: readonly RawBatch[], known: readonly RawBatch[], fromOffset: number, toOffset: number): RawBatch[] {
  const inRange = known.filter((b) => b.lastOffset >= fromOffset && b.baseOffset < toOffset);
  const covered = (o: number) => inRange.some((b) => b.baseOffset <= o && o <= b.lastOffset);
  return [...inRange, ...cells.filter((c) => !covered(c.baseOffset))].sort((a, b) => a.baseOffset - b.baseOffset);
}

function synthesise(fromOffset: number, toOffset: number): RawBatch[] {
  const out: RawBatch[] = [];
  for (let o = fromOffset; o < toOffset; o++) out.push({ baseOffset: o, lastOffset: o, leaderEpoch: null });
  return out;
}

export function lagReason(args: {
  role: ReplicaRole;
  brokerId: number;
  brokerState: ReplicaLogModel['brokerState'];
  online: boolean;
  logEndOffset: number;
  leaderLogEndOffset: number;
  leaderHighWatermark: number;
  lastCaughtUpTimeMs: number | null;
  nowMs: number;
  lagTimeMaxMs: number;
  shrinkMessage: string | null;
}): string | null {
  const { role, brokerId, brokerState, logEndOffset, leaderLogEndOffset, leaderHighWatermark } = args;
  if (role === 'leader') return null;
  if (role === 'isr' && !args.online) {
    return `broker ${brokerId} is ${brokerState === 'unknown' ? 'offline' : brokerState} but still in the ISR: it was the last in-sync replica, so a clean election waits for it to return`;
  }
  if (role === 'isr') {
    const behind = leaderLogEndOffset - logEndOffset;
    return behind > 0 ? `fetching: ${behind} record${behind === 1 ? '' : 's'} behind the leader` : 'caught up with the leader';
  }
  if (brokerState === 'stopped' || brokerState === 'crashed') return `broker ${brokerId} is ${brokerState}, so it sends no fetch requests and left the ISR`;
  if (brokerState === 'fenced') return `broker ${brokerId} is fenced by the controller (shutting down or missing heartbeats), so it cannot be in the ISR`;
  if (!args.online) return `the replica on broker ${brokerId} is offline`;
  if (args.lastCaughtUpTimeMs !== null && args.nowMs - args.lastCaughtUpTimeMs > args.lagTimeMaxMs) {
    const lagMs = args.nowMs - args.lastCaughtUpTimeMs;
    return `not caught up for ${(lagMs / 1000).toFixed(1)} s, longer than replica.lag.time.max.ms (${args.lagTimeMaxMs} ms)`;
  }
  if (logEndOffset < leaderHighWatermark) return `catching up: LEO ${logEndOffset} is behind the leader's HW ${leaderHighWatermark}; it rejoins the ISR when it reaches it`;
  return args.shrinkMessage ?? 'caught up again; the leader will add it back to the ISR with its next AlterPartition';
}

function lastShrinkMessage(events: readonly TraceEvent[], topic: string, partition: number, brokerId: number): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    // ISR changes arrive as isr-shrunk, or inside a leader election that also drops replicas.
    if (!/isr-shrunk|leader-elected|partition-change|partition-offline/.test(e.type) || e.topic !== topic || e.partition !== partition) continue;
    const isr = numList(e.data, 'isr') ?? [];
    const removed = numList(e.data, 'removed') ?? numList(e.data, 'previousIsr')?.filter((id) => !isr.includes(id)) ?? null;
    if (removed === null ? e.type === 'isr-shrunk' : removed.includes(brokerId)) return e.message;
  }
  return null;
}

/** Marks follower batches whose epoch differs from the leader's batch at the same offset. */
function markBatches(raw: readonly RawBatch[], leaderRaw: readonly RawBatch[], isLeader: boolean, highWatermark: number): BatchModel[] {
  return raw.map((b) => {
    const peer = isLeader ? undefined : leaderRaw.find((l) => l.baseOffset <= b.baseOffset && b.baseOffset <= l.lastOffset);
    const divergent = peer !== undefined && b.leaderEpoch !== null && peer.leaderEpoch !== null && peer.leaderEpoch !== b.leaderEpoch;
    return { ...b, committed: b.lastOffset < highWatermark && !divergent, ...(divergent ? { divergent } : {}) };
  });
}

export function replicationModelFromSnapshot(snapshot: ClusterSnapshot, topic: string, partition: number, options: ReplicationAdapterOptions = {}): ReplicationModel | null {
  const p = findPartition(snapshot, topic, partition);
  if (!p) return null;
  const events = options.events ?? [];
  const lagTimeMaxMs = options.lagTimeMaxMs ?? defaultLagTimeMaxMs;
  const topicConfigs = snapshot.topics.find((t) => t.name === topic)?.configs ?? {};
  const minInsyncReplicas = Number(topicConfigs['min.insync.replicas'] ?? '1');
  const states = new Map(p.replicaStates.map((r) => [r.brokerId, r]));
  const leaderState = states.get(p.leader);
  const leaderLeo = leaderState?.logEndOffset ?? p.logEndOffset;
  const leaderHw = p.highWatermark;
  const windowMax = options.windowRecordsMax ?? 48;
  const maxLeo = Math.max(0, p.logEndOffset, ...p.replicaStates.map((r) => r.logEndOffset));
  const windowStart = Math.max(p.logStartOffset, maxLeo - windowMax);
  const rawOf = (id: number): RawBatch[] => {
    const r = states.get(id);
    const start = Math.max(r?.logStartOffset ?? p.logStartOffset, windowStart, 0);
    const end = Math.max(0, r?.logEndOffset ?? 0);
    return overlay(synthesise(start, end), batchesFromEvents(events, topic, partition, id) ?? [], start, end);
  };
  const leaderRaw = p.leader >= 0 ? rawOf(p.leader) : [];
  const replicas = p.replicas.map((id): ReplicaLogModel => {
    const r = states.get(id);
    const role = replicaRole(p, id);
    const brokerState = snapshot.brokers.find((b) => b.id === id)?.state ?? 'unknown';
    const online = (r?.online ?? false) && brokerState !== 'stopped' && brokerState !== 'crashed';
    const logKnown = r !== undefined && r.logEndOffset >= 0;
    const logEndOffset = logKnown ? r.logEndOffset : 0;
    const lastCaughtUpTimeMs = r?.lastCaughtUpTimeMs ?? null;
    const reason = lagReason({ role, brokerId: id, brokerState, online, logEndOffset, leaderLogEndOffset: leaderLeo, leaderHighWatermark: leaderHw, lastCaughtUpTimeMs, nowMs: snapshot.timeMs, lagTimeMaxMs, shrinkMessage: lastShrinkMessage(events, topic, partition, id) });
    return {
      brokerId: id,
      role,
      online,
      logKnown,
      brokerState,
      logStartOffset: logKnown ? r.logStartOffset : 0,
      logEndOffset,
      highWatermark: role === 'leader' ? leaderHw : logKnown ? r.highWatermark : 0,
      lastStableOffset: role === 'leader' ? p.lastStableOffset : null,
      lastCaughtUpTimeMs,
      lagReason: reason,
      batches: logKnown ? markBatches(id === p.leader ? leaderRaw : rawOf(id), leaderRaw, id === p.leader, leaderHw) : [],
    };
  });
  return { topic, partition, leader: p.leader, leaderEpoch: p.leaderEpoch, isr: p.isr, highWatermark: leaderHw, lastStableOffset: p.lastStableOffset, minInsyncReplicas, lagTimeMaxMs, nowMs: snapshot.timeMs, replicas, acksWaiting: acksWaiting(p, replicas, leaderLeo), underMinIsr: p.leader >= 0 && p.isr.length < minInsyncReplicas };
}

function acksWaiting(p: PartitionSnapshot, replicas: readonly ReplicaLogModel[], leaderLeo: number): AcksWaitingModel | null {
  if (p.leader < 0 || leaderLeo <= p.highWatermark) return null;
  const waitingOn = replicas.filter((r) => r.role === 'isr' && r.logEndOffset < leaderLeo).map((r) => r.brokerId);
  return { fromOffset: p.highWatermark, toOffset: leaderLeo, waitingOn };
}
