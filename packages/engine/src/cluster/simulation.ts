/**
 * A seeded fault simulation: a 3-broker, 3-controller cluster, a producer writing with
 * acks=all to a topic with replication factor 3 and min.insync.replicas=2, and a fault
 * schedule drawn from the seed (crash, stop and partition brokers and controllers; slow,
 * lossy and duplicating links; slow disks). The invariant checker runs after every event.
 *
 * Faults respect the premise of Kafka's guarantee: at most one broker is unhealthy at a
 * time, and a broker fault starts only when every partition has its full ISR, so the ISR is
 * never lost as a whole. Within that premise any loss of acknowledged data is a bug.
 *
 * With `workloads`, the run adds a consumer group that commits as it consumes, an
 * idempotent producer and a transactional producer whose successors fence it (see
 * workloads.ts for their invariants: no duplicates, monotonic committed offsets,
 * read_committed isolation and atomicity, zombie fencing). The internal topics then have
 * three partitions each, so a seed stays cheap; labs keep Kafka's default of 50.
 *
 * The same seed replays the same run: `runSimulation({ seed })`.
 */
import { Cluster } from './cluster';
import { InvariantChecker, leaderRecords } from './invariants';
import { CoordinatorWorkloads, TXN_TOPIC } from './workloads';
import { runUntil, settle } from './settle';
import { Prng } from '../sim/prng';

export interface SimulationOptions {
  readonly seed: number;
  /** Virtual time to run with faults; the cluster then heals and settles. Default 20 s. */
  readonly durationMs?: number;
  readonly partitions?: number;
  /** Time between produce requests. Default 40 ms. */
  readonly produceIntervalMs?: number;
  readonly faults?: boolean;
  /** Adds the group, idempotent and transactional workloads and their invariants. */
  readonly workloads?: boolean;
}

export interface SimulationResult {
  readonly seed: number;
  readonly violations: readonly string[];
  readonly acked: number;
  readonly failedProduces: number;
  readonly events: number;
  readonly faults: readonly string[];
  /** What the group and transaction workloads achieved (with `workloads`). */
  readonly workloadStats?: CoordinatorWorkloads['stats'];
}

const TOPIC = 'sim';

async function flush(): Promise<void> {
  for (let i = 0; i < 4; i++) await Promise.resolve();
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const { seed, durationMs = 20_000, partitions = 3, produceIntervalMs = 40 } = options;
  const coordinatorConfig: Record<string, string> = options.workloads === true ? { 'offsets.topic.num.partitions': '3', 'transaction.state.log.num.partitions': '3', 'group.initial.rebalance.delay.ms': '200' } : {};
  const cluster = new Cluster({ seed, config: { 'replica.lag.time.max.ms': '5000', ...coordinatorConfig } });
  const checker = new InvariantChecker(cluster);
  cluster.scheduler.afterEach = () => checker.checkStep();
  const prng = new Prng(seed ^ 0x5eed);
  const faults: string[] = [];
  let failedProduces = 0;
  let sequence = 0;

  await runUntil(cluster, () => cluster.snapshot().brokers.every((b) => b.state === 'running'), 30_000);
  await settle(cluster, cluster.admin.createTopics([{ name: TOPIC, numPartitions: partitions, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]));
  let workloads: CoordinatorWorkloads | null = null;
  if (options.workloads === true) {
    await settle(cluster, cluster.admin.createTopics([{ name: TXN_TOPIC, numPartitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]));
    workloads = new CoordinatorWorkloads(cluster, prng.fork(), TOPIC, partitions);
    workloads.start();
  }

  const end = cluster.nowMs() + durationMs;
  let nextProduceMs = cluster.nowMs();
  let nextFaultMs = cluster.nowMs() + 1_000 + prng.int(2_000);
  let healAtMs: number | null = null;
  while (cluster.nowMs() < end) {
    if (cluster.nowMs() >= nextProduceMs) {
      const value = `r${sequence++}`;
      const partition = prng.int(partitions);
      cluster.client
        .produce({ topic: TOPIC, partition, acks: 'all', timeoutMs: 2_000, deliveryTimeoutMs: 5_000, records: [{ value }] })
        .then((r) => {
          if (r.error === null) checker.acked.push({ topic: TOPIC, partition, offset: r.baseOffset, value });
          else failedProduces++;
        }, () => failedProduces++);
      nextProduceMs += produceIntervalMs;
    }
    if (options.faults !== false && healAtMs !== null && cluster.nowMs() >= healAtMs) {
      healAll(cluster);
      faults.push(`${cluster.nowMs()}: heal`);
      healAtMs = null;
      nextFaultMs = cluster.nowMs() + 2_000 + prng.int(3_000);
    } else if (options.faults !== false && healAtMs === null && cluster.nowMs() >= nextFaultMs && healthy(cluster)) {
      faults.push(`${cluster.nowMs()}: ${injectFault(cluster, prng)}`);
      healAtMs = cluster.nowMs() + 1_000 + prng.int(12_000);
    }
    cluster.advanceBy(10);
    await flush();
  }
  workloads?.stop();
  healAll(cluster);
  await runUntil(cluster, () => healthy(cluster), 60_000);
  cluster.advanceBy(2_000);
  await flush();
  checker.checkData();
  await workloads?.check((topic, partition) => leaderRecords(cluster, topic, partition));
  const violations = [...checker.violations, ...(workloads?.violations ?? [])];
  return { seed, violations, acked: checker.acked.length, failedProduces, events: cluster.scheduler.executed, faults, ...(workloads === null ? {} : { workloadStats: workloads.stats }) };
}

/** Every node runs and every partition has its full ISR. */
function healthy(cluster: Cluster): boolean {
  const snap = cluster.snapshot();
  return (
    snap.brokers.every((b) => b.state === 'running') &&
    snap.controllers.every((c) => c.state === 'running') &&
    snap.activeControllerId !== null &&
    snap.topics.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length && p.leader >= 0))
  );
}

function healAll(cluster: Cluster): void {
  cluster.faults.heal();
  for (const slot of cluster.slots.values()) {
    if (slot.diskDelayMs > 0) cluster.faults.slowDisk(slot.id, 0);
    if (slot.status !== 'running') cluster.faults.startNode(slot.id);
  }
}

function injectFault(cluster: Cluster, prng: Prng): string {
  const broker = prng.pick(cluster.brokerIds)!;
  const controller = prng.pick(cluster.voterIds)!;
  const others = [...cluster.brokerIds, ...cluster.voterIds].filter((id) => id !== broker);
  switch (prng.int(8)) {
    case 0:
      cluster.faults.crashNode(broker);
      return `crash broker ${broker}`;
    case 1:
      cluster.faults.stopNode(broker);
      return `stop broker ${broker}`;
    case 2:
      cluster.faults.partition([broker], others);
      return `isolate broker ${broker}`;
    case 3:
      cluster.faults.crashNode(controller);
      return `crash controller ${controller}`;
    case 4:
      cluster.faults.partition([controller], [...cluster.brokerIds, ...cluster.voterIds].filter((id) => id !== controller));
      return `isolate controller ${controller}`;
    case 5: {
      const to = prng.pick(others)!;
      cluster.faults.setLink(broker, to, { delayMs: prng.int(200), dropRate: prng.next() * 0.3, duplicateRate: prng.next() * 0.3 });
      return `lossy link ${broker} -> ${to}`;
    }
    case 6:
      cluster.faults.slowDisk(broker, 50 + prng.int(500));
      return `slow disk on broker ${broker}`;
    default:
      cluster.faults.partition([broker], others, { oneWay: true });
      return `one-way partition from broker ${broker}`;
  }
}
