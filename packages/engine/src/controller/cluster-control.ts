/**
 * The controller's decisions about brokers (Kafka's ClusterControlManager and
 * BrokerHeartbeatManager, KIP-631): registration, heartbeats, unfencing once a broker has
 * caught up with the metadata log, fencing after `broker.session.timeout.ms` without a
 * heartbeat, and controlled shutdown, which moves leadership away before the broker
 * stops.
 *
 * Broker states as the controller sees them: unregistered → registered and fenced →
 * unfenced (active) → in controlled shutdown → fenced. Heartbeat times live only in the
 * active controller's memory, as in Kafka: a new active controller gives every broker a
 * fresh session.
 */
import type { ErrorName } from '../errors';
import type { MetadataImage } from '../metadata/image';
import type { MetadataRecord } from '../metadata/records';
import type { TraceInput } from '../sim/trace';
import type { BrokerHeartbeatRequest, BrokerHeartbeatResponse, BrokerRegistrationRequest, BrokerRegistrationResponse, ControllerResult } from './messages';
import { partitionChangesFor, type ControllerContext } from './replication-control';

export class BrokerHeartbeatManager {
  private readonly lastContactMs = new Map<number, number>();
  /** Offset of the records that started each broker's controlled shutdown. */
  readonly controlledShutdownOffsets = new Map<number, number>();

  constructor(private readonly sessionTimeoutMs: number) {}

  touch(brokerId: number, nowMs: number): void {
    this.lastContactMs.set(brokerId, nowMs);
  }

  hasValidSession(brokerId: number, nowMs: number): boolean {
    const last = this.lastContactMs.get(brokerId);
    return last !== undefined && nowMs - last < this.sessionTimeoutMs;
  }

  /** Unfenced brokers whose session has expired, oldest first. */
  staleBrokers(image: MetadataImage, nowMs: number): number[] {
    return [...image.brokers.values()]
      .filter((b) => !b.fenced && !this.hasValidSession(b.id, nowMs))
      .sort((a, b) => (this.lastContactMs.get(a.id) ?? 0) - (this.lastContactMs.get(b.id) ?? 0))
      .map((b) => b.id);
  }

  /** When the next unfenced broker's session runs out, or null if none is unfenced. */
  nextExpiryMs(image: MetadataImage): number | null {
    let next: number | null = null;
    for (const b of image.brokers.values()) {
      if (b.fenced) continue;
      const expiry = (this.lastContactMs.get(b.id) ?? 0) + this.sessionTimeoutMs;
      next = next === null ? expiry : Math.min(next, expiry);
    }
    return next;
  }

  lastContact(brokerId: number): number | undefined {
    return this.lastContactMs.get(brokerId);
  }
}

export function registerBroker(
  ctx: ControllerContext,
  heartbeats: BrokerHeartbeatManager,
  request: BrokerRegistrationRequest,
  nowMs: number,
  nextOffset: number,
): ControllerResult<BrokerRegistrationResponse> {
  const existing = ctx.image.brokers.get(request.brokerId);
  if (existing !== undefined && existing.incarnationId === request.incarnationId) {
    // A retried registration from the same process: answer with the epoch it already has.
    return { records: [], response: { api: 'BrokerRegistration', errorCode: 'NONE', message: null, brokerEpoch: existing.epoch } };
  }
  if (existing !== undefined && !existing.fenced && heartbeats.hasValidSession(request.brokerId, nowMs)) {
    return {
      records: [],
      response: {
        api: 'BrokerRegistration',
        errorCode: 'DUPLICATE_BROKER_REGISTRATION',
        message: `Another broker is registered with that broker id (${request.brokerId}) and its session has not expired yet.`,
        brokerEpoch: -1,
      },
    };
  }
  // As in Kafka, the broker epoch is the offset of the registration record itself.
  const brokerEpoch = nextOffset;
  const record: MetadataRecord = {
    type: 'RegisterBrokerRecord',
    brokerId: request.brokerId,
    incarnationId: request.incarnationId,
    brokerEpoch,
    endPoints: request.listeners,
    rack: request.rack,
    fenced: true,
    inControlledShutdown: false,
  };
  heartbeats.touch(request.brokerId, nowMs);
  const image = ctx.image.apply([record], nextOffset);
  // A broker that comes back before it was fenced may have lost unflushed data: take it out
  // of every ISR now, as its new registration starts fenced.
  const moves = existing !== undefined && !existing.fenced ? partitionChangesFor(ctx, image, new Set([request.brokerId]), `broker ${request.brokerId} re-registered`) : { records: [], events: [] };
  const event: TraceInput = {
    type: 'broker-registered',
    node: ctx.nodeId,
    message: `Broker ${request.brokerId} registered with broker epoch ${brokerEpoch}${request.rack === null ? '' : ` in rack ${request.rack}`}; it stays fenced until it catches up with the metadata log.`,
    data: { brokerId: request.brokerId, brokerEpoch, rack: request.rack },
  };
  return {
    records: [record, ...moves.records],
    response: { api: 'BrokerRegistration', errorCode: 'NONE', message: null, brokerEpoch },
    events: [event, ...moves.events],
  };
}

export function processHeartbeat(
  ctx: ControllerContext,
  heartbeats: BrokerHeartbeatManager,
  request: BrokerHeartbeatRequest,
  nowMs: number,
  nextOffset: number,
): ControllerResult<BrokerHeartbeatResponse> {
  const reply = (errorCode: ErrorName, fields: Partial<BrokerHeartbeatResponse> = {}): BrokerHeartbeatResponse => ({
    api: 'BrokerHeartbeat',
    errorCode,
    isCaughtUp: false,
    isFenced: true,
    shouldShutDown: false,
    ...fields,
  });
  const broker = ctx.image.brokers.get(request.brokerId);
  if (broker === undefined) return { records: [], response: reply('BROKER_ID_NOT_REGISTERED') };
  if (broker.epoch !== request.brokerEpoch) return { records: [], response: reply('STALE_BROKER_EPOCH') };
  heartbeats.touch(request.brokerId, nowMs);
  const caughtUp = request.currentMetadataOffset >= broker.epoch;
  if (broker.fenced) {
    if (request.wantShutDown) return { records: [], response: reply('NONE', { isCaughtUp: caughtUp, shouldShutDown: true }) };
    if (request.wantFence || !caughtUp) return { records: [], response: reply('NONE', { isCaughtUp: caughtUp }) };
    return unfence(ctx, request.brokerId, broker.epoch, nextOffset);
  }
  if (request.wantShutDown) return controlledShutdown(ctx, heartbeats, request, nextOffset);
  if (request.wantFence) {
    const fenced = fenceBroker(ctx, request.brokerId, 'the broker asked to be fenced', nextOffset);
    return { ...fenced, response: reply('NONE', { isCaughtUp: caughtUp }) };
  }
  return { records: [], response: reply('NONE', { isCaughtUp: true, isFenced: false }) };
}

function unfence(ctx: ControllerContext, brokerId: number, epoch: number, nextOffset: number): ControllerResult<BrokerHeartbeatResponse> {
  const record: MetadataRecord = { type: 'UnfenceBrokerRecord', id: brokerId, epoch };
  const image = ctx.image.apply([record], nextOffset);
  const moves = partitionChangesFor(ctx, image, new Set([brokerId]), `broker ${brokerId} is back`);
  return {
    records: [record, ...moves.records],
    response: { api: 'BrokerHeartbeat', errorCode: 'NONE', isCaughtUp: true, isFenced: false, shouldShutDown: false },
    events: [
      { type: 'broker-unfenced', node: ctx.nodeId, message: `Broker ${brokerId} caught up with the metadata log and was unfenced: it may now lead partitions and join ISRs.`, data: { brokerId, brokerEpoch: epoch } },
      ...moves.events,
    ],
  };
}

/** Fences a broker and moves its leaderships and ISR memberships away. */
export function fenceBroker(ctx: ControllerContext, brokerId: number, reason: string, nextOffset: number): { records: MetadataRecord[]; events: TraceInput[] } {
  const broker = ctx.image.brokers.get(brokerId);
  if (broker === undefined || broker.fenced) return { records: [], events: [] };
  const record: MetadataRecord = { type: 'FenceBrokerRecord', id: brokerId, epoch: broker.epoch };
  const image = ctx.image.apply([record], nextOffset);
  const moves = partitionChangesFor(ctx, image, new Set([brokerId]), `broker ${brokerId} fenced`);
  return {
    records: [record, ...moves.records],
    events: [{ type: 'broker-fenced', node: ctx.nodeId, message: `Broker ${brokerId} was fenced: ${reason}.`, data: { brokerId, brokerEpoch: broker.epoch, reason } }, ...moves.events],
  };
}

function controlledShutdown(
  ctx: ControllerContext,
  heartbeats: BrokerHeartbeatManager,
  request: BrokerHeartbeatRequest,
  nextOffset: number,
): ControllerResult<BrokerHeartbeatResponse> {
  const id = request.brokerId;
  const broker = ctx.image.brokers.get(id)!;
  const reply = (shouldShutDown: boolean): BrokerHeartbeatResponse => ({ api: 'BrokerHeartbeat', errorCode: 'NONE', isCaughtUp: true, isFenced: shouldShutDown, shouldShutDown });
  if (!broker.inControlledShutdown) {
    const record: MetadataRecord = { type: 'BrokerRegistrationChangeRecord', brokerId: id, brokerEpoch: broker.epoch, fenced: 0, inControlledShutdown: 1 };
    const image = ctx.image.apply([record], nextOffset);
    const moves = partitionChangesFor(ctx, image, new Set([id]), `broker ${id} is shutting down`);
    heartbeats.controlledShutdownOffsets.set(id, nextOffset + moves.records.length);
    return {
      records: [record, ...moves.records],
      response: reply(false),
      events: [{ type: 'controlled-shutdown-started', node: ctx.nodeId, message: `Broker ${id} asked for a controlled shutdown; the controller moves its leaderships to other ISR members first.`, data: { brokerId: id } }, ...moves.events],
    };
  }
  const waitFor = heartbeats.controlledShutdownOffsets.get(id) ?? broker.epoch;
  const leads = [...ctx.image.topicsById.values()].some((t) => [...t.partitions.values()].some((p) => p.leader === id));
  if (leads || request.currentMetadataOffset < waitFor) return { records: [], response: reply(false) };
  const fenced = fenceBroker(ctx, id, 'it completed a controlled shutdown', nextOffset);
  heartbeats.controlledShutdownOffsets.delete(id);
  return { records: fenced.records, response: reply(true), events: fenced.events };
}
