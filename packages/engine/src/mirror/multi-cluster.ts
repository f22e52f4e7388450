/**
 * Two clusters in two regions ("us-east" and "eu-west" by default) on one virtual clock,
 * joined by a wide-area link with a configurable one-way latency. Geo-replication (module
 * 11) runs across that link: a MirrorMaker 2-style flow (mm2.ts) or a Cluster
 * Linking-style mirror topic (linked-topic.ts), and a failover drill (failover.ts).
 *
 * Clock: each cluster keeps its own discrete-event scheduler; `advanceTo` interleaves them
 * event by event and leaves both clocks at the same time after every step, so anything
 * scheduled on either cluster happens at the right virtual time. Drive the pair through the
 * MultiCluster (or `settle`/`runUntil`, which accept it), never one cluster alone.
 *
 * Regions: `regionDown(alias)` isolates a region, as losing a data centre's uplink would.
 * Its cluster keeps running inside (nothing it acknowledged is destroyed), but the link and
 * the region's clients are cut: mirrors stop copying and `client(alias)` refuses with
 * NETWORK_EXCEPTION. `regionUp` restores it.
 *
 * Consumer group offsets: each region keeps a `GroupOffsetStore` that the mirrors read and
 * write (see SCOPE.md). It follows the region's group coordinators: every OffsetCommit they
 * accept (trace event `offset-committed`) lands in it too, so a group consuming with any
 * client is checkpointed. It has Kafka's shape: committed offsets per group and partition.
 *
 * Mirrors step in scheduled simulator events (`schedule`, on the primary's scheduler), so
 * they advance under any driver of the clock.
 */
import { KafkaError } from '../errors';
import { Cluster } from '../cluster/cluster';
import type { ClientApi, ClusterOptions, ProduceRequest, ProduceResponse, TraceEvent } from '../cluster/api';
import { MirrorMaker2, type MirrorMakerOptions, type MirrorMakerStatus } from './mm2';
import { LinkedTopic, type LinkedTopicOptions, type LinkedTopicStatus } from './linked-topic';
import { runFailover, type FailoverOptions, type FailoverReport } from './failover';

export interface RegionOptions extends ClusterOptions {
  /** The cluster alias, used in remote topic names (`us-east.orders`). */
  readonly alias?: string;
}

export interface MultiClusterOptions {
  readonly primary?: RegionOptions;
  readonly secondary?: RegionOptions;
  /** One-way latency of the link between the regions, in virtual ms. Default 40. */
  readonly linkLatencyMs?: number;
}

/** Committed consumer offsets of one region: group → `topic-partition` → offset. */
export class GroupOffsetStore {
  private readonly groups = new Map<string, Map<string, number>>();
  /** Groups with members connected in this region (offset sync skips them, KIP-545). */
  readonly activeGroups = new Set<string>();

  commit(group: string, topic: string, partition: number, offset: number): void {
    let offsets = this.groups.get(group);
    if (offsets === undefined) this.groups.set(group, (offsets = new Map()));
    offsets.set(`${topic}\u0000${partition}`, offset);
  }

  committed(group: string, topic: string, partition: number): number | null {
    return this.groups.get(group)?.get(`${topic}\u0000${partition}`) ?? null;
  }

  /** Every committed offset of a group, as [topic, partition, offset]. */
  list(group: string): [string, number, number][] {
    return [...(this.groups.get(group) ?? new Map<string, number>())].map(([key, offset]) => {
      const [topic, partition] = key.split('\u0000');
      return [topic!, Number(partition), offset];
    });
  }

  groupIds(): string[] {
    return [...this.groups.keys()].sort();
  }
}

/** Copies the offsets of an `offset-committed` trace event into a region's store. */
function followCommit(store: GroupOffsetStore, event: TraceEvent): void {
  if (event.type !== 'offset-committed') return;
  const group = event.data?.['groupId'];
  const topics = event.data?.['offsets'];
  if (typeof group !== 'string' || !Array.isArray(topics)) return;
  for (const t of topics as { name?: unknown; partitions?: { partitionIndex?: unknown; committedOffset?: unknown }[] }[]) {
    for (const p of t.partitions ?? []) {
      if (typeof t.name === 'string' && typeof p.partitionIndex === 'number' && typeof p.committedOffset === 'number') store.commit(group, t.name, p.partitionIndex, p.committedOffset);
    }
  }
}

export interface RegionState {
  readonly alias: string;
  readonly cluster: Cluster;
  readonly offsets: GroupOffsetStore;
  up: boolean;
}

export interface MirrorStatus {
  readonly mode: 'mm2' | 'link';
  readonly flow: string;
  readonly state: string;
  readonly details: MirrorMakerStatus | LinkedTopicStatus;
}

export class MultiCluster {
  readonly primary: Cluster;
  readonly secondary: Cluster;
  readonly regions: readonly [RegionState, RegionState];
  linkLatencyMs: number;
  private readonly mirrorMakers: MirrorMaker2[] = [];
  private readonly linkedTopics: LinkedTopic[] = [];

  constructor(options: MultiClusterOptions = {}) {
    const { alias: a = 'us-east', ...primary } = options.primary ?? {};
    const { alias: b = 'eu-west', ...secondary } = options.secondary ?? {};
    if (a === b) throw new KafkaError('INVALID_REQUEST', `Both regions are called ${a}.`, 'Give the two clusters different aliases.');
    this.primary = new Cluster({ seed: 1, ...primary });
    this.secondary = new Cluster({ seed: (primary.seed ?? 1) + 1, ...secondary });
    this.regions = [
      { alias: a, cluster: this.primary, offsets: new GroupOffsetStore(), up: true },
      { alias: b, cluster: this.secondary, offsets: new GroupOffsetStore(), up: true },
    ];
    this.linkLatencyMs = options.linkLatencyMs ?? 40;
    for (const region of this.regions) region.cluster.onEvent((event) => followCommit(region.offsets, event));
  }

  /** Runs `action` after `delayMs` of virtual time, in the simulation (the mirrors' steps). */
  schedule(delayMs: number, action: () => void): void {
    this.primary.schedule(delayMs, action);
  }

  get primaryAlias(): string {
    return this.regions[0].alias;
  }

  get secondaryAlias(): string {
    return this.regions[1].alias;
  }

  region(alias: string): RegionState {
    const found = this.regions.find((r) => r.alias === alias);
    if (found === undefined) throw new KafkaError('INVALID_REQUEST', `There is no region ${alias}.`, `Regions are ${this.regions.map((r) => r.alias).join(' and ')}.`);
    return found;
  }

  other(alias: string): RegionState {
    return this.regions[0].alias === alias ? this.regions[1] : this.regions[0];
  }

  // ---- one clock ----------------------------------------------------------------------

  nowMs(): number {
    return Math.max(this.primary.nowMs(), this.secondary.nowMs());
  }

  nextEventTimeMs(): number | null {
    const times = [this.primary.nextEventTimeMs(), this.secondary.nextEventTimeMs()].filter((t): t is number => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  }

  /** Runs both clusters' events in time order up to `timeMs`, keeping their clocks equal. */
  advanceTo(timeMs: number): void {
    for (;;) {
      const next = this.nextEventTimeMs();
      if (next === null || next > timeMs) break;
      this.primary.advanceTo(next);
      this.secondary.advanceTo(next);
    }
    this.primary.advanceTo(timeMs);
    this.secondary.advanceTo(timeMs);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.nowMs() + ms);
  }

  /** Resolves after `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.primary.schedule(ms, resolve));
  }

  // ---- regions --------------------------------------------------------------------------

  isUp(alias: string): boolean {
    return this.region(alias).up;
  }

  /** Both regions up: the link can carry data. */
  linkUp(): boolean {
    return this.regions.every((r) => r.up);
  }

  regionDown(alias: string): void {
    const region = this.region(alias);
    if (!region.up) return;
    region.up = false;
    this.emitBoth({ type: 'region-down', message: `Region ${alias} is down: nothing outside can reach its cluster any more. Mirrors stop copying; whatever they had not copied is out of reach.`, data: { region: alias } });
  }

  regionUp(alias: string): void {
    const region = this.region(alias);
    if (region.up) return;
    region.up = true;
    this.emitBoth({ type: 'region-up', message: `Region ${alias} is reachable again; mirrors that still run resume copying.`, data: { region: alias } });
  }

  /** The region's in-lab client, refusing with NETWORK_EXCEPTION while the region is down. */
  client(alias: string): ClientApi {
    const region = this.region(alias);
    const guard = <T>(call: () => Promise<T>): Promise<T> =>
      region.up ? call() : Promise.reject(new KafkaError('NETWORK_EXCEPTION', `Region ${alias} is down: its brokers cannot be reached.`, `Bring it back with \`region up ${alias}\` or fail over to ${this.other(alias).alias}.`));
    const client = region.cluster.client;
    return {
      ...client,
      produce: (request) => guard(() => this.produceChecked(alias, request)),
      fetch: (request) => guard(() => client.fetch(request)),
      listOffsets: (request) => guard(() => client.listOffsets(request)),
    };
  }

  /** Produce that refuses writes to a mirror topic while it mirrors (it is read-only). */
  private produceChecked(alias: string, request: ProduceRequest & { readonly deliveryTimeoutMs?: number }): Promise<ProduceResponse> {
    const mirror = this.linkedTopics.find((l) => l.targetAlias === alias && l.topic === request.topic && l.state === 'mirroring');
    if (mirror !== undefined) {
      return Promise.reject(new KafkaError('INVALID_REQUEST', `Topic ${request.topic} in ${alias} is a mirror topic and read-only while it mirrors ${mirror.sourceAlias}.`, `Promote it first with \`mirror failover --mode link --topic ${request.topic}\`.`));
    }
    return this.region(alias).cluster.client.produce(request);
  }

  /** Commits a consumer group offset in a region (what a consumer's OffsetCommit does). */
  commitOffset(alias: string, group: string, topic: string, partition: number, offset: number): void {
    this.region(alias).offsets.commit(group, topic, partition, offset);
  }

  committedOffset(alias: string, group: string, topic: string, partition: number): number | null {
    return this.region(alias).offsets.committed(group, topic, partition);
  }

  // ---- mirrors ----------------------------------------------------------------------------

  /** Starts a MirrorMaker 2 flow (default primary → secondary). */
  startMirrorMaker(options: MirrorMakerOptions & { readonly source?: string }): MirrorMaker2 {
    const source = this.region(options.source ?? this.primaryAlias);
    const mm2 = new MirrorMaker2(this, source, this.other(source.alias), options);
    this.mirrorMakers.push(mm2);
    mm2.start();
    return mm2;
  }

  /** Creates a mirror topic in the other region that copies `topic` byte for byte, keeping offsets. */
  mirrorTopic(topic: string, options: LinkedTopicOptions & { readonly source?: string } = {}): LinkedTopic {
    const source = this.region(options.source ?? this.primaryAlias);
    const linked = new LinkedTopic(this, source, this.other(source.alias), topic, options);
    this.linkedTopics.push(linked);
    linked.start();
    return linked;
  }

  /** The failover drill: fail `group` over to the secondary region and account for loss and duplicates. */
  failover(options: FailoverOptions): Promise<FailoverReport> {
    return runFailover(this, options);
  }

  mirrors(): { readonly mirrorMakers: readonly MirrorMaker2[]; readonly linkedTopics: readonly LinkedTopic[] } {
    return { mirrorMakers: this.mirrorMakers, linkedTopics: this.linkedTopics };
  }

  /** What `mirror status` prints: one entry per flow. */
  status(): MirrorStatus[] {
    return [
      ...this.mirrorMakers.map((m): MirrorStatus => ({ mode: 'mm2', flow: `${m.sourceAlias}->${m.targetAlias}`, state: m.state, details: m.status() })),
      ...this.linkedTopics.map((l): MirrorStatus => ({ mode: 'link', flow: `${l.sourceAlias}->${l.targetAlias}`, state: l.state, details: l.status() })),
    ];
  }

  /** Trace events of both clusters, merged by time, each tagged with its region. */
  events(): (TraceEvent & { readonly region: string })[] {
    const all = this.regions.flatMap((r) => r.cluster.events().map((e) => ({ ...e, region: r.alias })));
    return all.sort((x, y) => x.timeMs - y.timeMs || x.region.localeCompare(y.region) || x.seq - y.seq);
  }

  emitBoth(event: Omit<TraceEvent, 'seq' | 'timeMs'>): void {
    for (const r of this.regions) r.cluster.trace.emit(event);
  }
}
