/**
 * The simulated cluster: brokers (ids 1..N) and KRaft controllers (ids 101..) over a
 * simulated network, driven by one discrete-event scheduler and one seeded PRNG. A run
 * replays exactly from (seed, options, inputs).
 *
 * Each node lives in a slot that outlasts its process: the slot keeps the node's disk (the
 * `__cluster_metadata` replica and quorum-state file, and for brokers the partition logs in
 * a LogStore), while the node object is replaced on every start. Stopping or crashing a
 * node bumps the slot's incarnation, which silences its old timers.
 *
 * Faults: controlled stop (brokers move leadership away first; a quorum leader resigns),
 * crash (a broker loses what it had not flushed), start, network partitions (also one-way),
 * per-link delay, drop and duplication, and slow disks.
 */
import { assert } from '../assert';
import { KafkaError } from '../errors';
import { BrokerNode, type BrokerNodeMessage } from '../broker/broker-node';
import { ControllerNode, type ControllerNodeMessage } from '../controller/controller-node';
import { randomUuid } from '../metadata/uuid';
import { RaftLog } from '../raft/raft-log';
import { raftLogState, restoreRaftLog, type RaftLogState } from '../raft/raft-log-state';
import type { NodeEnv } from '../sim/node';
import { SimNetwork } from '../sim/network';
import { Prng } from '../sim/prng';
import { Scheduler } from '../sim/scheduler';
import { Trace } from '../sim/trace';
import { MemoryLogStore, MemoryRemoteStorage, type LogStore, type StorageEvent } from '../storage';
import { ReassignmentTracker } from './reassignment-tracker';
import { interRegionDelayMs } from './regions';
import type {
  AdminApi,
  BrokerApi,
  ClientApi,
  ClusterApi,
  ClusterOptions,
  ClusterSnapshot,
  FaultApi,
  LogDirView,
  TraceEvent,
} from './api';
import { BrokerEndpoint } from './broker-api';
import { SimClient, SimAdmin } from './client';
import { NodeConfig } from './config';
import { describeStorageEvent } from './storage-events';
import { buildSnapshot } from './snapshot';

export type ClusterMessage = BrokerNodeMessage | ControllerNodeMessage;

export type SlotStatus = 'running' | 'stopped' | 'crashed';

/** A message on the wire, stamped with the sender's incarnation. */
interface Envelope {
  readonly message: ClusterMessage;
  readonly senderIncarnation: number;
}

export interface NodeSlot {
  readonly id: number;
  readonly kind: 'broker' | 'controller';
  status: SlotStatus;
  incarnation: number;
  broker: BrokerNode | null;
  controller: ControllerNode | null;
  readonly raftLog: RaftLog;
  readonly store: LogStore;
  readonly timers: Map<string, number>;
  diskDelayMs: number;
  readonly rack: string | null;
  /** Incarnations that ended in a crash; their undelivered messages are lost. */
  readonly crashedIncarnations: Set<number>;
}

export const FIRST_CONTROLLER_ID = 101;

export class Cluster implements ClusterApi {
  readonly options: { readonly seed: number; readonly brokers: number; readonly controllers: number };
  readonly clusterId: string;
  readonly scheduler = new Scheduler();
  readonly prng: Prng;
  readonly trace: Trace;
  readonly network: SimNetwork<Envelope>;
  readonly config: NodeConfig;
  readonly slots = new Map<number, NodeSlot>();
  readonly admin: AdminApi;
  readonly client: ClientApi;
  readonly faults: FaultApi;
  private readonly advertisedHost: string;
  private readonly advertisedPortBase: number;
  private timerSeq = 0;
  /** The object store shared by every broker for tiered topics (KIP-405). */
  readonly remoteStorage = new MemoryRemoteStorage();
  /** Reassignment progress and bytes moved (the reassignment view). */
  readonly reassignments = new ReassignmentTracker();
  private readonly regions: Readonly<Record<string, string>> | undefined;
  private readonly logStoreFor: ((brokerId: number) => LogStore) | undefined;
  private readonly metadataLogFor: ((nodeId: number) => RaftLogState | null) | undefined;

  constructor(options: ClusterOptions = {}) {
    const seed = options.seed ?? 1;
    const brokers = options.brokers ?? 3;
    const controllers = options.controllers ?? 3;
    assert(brokers >= 1 && controllers >= 1, 'a cluster needs at least one broker and one controller');
    this.options = { seed, brokers, controllers };
    this.prng = new Prng(seed);
    this.trace = new Trace(() => this.scheduler.nowMs());
    this.network = new SimNetwork(this.scheduler, this.prng.fork(), (from, to, message) => this.deliver(from, to, message));
    this.config = new NodeConfig(options.config ?? {});
    this.clusterId = options.clusterId ?? randomUuid(this.prng);
    this.advertisedHost = options.advertisedHost ?? 'localhost';
    this.advertisedPortBase = options.advertisedPortBase ?? 9092;
    this.regions = options.regions;
    this.logStoreFor = options.logStoreFor;
    this.metadataLogFor = options.metadataLogFor;
    this.trace.onEvent((event) => this.reassignments.onEvent(event));
    if ((options.interRegionLatencyMs ?? 0) > 0) this.network.setDistance(interRegionDelayMs((id) => this.slots.get(id)?.rack ?? null, options.interRegionLatencyMs!, this.regions));
    for (let i = 0; i < controllers; i++) this.addSlot(FIRST_CONTROLLER_ID + i, 'controller', null);
    for (let i = 1; i <= brokers; i++) this.addSlot(i, 'broker', options.racks?.[i - 1] ?? null);
    this.admin = new SimAdmin(this);
    this.client = new SimClient(this);
    this.faults = this.createFaults();
    for (const slot of this.slots.values()) this.startSlot(slot);
  }

  get voterIds(): number[] {
    return [...this.slots.values()].filter((s) => s.kind === 'controller').map((s) => s.id);
  }

  get brokerIds(): number[] {
    return [...this.slots.values()].filter((s) => s.kind === 'broker').map((s) => s.id);
  }

  nowMs(): number {
    return this.scheduler.nowMs();
  }

  nextEventTimeMs(): number | null {
    return this.scheduler.nextEventTimeMs();
  }

  advanceTo(timeMs: number): void {
    this.scheduler.advanceTo(timeMs);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.scheduler.after(Math.max(0, ms), resolve));
  }

  advanceBy(ms: number): void {
    this.scheduler.advanceTo(this.scheduler.nowMs() + ms);
  }

  snapshot(): ClusterSnapshot {
    return buildSnapshot(this);
  }

  events(afterSeq?: number): readonly TraceEvent[] {
    return this.trace.events(afterSeq);
  }

  onEvent(listener: (event: TraceEvent) => void): () => void {
    return this.trace.onEvent(listener);
  }

  broker(id: number): BrokerApi {
    const slot = this.slots.get(id);
    if (slot === undefined || slot.kind !== 'broker') {
      throw new KafkaError('BROKER_NOT_AVAILABLE', `There is no broker ${id} in this cluster.`, `Broker ids are ${this.brokerIds.join(', ')}.`);
    }
    return new BrokerEndpoint(this, id);
  }

  logDir(brokerId: number): LogDirView {
    const slot = this.slots.get(brokerId);
    if (slot === undefined || slot.kind !== 'broker') {
      throw new KafkaError('BROKER_NOT_AVAILABLE', `There is no broker ${brokerId} in this cluster.`, `Broker ids are ${this.brokerIds.join(', ')}.`);
    }
    // The slot's store outlives the broker process, as a disk outlives a crash.
    const store = slot.store;
    return {
      brokerId,
      list: (dir) => store.list(dir),
      read: (dir, name) => (store.exists(dir, name) ? store.read(dir, name, 0, store.size(dir, name)) : null),
    };
  }

  /**
   * A node's `__cluster_metadata` replica and quorum state as plain data, for an adapter to
   * keep on disk and pass back through `ClusterOptions.metadataLogFor`.
   */
  metadataLogState(nodeId: number): RaftLogState {
    return raftLogState(this.slotOrThrow(nodeId).raftLog);
  }

  /** The running broker node behind an id, or null if it is stopped. */
  brokerNode(id: number): BrokerNode | null {
    const slot = this.slots.get(id);
    return slot?.status === 'running' ? slot.broker : null;
  }

  /** The active controller, if one is running and active. */
  activeController(): ControllerNode | null {
    let best: ControllerNode | null = null;
    for (const slot of this.slots.values()) {
      const c = slot.controller;
      if (slot.status === 'running' && c !== null && c.active && (best === null || c.raft.epoch > best.raft.epoch)) best = c;
    }
    return best;
  }

  /** Runs `action` after `delayMs` of virtual time (clients use this for backoff). */
  schedule(delayMs: number, action: () => void): void {
    this.scheduler.after(delayMs, action);
  }

  // ---- nodes -----------------------------------------------------------------------------

  private addSlot(id: number, kind: 'broker' | 'controller', rack: string | null): void {
    const savedLog = this.metadataLogFor?.(id) ?? null;
    this.slots.set(id, {
      id,
      kind,
      status: 'stopped',
      incarnation: 0,
      broker: null,
      controller: null,
      raftLog: savedLog === null ? new RaftLog() : restoreRaftLog(savedLog),
      store: kind === 'broker' && this.logStoreFor !== undefined ? this.logStoreFor(id) : new MemoryLogStore(),
      timers: new Map(),
      diskDelayMs: 0,
      rack,
      crashedIncarnations: new Set(),
    });
  }

  private envFor(slot: NodeSlot): NodeEnv<ClusterMessage> {
    const incarnation = slot.incarnation;
    const current = (): boolean => slot.incarnation === incarnation && slot.status === 'running';
    return {
      id: slot.id,
      nowMs: () => this.scheduler.nowMs(),
      send: (to, message) => {
        if (current()) this.network.send(slot.id, to, { message, senderIncarnation: incarnation });
      },
      setTimer: (name, atMs) => {
        const token = ++this.timerSeq;
        slot.timers.set(name, token);
        this.scheduler.at(atMs, () => {
          if (!current() || slot.timers.get(name) !== token) return;
          slot.timers.delete(name);
          if (slot.broker !== null) slot.broker.onTimer(name);
          else slot.controller?.onTimer(name);
        });
      },
      cancelTimer: (name) => {
        slot.timers.delete(name);
      },
      prng: this.prng.fork(),
      emit: (event) => {
        if (current()) this.trace.emit(event);
      },
      diskDelayMs: () => slot.diskDelayMs,
    };
  }

  private startSlot(slot: NodeSlot): void {
    slot.incarnation++;
    slot.status = 'running';
    slot.timers.clear();
    const env = this.envFor(slot);
    if (slot.kind === 'controller') {
      slot.controller = new ControllerNode(env, slot.raftLog, this.voterIds, this.config);
      slot.controller.start();
      return;
    }
    slot.broker = new BrokerNode(env, {
      raftLog: slot.raftLog,
      store: slot.store,
      voters: this.voterIds,
      config: this.config,
      rack: slot.rack,
      host: this.advertisedHost,
      port: this.advertisedPortBase + slot.id - 1,
      incarnationId: randomUuid(this.prng),
      onStopped: () => this.markDown(slot, 'stopped'),
      onStorageEvent: (id, event) => this.onStorageEvent(id, event),
      remoteStorage: this.remoteStorage,
      onReplicaAppend: (id, topic, partition, bytes, adding) => this.reassignments.onReplicaAppend(id, topic, partition, bytes, adding),
    });
    slot.broker.start();
  }

  private markDown(slot: NodeSlot, status: 'stopped' | 'crashed'): void {
    slot.status = status;
    slot.incarnation++;
    slot.timers.clear();
    // Client connections to a process that died break at once (clients see NETWORK_EXCEPTION).
    const broker = slot.broker;
    slot.broker = null;
    slot.controller = null;
    broker?.closeConnections();
  }

  private deliver(from: number, to: number, envelope: Envelope): void {
    const slot = this.slots.get(to);
    if (slot === undefined || slot.status !== 'running') return;
    // A crash also loses what the node had sent but the network had not delivered yet
    // (socket buffers die with the host); a clean stop lets it drain.
    const sender = this.slots.get(from);
    if (sender?.crashedIncarnations.has(envelope.senderIncarnation)) return;
    const message = envelope.message;
    if (slot.broker !== null) slot.broker.receive(from, message as BrokerNodeMessage);
    else slot.controller?.receive(from, message as ControllerNodeMessage);
  }

  private onStorageEvent(brokerId: number, event: StorageEvent): void {
    const slot = this.slots.get(brokerId);
    if (slot?.status !== 'running') return;
    this.trace.emit(describeStorageEvent(brokerId, event));
  }

  // ---- faults ----------------------------------------------------------------------------

  private slotOrThrow(id: number): NodeSlot {
    const slot = this.slots.get(id);
    if (slot === undefined) {
      throw new KafkaError('BROKER_NOT_AVAILABLE', `There is no node ${id} in this cluster.`, `Brokers are ${this.brokerIds.join(', ')}; controllers are ${this.voterIds.join(', ')}.`);
    }
    return slot;
  }

  private createFaults(): FaultApi {
    return {
      stopNode: (id) => this.stopNode(id),
      crashNode: (id) => this.crashNode(id),
      startNode: (id) => this.startNode(id),
      partition: (a, b, options) => {
        this.network.partition(a, b, options?.oneWay ?? false);
        this.trace.emit({
          type: 'network-partitioned',
          message: `The network between [${a.join(',')}] and [${b.join(',')}] is cut${options?.oneWay ? ` in one direction (messages from [${a.join(',')}] are lost)` : ''}.`,
          data: { a, b, oneWay: options?.oneWay ?? false },
        });
      },
      heal: () => {
        this.network.heal();
        this.trace.emit({ type: 'network-healed', message: 'Every network link works again.' });
      },
      setLink: (from, to, link) => {
        this.network.setLink(from, to, link);
        this.trace.emit({ type: 'network-link-changed', message: `Link ${from} → ${to}: delay ${link.delayMs ?? 0} ms, drop ${Math.round((link.dropRate ?? 0) * 100)}%, duplicate ${Math.round((link.duplicateRate ?? 0) * 100)}%.`, data: { from, to, ...link } });
      },
      slowDisk: (id, delayMs) => {
        this.slotOrThrow(id).diskDelayMs = Math.max(0, delayMs);
        this.trace.emit({ type: 'disk-slowed', node: id, message: delayMs > 0 ? `The disk of node ${id} is slow: every write takes ${delayMs} ms more.` : `The disk of node ${id} is healthy again.`, data: { delayMs } });
      },
      addBroker: (options) => this.addBroker(options),
      setInterRegionLatency: (ms) => this.setInterRegionLatency(ms),
    };
  }

  // ---- elasticity ------------------------------------------------------------------------

  /** Starts a new broker process; it registers with the controller and starts empty. */
  addBroker(options: { readonly rack?: string | null; readonly id?: number } = {}): number {
    const id = options.id ?? Math.max(0, ...this.brokerIds) + 1;
    if (this.slots.has(id)) throw new KafkaError('INVALID_REQUEST', `Node id ${id} is already in use.`, `Pick another id, or leave it out to get ${Math.max(0, ...this.brokerIds) + 1}.`);
    if (id >= FIRST_CONTROLLER_ID && id < FIRST_CONTROLLER_ID + 100) throw new KafkaError('INVALID_REQUEST', `Broker ids ${FIRST_CONTROLLER_ID} and up are reserved for controllers in this lab.`, 'Leave the id out to get the next free one.');
    this.addSlot(id, 'broker', options.rack ?? null);
    this.trace.emit({ type: 'broker-added', node: id, message: `Broker ${id} is starting${options.rack ? ` in rack ${options.rack}` : ''}. It will register with the controller, but it holds no replicas until partitions are created on it or reassigned to it.`, data: { brokerId: id, rack: options.rack ?? null } });
    this.startSlot(this.slots.get(id)!);
    return id;
  }

  /** After UnregisterBroker: a stopped broker's slot (and disk) is gone for good. */
  forgetBroker(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined || slot.kind !== 'broker' || slot.status === 'running') return;
    this.slots.delete(id);
  }

  private setInterRegionLatency(ms: number): void {
    this.network.setDistance(ms > 0 ? interRegionDelayMs((id) => this.slots.get(id)?.rack ?? null, ms, this.regions) : null);
    this.trace.emit({ type: 'network-link-changed', message: ms > 0 ? `Links between regions now add ${ms} ms each way; acks=all writes wait for followers across regions.` : 'Links between regions have no extra latency any more.', data: { interRegionLatencyMs: ms } });
  }

  private stopNode(id: number): void {
    const slot = this.slotOrThrow(id);
    if (slot.status !== 'running') return;
    this.trace.emit({ type: 'node-stop-requested', node: id, message: `Stopping ${slot.kind} ${id} (controlled shutdown).` });
    if (slot.broker !== null) return slot.broker.beginControlledShutdown();
    slot.controller?.shutdown();
    this.markDown(slot, 'stopped');
    this.trace.emit({ type: 'controller-stopped', node: id, message: `Controller ${id} stopped.` });
  }

  private crashNode(id: number): void {
    const slot = this.slotOrThrow(id);
    if (slot.status !== 'running') return;
    let lostBytes = 0;
    if (slot.kind === 'broker') {
      for (const p of slot.broker?.replicaManager.partitions.values() ?? []) lostBytes += p.log.unflushedBytes();
      slot.store.crash();
    }
    slot.crashedIncarnations.add(slot.incarnation);
    this.markDown(slot, 'crashed');
    this.trace.emit({
      type: 'node-crashed',
      node: id,
      message:
        slot.kind === 'broker'
          ? `Broker ${id} crashed: no controlled shutdown, and ${lostBytes} byte(s) not yet flushed to disk are lost.`
          : `Controller ${id} crashed; its metadata log was flushed on every write, so nothing is lost.`,
      data: { lostBytes },
    });
  }

  private startNode(id: number): void {
    const slot = this.slotOrThrow(id);
    if (slot.status === 'running') return;
    this.trace.emit({ type: 'node-started', node: id, message: `Starting ${slot.kind} ${id}; it recovers from what its disk holds.` });
    this.startSlot(slot);
  }
}
