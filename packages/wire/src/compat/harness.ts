/**
 * Test support for the compatibility tests: an engine cluster driven from the wall clock,
 * with one Kafka listener per broker on an ephemeral 127.0.0.1 port, so that real clients
 * (kafkajs in-process, kcat as a child process) can talk to it.
 *
 * The wire package may not import the lab (where the product's RealTimeScheduler lives), so
 * this keeps its own small driver: virtual time follows wall time; the driver sleeps until
 * the cluster's next event, and a request handed to the engine wakes it early.
 */
import { performance } from 'node:perf_hooks';
import { Cluster, runUntil, settle, type ClusterOptions, type NewTopic } from '@kil/engine';
import { brokerHandlers } from '../broker';
import { WireServer } from '../server/server';

/** Fast-forward condition: a controller is active and every broker's metadata lists every broker. */
function everyBrokerSeesEveryBroker(cluster: Cluster): () => boolean {
  let seen = false;
  return () => {
    const ids = cluster.brokerIds;
    Promise.all(ids.map((id) => cluster.broker(id).metadata([]))).then(
      (views) => (seen = views.every((m) => m.brokers.length === ids.length)),
      () => (seen = false),
    );
    return seen && cluster.snapshot().activeControllerId !== null;
  };
}

/** Wall-clock driver: the smallest real-time scheduler that serves a cluster to clients. */
export class WallClockDriver {
  private readonly anchorWallMs = performance.now();
  private readonly anchorVirtualMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private stopped = false;

  constructor(private readonly cluster: Cluster) {
    this.anchorVirtualMs = cluster.nowMs();
    this.wake();
  }

  /** Work was injected: advance to now and re-plan the next wake-up (coalesced per turn). */
  poke(): void {
    if (this.stopped || this.immediate !== null) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.wake();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
  }

  private wake(): void {
    if (this.stopped) return;
    const target = Math.floor(this.anchorVirtualMs + performance.now() - this.anchorWallMs);
    if (target > this.cluster.nowMs()) this.cluster.advanceTo(target);
    if (this.timer !== null) clearTimeout(this.timer);
    const next = this.cluster.nextEventTimeMs();
    const waitMs = next === null ? 1_000 : Math.min(1_000, Math.max(0, next - this.cluster.nowMs()));
    this.timer = setTimeout(() => this.wake(), waitMs);
  }
}

export interface CompatClusterOptions extends ClusterOptions {
  readonly topics?: readonly NewTopic[];
}

export class CompatCluster {
  readonly servers = new Map<number, WireServer>();
  readonly ports = new Map<number, number>();
  readonly errors: unknown[] = [];

  private constructor(
    readonly cluster: Cluster,
    readonly driver: WallClockDriver,
  ) {}

  static async start(options: CompatClusterOptions = {}): Promise<CompatCluster> {
    const cluster = new Cluster({ seed: 7, ...options });
    if (!(await runUntil(cluster, everyBrokerSeesEveryBroker(cluster), 60_000))) throw new Error('the cluster did not start within 60 s of virtual time');
    if (options.topics !== undefined && options.topics.length > 0) {
      for (const result of await settle(cluster, cluster.admin.createTopics(options.topics))) if (result.error !== null) throw result.error;
      await runUntil(cluster, () => cluster.snapshot().topics.every((t) => t.partitions.every((p) => p.leader !== -1)), 60_000);
    }
    const compat = new CompatCluster(cluster, new WallClockDriver(cluster));
    for (const id of cluster.brokerIds) await compat.listen(id);
    return compat;
  }

  /** `127.0.0.1:port,...` of the open listeners. */
  bootstrap(): string {
    return [...this.servers.keys()].map((id) => `127.0.0.1:${this.ports.get(id)}`).join(',');
  }

  async listen(brokerId: number): Promise<void> {
    const server = new WireServer({
      port: this.ports.get(brokerId) ?? 0,
      handlers: brokerHandlers({
        cluster: this.cluster,
        brokerId,
        advertised: (id) => {
          const port = this.ports.get(id);
          return port === undefined ? null : { host: '127.0.0.1', port };
        },
        onWork: () => this.driver.poke(),
      }),
      onError: (error) => this.errors.push(error),
    });
    const { port } = await server.listen();
    this.ports.set(brokerId, port);
    this.servers.set(brokerId, server);
  }

  /** Closes the broker's listener and stops its node (controlled shutdown), as `kill` would. */
  async stopBroker(brokerId: number): Promise<void> {
    const server = this.servers.get(brokerId);
    this.servers.delete(brokerId);
    await server?.close();
    this.cluster.faults.stopNode(brokerId);
    this.driver.poke();
  }

  async startBroker(brokerId: number): Promise<void> {
    this.cluster.faults.startNode(brokerId);
    this.driver.poke();
    await this.listen(brokerId);
  }

  async close(): Promise<void> {
    this.driver.stop();
    await Promise.all([...this.servers.values()].map((s) => s.close()));
    this.servers.clear();
  }
}
