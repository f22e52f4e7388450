/**
 * The admin client's consumer-group and transaction operations (SimAdmin extends this), as
 * Kafka's Admin client performs them: find the coordinator with FindCoordinator, ask it,
 * and retry NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS / COORDINATOR_NOT_AVAILABLE after
 * retry.backoff.ms until default.api.timeout.ms. Listings ask every running broker and merge,
 * as Admin.listConsumerGroups and listTransactions do.
 */
import { KafkaError, isRetriable, type ErrorName } from '../errors';
import { decodeAssignment } from '../clients/consumer-protocol';
import type { BrokerApi } from './api';
import type {
  AbortTransactionSpec, CoordinatorKeyType, DeleteGroupOffsetsResult, GroupAdminApi, GroupDescription, GroupListing, GroupPartitionOffset, HangingTransaction,
  PartitionProducers, TransactionAdminApi, TransactionDescription, TransactionListing,
} from './coordinator-api';
import type { Cluster } from './cluster';
import { bootstrap, findLeader, withRetries } from './client';

const errorOf = (name: string, message?: string): KafkaError | null => (name === 'NONE' ? null : new KafkaError(name as ErrorName, message ?? name));

/** Errors after which a client looks for the coordinator again. */
export function coordinatorMoved(error: string): boolean {
  return error === 'NOT_COORDINATOR' || error === 'COORDINATOR_NOT_AVAILABLE' || error === 'COORDINATOR_LOAD_IN_PROGRESS';
}

/** FindCoordinator through any running broker, retried until the coordinator is known. */
export async function findCoordinator(cluster: Cluster, keyType: CoordinatorKeyType, key: string, timeoutMs: number): Promise<BrokerApi> {
  const found = await withRetries(cluster, timeoutMs, async () => {
    const r = await bootstrap(cluster).findCoordinator(keyType, key);
    if (r.error !== null) throw r.error;
    return r.nodeId;
  });
  return cluster.broker(found);
}

/** Sends a request to the key's coordinator; retries while the coordinator moves or loads. */
export function withCoordinator<T>(cluster: Cluster, keyType: CoordinatorKeyType, key: string, timeoutMs: number, call: (broker: BrokerApi) => Promise<T>, errorOf: (value: T) => string): Promise<T> {
  return withRetries(cluster, timeoutMs, async () => {
    const value = await call(await findCoordinator(cluster, keyType, key, timeoutMs));
    const error = errorOf(value);
    if (coordinatorMoved(error) || error === 'NETWORK_EXCEPTION') throw new KafkaError(error as ErrorName, `The ${keyType} coordinator for ${key} answered ${error}.`);
    return value;
  });
}

export abstract class CoordinatorAdmin implements GroupAdminApi, TransactionAdminApi {
  constructor(private readonly home: Cluster) {}

  private apiTimeoutMs(): number {
    return this.home.config.int('default.api.timeout.ms');
  }

  private running(): number[] {
    return this.home.brokerIds.filter((id) => this.home.brokerNode(id) !== null);
  }

  async listGroups(options: { readonly states?: readonly string[] } = {}): Promise<GroupListing[]> {
    const seen = new Map<string, GroupListing>();
    for (const id of this.running()) {
      for (const g of await this.home.broker(id).listGroups({ statesFilter: options.states ?? [] })) {
        if (!seen.has(g.groupId)) seen.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType, state: g.groupState, type: g.groupType, coordinatorId: id });
      }
    }
    return [...seen.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  }

  async describeGroups(groupIds: readonly string[]): Promise<GroupDescription[]> {
    const out: GroupDescription[] = [];
    for (const groupId of groupIds) {
      let coordinatorId = -1;
      const [g] = await withCoordinator(this.home, 'group', groupId, this.apiTimeoutMs(), (b) => ((coordinatorId = b.id), b.describeGroups([groupId])), (r) => r[0]?.error ?? 'NONE');
      if (g === undefined) continue;
      const consumer = g.protocolType === 'consumer';
      out.push({
        groupId, error: errorOf(g.error), state: g.groupState, protocolType: g.protocolType, protocol: g.protocolData, generationId: g.generationId, coordinatorId,
        members: g.members.map((m) => ({
          memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
          assignment: consumer && m.memberAssignment.length > 0 ? decodeAssignment(m.memberAssignment).partitions.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition }))) : [],
        })),
      });
    }
    return out;
  }

  async deleteGroups(groupIds: readonly string[]): Promise<Array<{ readonly groupId: string; readonly error: KafkaError | null }>> {
    const out: Array<{ groupId: string; error: KafkaError | null }> = [];
    for (const groupId of groupIds) {
      const [r] = await withCoordinator(this.home, 'group', groupId, this.apiTimeoutMs(), (b) => b.deleteGroups([groupId]), (x) => x[0]?.error ?? 'NONE');
      out.push({ groupId, error: errorOf(r?.error ?? 'NONE', r?.error === 'NON_EMPTY_GROUP' ? `The group ${groupId} is not empty.` : undefined) });
    }
    return out;
  }

  async listConsumerGroupOffsets(groupId: string): Promise<GroupPartitionOffset[]> {
    const fetched = await withCoordinator(this.home, 'group', groupId, this.apiTimeoutMs(), (b) => b.offsetFetch({ groupId, topics: null }), (r) => r.error);
    const [description] = await this.describeGroups([groupId]);
    const owners = new Map<string, { memberId: string; clientId: string; host: string }>();
    for (const m of description?.members ?? []) for (const tp of m.assignment) owners.set(`${tp.topic}-${tp.partition}`, { memberId: m.memberId, clientId: m.clientId, host: m.clientHost });
    const rows: GroupPartitionOffset[] = [];
    const seen = new Set<string>();
    const add = async (topic: string, partition: number, committedOffset: number, metadata: string | null): Promise<void> => {
      seen.add(`${topic}-${partition}`);
      const end = await this.home.client.listOffsets({ topic, partition, timestamp: -1 }).catch(() => null);
      const logEndOffset = end?.error === null ? end.offset : -1;
      const owner = owners.get(`${topic}-${partition}`);
      rows.push({ topic, partition, committedOffset, logEndOffset, lag: committedOffset < 0 || logEndOffset < 0 ? null : Math.max(0, logEndOffset - committedOffset), metadata, memberId: owner?.memberId ?? null, clientId: owner?.clientId ?? null, host: owner?.host ?? null });
    };
    for (const t of fetched.topics) for (const p of t.partitions) await add(t.name, p.partitionIndex, p.committedOffset, p.metadata);
    for (const [key] of owners) {
      if (seen.has(key)) continue;
      const cut = key.lastIndexOf('-');
      await add(key.slice(0, cut), Number(key.slice(cut + 1)), -1, null);
    }
    return rows.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  }

  async alterConsumerGroupOffsets(groupId: string, offsets: readonly { readonly topic: string; readonly partition: number; readonly offset: number }[]): Promise<Array<{ readonly topic: string; readonly partition: number; readonly error: KafkaError | null }>> {
    const topics = [...new Set(offsets.map((o) => o.topic))].map((name) => ({ name, partitions: offsets.filter((o) => o.topic === name).map((o) => ({ partitionIndex: o.partition, committedOffset: o.offset })) }));
    const response = await withCoordinator(
      this.home, 'group', groupId, this.apiTimeoutMs(),
      (b) => b.offsetCommit({ groupId, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics }),
      (r) => r.topics[0]?.partitions[0]?.error ?? 'NONE',
    );
    return response.topics.flatMap((t) => t.partitions.map((p) => ({
      topic: t.name, partition: p.partitionIndex,
      error: p.error === 'NONE' ? null : new KafkaError(p.error, p.error === 'UNKNOWN_MEMBER_ID' || p.error === 'ILLEGAL_GENERATION' ? `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is not Empty.` : `Could not reset ${t.name}-${p.partitionIndex}: ${p.error}.`, 'Stop the group\'s consumers first (clients stop <name>).'),
    })));
  }

  async deleteConsumerGroupOffsets(groupId: string, partitions: readonly { readonly topic: string; readonly partition: number }[]): Promise<DeleteGroupOffsetsResult> {
    const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({ name, partitionIndexes: partitions.filter((p) => p.topic === name).map((p) => p.partition) }));
    const response = await withCoordinator(this.home, 'group', groupId, this.apiTimeoutMs(), (b) => b.offsetDelete({ groupId, topics }), (r) => r.error);
    const groupError = errorOf(response.error, groupErrorMessage(response.error, groupId));
    return {
      error: groupError,
      partitions: response.topics.flatMap((t) => t.partitions.map((p) => ({
        topic: t.name, partition: p.partitionIndex,
        error: groupError ?? errorOf(p.error, p.error === 'GROUP_SUBSCRIBED_TO_TOPIC' ? 'The consumer group is actively subscribed to the topic' : undefined),
      }))),
    };
  }

  async listTransactions(options: { readonly states?: readonly string[]; readonly producerIds?: readonly number[] } = {}): Promise<TransactionListing[]> {
    const seen = new Map<string, TransactionListing>();
    for (const id of this.running()) {
      for (const t of await this.home.broker(id).listTransactions({ stateFilters: options.states ?? [], producerIdFilters: options.producerIds ?? [] })) {
        if (!seen.has(t.transactionalId)) seen.set(t.transactionalId, { transactionalId: t.transactionalId, producerId: t.producerId, state: t.transactionState, coordinatorId: id });
      }
    }
    return [...seen.values()].sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : 1));
  }

  async describeTransactions(transactionalIds: readonly string[]): Promise<TransactionDescription[]> {
    const out: TransactionDescription[] = [];
    for (const id of transactionalIds) {
      let coordinatorId = -1;
      const [t] = await withCoordinator(this.home, 'transaction', id, this.apiTimeoutMs(), (b) => ((coordinatorId = b.id), b.describeTransactions([id])), (r) => r[0]?.error ?? 'NONE');
      if (t === undefined) continue;
      out.push({
        transactionalId: id, error: errorOf(t.error, t.error === 'TRANSACTIONAL_ID_NOT_FOUND' ? `Transactional id ${id} not found.` : undefined), coordinatorId,
        state: t.transactionState, producerId: t.producerId, producerEpoch: t.producerEpoch, transactionTimeoutMs: t.transactionTimeoutMs,
        transactionStartTimeMs: t.transactionStartTimeMs, partitions: t.topics.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition }))),
      });
    }
    return out;
  }

  async describeProducers(partitions: readonly { readonly topic: string; readonly partition: number }[]): Promise<PartitionProducers[]> {
    const out: PartitionProducers[] = [];
    for (const tp of partitions) {
      const [r] = await withRetries(this.home, this.apiTimeoutMs(), async () => this.home.broker(findLeader(this.home, tp.topic, tp.partition)).describeProducers([tp]), (x) => x[0]?.error?.retriable === true);
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  async findHangingTransactions(options: { readonly topic?: string; readonly partition?: number; readonly brokerId?: number; readonly maxTransactionTimeoutMs?: number }): Promise<HangingTransaction[]> {
    const maxMs = options.maxTransactionTimeoutMs ?? 15 * 60_000;
    const now = this.home.nowMs();
    const image = bootstrapImage(this.home);
    const candidates: Array<{ topic: string; partition: number }> = [];
    for (const t of image?.topicsById.values() ?? []) {
      if (options.topic !== undefined && t.name !== options.topic) continue;
      for (const [partition, reg] of t.partitions) {
        if (options.partition !== undefined && partition !== options.partition) continue;
        if (options.brokerId !== undefined && !reg.replicas.includes(options.brokerId)) continue;
        candidates.push({ topic: t.name, partition });
      }
    }
    const hanging: HangingTransaction[] = [];
    for (const p of await this.describeProducers(candidates)) {
      for (const e of p.activeProducers) {
        if (e.currentTxnStartOffset < 0 || now - e.lastTimestamp <= maxMs) continue;
        if (await this.coordinatorKnows(e.producerId, p.topic, p.partition)) continue;
        hanging.push({ topic: p.topic, partition: p.partition, producerId: e.producerId, producerEpoch: e.producerEpoch, coordinatorEpoch: e.coordinatorEpoch, startOffset: e.currentTxnStartOffset, lastTimestamp: e.lastTimestamp, durationMs: now - e.lastTimestamp });
      }
    }
    return hanging;
  }

  /** Whether a coordinator has this producer in an ongoing transaction that includes the partition. */
  private async coordinatorKnows(producerId: number, topic: string, partition: number): Promise<boolean> {
    const listed = await this.listTransactions({ producerIds: [producerId] });
    for (const t of listed) {
      if (t.state !== 'Ongoing' && t.state !== 'PrepareCommit' && t.state !== 'PrepareAbort') continue;
      const [d] = await this.describeTransactions([t.transactionalId]);
      if (d?.partitions.some((tp) => tp.topic === topic && tp.partition === partition)) return true;
    }
    return false;
  }

  async abortTransaction(spec: AbortTransactionSpec): Promise<void> {
    const marker = { topic: spec.topic, partition: spec.partition, producerId: spec.producerId, producerEpoch: spec.producerEpoch, commit: false, coordinatorEpoch: spec.coordinatorEpoch };
    const [r] = await withRetries(this.home, this.apiTimeoutMs(), async () => this.home.broker(findLeader(this.home, spec.topic, spec.partition)).writeTxnMarkers([marker]), (x) => x[0] !== undefined && isRetriable(x[0].errorCode));
    if (r !== undefined && r.errorCode !== 'NONE') throw new KafkaError(r.errorCode, `Could not abort the transaction of producer ${spec.producerId} on ${spec.topic}-${spec.partition}: ${r.errorCode}.`, 'Check the producer epoch and coordinator epoch with kafka-transactions describe-producers.');
  }
}

function groupErrorMessage(error: string, groupId: string): string | undefined {
  if (error === 'GROUP_ID_NOT_FOUND') return `The group id ${groupId} does not exist.`;
  if (error === 'NON_EMPTY_GROUP') return `The group ${groupId} is not empty.`;
  return undefined;
}

function bootstrapImage(cluster: Cluster) {
  for (const id of cluster.brokerIds) {
    const node = cluster.brokerNode(id);
    if (node !== null) return node.image;
  }
  return undefined;
}
