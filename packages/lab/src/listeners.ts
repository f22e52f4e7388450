/**
 * Kafka TCP listeners for a lab: one WireServer per broker, so that real clients (kcat,
 * kafkajs, a learner's own code) can talk to the lab's cluster over the Kafka protocol.
 *
 * States per broker: closed → listening (the broker runs) → closed (the broker stopped or
 * crashed: the port refuses connections, as a dead Kafka process does) → listening again on
 * the same port when the broker starts. The listener follows the broker's state through the
 * cluster's trace, so `broker stop 2` in the lab's terminal is what a client sees.
 *
 * Ports come from a bounded range (the first free port at or after the previous broker's),
 * or are ephemeral; listeners bind to 127.0.0.1 unless told otherwise, since a lab must not
 * be reachable from other machines by accident. Each broker advertises its own listener's
 * address in Metadata and FindCoordinator.
 */
import type { ClusterApi, TraceEvent } from '@kil/engine';
import { brokerHandlers, WireServer, type ListenerAddress, type RequestHandlers } from '@kil/wire';

export interface PortRange {
  readonly first: number;
  readonly last: number;
}

export interface KafkaListenerOptions {
  /** Interface to bind; defaults to 127.0.0.1. */
  readonly host?: string;
  /** Host clients are told to connect to; defaults to `host` (127.0.0.1 when binding 0.0.0.0). */
  readonly advertisedHost?: string;
  /** Ports to use, in broker id order; 'ephemeral' lets the OS pick. Default 'ephemeral'. */
  readonly ports?: PortRange | 'ephemeral';
  /** Wakes whatever drives the cluster after a request was handed to it. */
  readonly onWork?: () => void;
  /** Handler failures and bad input that closed a connection. */
  readonly onError?: (error: unknown, brokerId: number) => void;
  readonly socketRequestMaxBytes?: number;
}

/** Where a lab's listeners go unless told otherwise: clear of Kafka's own 9092. */
export const defaultLabListenerPorts: PortRange = { first: 19092, last: 19191 };

/** Trace events after which a broker's listener may have to open or close. */
const lifecycleEvents = new Set(['broker-stopped', 'node-crashed', 'node-started']);
/** How often (wall ms) to notice that the lab replaced its cluster (a reset). */
const clusterCheckMs = 250;

/**
 * A condition for fast-forwarding a fresh cluster until clients can use it: a controller is
 * active and every broker's own metadata lists every broker unfenced. (A broker's image lags
 * the controller's by a fetch, and clients believe whichever broker they ask first.)
 */
export function everyBrokerSeesEveryBroker(cluster: ClusterApi): () => boolean {
  let seen = false;
  return () => {
    const snapshot = cluster.snapshot();
    const ids = snapshot.brokers.map((b) => b.id);
    Promise.all(ids.map((id) => cluster.broker(id).metadata([]))).then(
      (views) => (seen = views.every((m) => m.brokers.length === ids.length)),
      () => (seen = false),
    );
    return seen && snapshot.activeControllerId !== null && snapshot.brokers.every((b) => b.state === 'running');
  };
}

export class ListenerPortsExhaustedError extends Error {
  override name = 'ListenerPortsExhaustedError';
  readonly errorName = 'LISTENER_NOT_FOUND';
  readonly suggestion = 'Free a port in the range, or give the lab a wider or different range.';
}

export class KafkaListeners {
  private readonly servers = new Map<number, WireServer>();
  private readonly ports = new Map<number, number>();
  private cluster: ClusterApi;
  private handlers = new Map<number, RequestHandlers>();
  private unsubscribe: () => void = () => undefined;
  private readonly clusterTimer: ReturnType<typeof setInterval>;
  private syncing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly getCluster: () => ClusterApi,
    private readonly options: KafkaListenerOptions,
  ) {
    this.cluster = getCluster();
    this.clusterTimer = setInterval(() => this.checkCluster(), clusterCheckMs);
    this.clusterTimer.unref?.();
  }

  /** Opens a listener for every running broker; rejects if the port range runs out. */
  static async start(cluster: ClusterApi | (() => ClusterApi), options: KafkaListenerOptions = {}): Promise<KafkaListeners> {
    const listeners = new KafkaListeners(typeof cluster === 'function' ? cluster : () => cluster, options);
    try {
      await listeners.bindAll();
    } catch (error) {
      await listeners.close();
      throw error;
    }
    listeners.follow();
    return listeners;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get advertisedHost(): string {
    return this.options.advertisedHost ?? (this.host === '0.0.0.0' ? '127.0.0.1' : this.host);
  }

  /** The address of a broker's listener (also while it is closed), or null if it never opened. */
  address(brokerId: number): ListenerAddress | null {
    const port = this.ports.get(brokerId);
    return port === undefined ? null : { host: this.advertisedHost, port };
  }

  /** Every broker's listener address, by broker id. */
  addresses(): Map<number, ListenerAddress> {
    return new Map([...this.ports].map(([id, port]) => [id, { host: this.advertisedHost, port }]));
  }

  /** `host:port,host:port` of the open listeners, for a client's bootstrap.servers. */
  bootstrapServers(): string {
    return [...this.servers.keys()]
      .sort((a, b) => a - b)
      .map((id) => `${this.advertisedHost}:${this.ports.get(id)}`)
      .join(',');
  }

  isListening(brokerId: number): boolean {
    return this.servers.has(brokerId);
  }

  /** Closes a broker's listener (its open connections drop); the port stays reserved for it. */
  async closeBroker(brokerId: number): Promise<void> {
    const server = this.servers.get(brokerId);
    this.servers.delete(brokerId);
    await server?.close();
  }

  /** Reopens a broker's listener on its port. */
  async openBroker(brokerId: number): Promise<void> {
    if (this.closed || this.servers.has(brokerId)) return;
    const port = this.ports.get(brokerId);
    await this.bind(brokerId, port === undefined ? this.candidatePorts(this.nextFirstPort()) : [port]);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.clusterTimer);
    this.unsubscribe();
    await this.syncing.catch(() => undefined);
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(servers.map((s) => s.close()));
  }

  // ---- binding ---------------------------------------------------------------------------

  private brokerIds(): number[] {
    return this.cluster
      .snapshot()
      .brokers.map((b) => b.id)
      .sort((a, b) => a - b);
  }

  private runningBrokerIds(): Set<number> {
    return new Set(
      this.cluster
        .snapshot()
        .brokers.filter((b) => b.state !== 'stopped' && b.state !== 'crashed')
        .map((b) => b.id),
    );
  }

  private async bindAll(): Promise<void> {
    const running = this.runningBrokerIds();
    for (const id of this.brokerIds()) {
      const ports = this.candidatePorts(this.nextFirstPort());
      const port = await this.bind(id, ports);
      // A stopped broker keeps its port reserved but does not listen.
      if (!running.has(id)) await this.closeBroker(id);
      this.ports.set(id, port);
    }
  }

  private nextFirstPort(): number {
    const range = this.options.ports ?? 'ephemeral';
    if (range === 'ephemeral') return 0;
    const used = [...this.ports.values()];
    return used.length === 0 ? range.first : Math.max(...used) + 1;
  }

  private candidatePorts(from: number): number[] {
    const range = this.options.ports ?? 'ephemeral';
    if (range === 'ephemeral') return [0];
    const out: number[] = [];
    for (let port = from; port <= range.last; port++) out.push(port);
    return out;
  }

  /** Binds the first free port of `ports`; returns the bound port. */
  private async bind(brokerId: number, ports: readonly number[]): Promise<number> {
    for (const port of ports) {
      const server = new WireServer({
        host: this.host,
        port,
        handlers: this.handlersFor(brokerId),
        ...(this.options.socketRequestMaxBytes !== undefined ? { socketRequestMaxBytes: this.options.socketRequestMaxBytes } : {}),
        onError: (error) => this.options.onError?.(error, brokerId),
      });
      try {
        const bound = await server.listen();
        this.servers.set(brokerId, server);
        this.ports.set(brokerId, bound.port);
        return bound.port;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      }
    }
    const range = this.options.ports;
    const where = range === undefined || range === 'ephemeral' ? 'an ephemeral port' : `a free port in ${range.first}-${range.last}`;
    throw new ListenerPortsExhaustedError(`No listener for broker ${brokerId}: could not bind ${where} on ${this.host}.`);
  }

  /**
   * Handlers that look the cluster up per request, so a lab reset (a new cluster object)
   * is served without rebinding ports.
   */
  private handlersFor(brokerId: number): RequestHandlers {
    const current = (): RequestHandlers => {
      let handlers = this.handlers.get(brokerId);
      if (handlers === undefined) {
        handlers = brokerHandlers({
          cluster: this.cluster,
          brokerId,
          advertised: (id) => this.address(id),
          ...(this.options.onWork !== undefined ? { onWork: this.options.onWork } : {}),
        });
        this.handlers.set(brokerId, handlers);
      }
      return handlers;
    };
    const delegating: Record<number, (request: never, context: never) => unknown> = {};
    for (const key of Object.keys(current()).map(Number)) {
      delegating[key] = (request, context) => {
        this.checkCluster();
        const handler = (current() as Record<number, (request: never, context: never) => unknown>)[key];
        return handler?.(request, context);
      };
    }
    return delegating as RequestHandlers;
  }

  // ---- following broker state ------------------------------------------------------------

  private follow(): void {
    this.unsubscribe();
    this.unsubscribe = this.cluster.onEvent((event: TraceEvent) => {
      // The event fires mid-step; the slot's final state is known once the step is over.
      if (lifecycleEvents.has(event.type)) setImmediate(() => this.sync());
    });
  }

  private checkCluster(): void {
    const cluster = this.getCluster();
    if (cluster === this.cluster || this.closed) return;
    this.cluster = cluster;
    this.handlers = new Map();
    this.follow();
    this.sync();
  }

  /** Opens listeners of running brokers and closes those of stopped ones, one sync at a time. */
  private sync(): void {
    this.syncing = this.syncing.then(async () => {
      if (this.closed) return;
      const running = this.runningBrokerIds();
      for (const id of this.brokerIds()) {
        if (running.has(id) && !this.servers.has(id)) await this.openBroker(id).catch((error) => this.options.onError?.(error, id));
        else if (!running.has(id) && this.servers.has(id)) await this.closeBroker(id);
      }
    });
  }
}
