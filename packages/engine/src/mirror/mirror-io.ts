/**
 * The mirrors' requests to a cluster, as callbacks inside the simulation rather than
 * promises: a fetch from a partition leader and a produce to one. A mirror step runs in a
 * scheduled simulator event and its answer arrives in another, so mirrors advance the same
 * way under `settle`, a real-time scheduler ticking in small steps, or one long `advanceTo`
 * (a promise continuation would wait until the whole advance returned).
 *
 * Each request goes straight to the leader's replica manager, as a Kafka client's request
 * to the leader would (found in the cluster's committed metadata). No leader, or a broker
 * that goes down with the request open, answers with an error and the mirror retries.
 */
import { KafkaError } from '../errors';
import { NO_LEADER } from '../metadata/records';
import type { Cluster } from '../cluster/cluster';
import type { BrokerNode } from '../broker/broker-node';
import { authoritativeImage } from '../cluster/snapshot';

export interface MirrorFetchResult {
  readonly error: KafkaError | null;
  readonly batches: Uint8Array;
  readonly highWatermark: number;
}

export interface MirrorProduceResult {
  readonly error: KafkaError | null;
  readonly baseOffset: number;
}

const EMPTY = new Uint8Array(0);

function leaderNode(cluster: Cluster, topic: string, partition: number): BrokerNode | KafkaError {
  const leader = authoritativeImage(cluster).partition(topic, partition)?.leader ?? NO_LEADER;
  const node = leader === NO_LEADER ? null : cluster.brokerNode(leader);
  return node ?? new KafkaError('LEADER_NOT_AVAILABLE', `${topic}-${partition} has no running leader right now.`, 'The mirror retries once a leader is elected.');
}

/** Calls `done` once: with the answer, or with NETWORK_EXCEPTION if the broker goes down first. */
function onLeader(cluster: Cluster, topic: string, partition: number, onError: (error: KafkaError) => void, body: (node: BrokerNode, finish: () => boolean) => void): void {
  const node = leaderNode(cluster, topic, partition);
  if (node instanceof KafkaError) return onError(node);
  let open = true;
  const close = node.openRequest((error) => {
    if (!open) return;
    open = false;
    onError(error);
  });
  body(node, () => {
    if (!open) return false;
    open = false;
    close();
    return true;
  });
}

/** Fetch of committed data (up to the high watermark) from the partition leader, long-polling `maxWaitMs`. */
export function fetchFromLeader(
  cluster: Cluster,
  request: { readonly topic: string; readonly partition: number; readonly fetchOffset: number; readonly maxWaitMs: number; readonly maxBytes?: number },
  done: (result: MirrorFetchResult) => void,
): void {
  const failed = (error: KafkaError) => done({ error, batches: EMPTY, highWatermark: -1 });
  onLeader(cluster, request.topic, request.partition, failed, (node, finish) =>
    node.replicaManager.fetch(
      { topic: request.topic, partition: request.partition, fetchOffset: request.fetchOffset, maxBytes: request.maxBytes ?? 1_048_576, maxWaitMs: request.maxWaitMs, minBytes: 1, isolationLevel: 'read_uncommitted' },
      (out) => {
        if (finish()) done({ error: out.error, batches: out.records, highWatermark: out.highWatermark });
      },
    ),
  );
}

/** Produce of one batch with acks=all to the partition leader. */
export function produceToLeader(
  cluster: Cluster,
  request: { readonly topic: string; readonly partition: number; readonly batch: Uint8Array; readonly timeoutMs?: number },
  done: (result: MirrorProduceResult) => void,
): void {
  const failed = (error: KafkaError) => done({ error, baseOffset: -1 });
  onLeader(cluster, request.topic, request.partition, failed, (node, finish) =>
    node.replicaManager.produce({ topic: request.topic, partition: request.partition, batch: request.batch, acks: -1, timeoutMs: request.timeoutMs ?? 30_000 }, (out) => {
      if (finish()) done({ error: out.error, baseOffset: out.baseOffset });
    }),
  );
}
