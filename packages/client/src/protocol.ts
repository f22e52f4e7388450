/**
 * The requests learner code sends to its lab, one per Kafka API it needs, and the
 * transport that carries them. In the browser the transport is the page's WebSocket
 * (through the main thread); in the grader it calls the lab's client host directly.
 * Payloads are plain JSON: keys and values are strings (null for none), never bytes.
 */

export const clientOps = [
  'metadata',
  'createTopics',
  'deleteTopics',
  'describeConfigs',
  'alterConfigs',
  'produce',
  'fetch',
  'listOffsets',
  'joinGroup',
  'syncGroup',
  'heartbeat',
  'leaveGroup',
  'offsetCommit',
  'offsetFetch',
  'describeGroups',
  'initProducerId',
  'addPartitionsToTxn',
  'addOffsetsToTxn',
  'txnOffsetCommit',
  'endTxn',
  /** The lab's own op, not a Kafka API: resolves after `ms` of lab time (a poll's timeout). */
  'wait',
] as const;

export type ClientOp = (typeof clientOps)[number];

export function isClientOp(value: unknown): value is ClientOp {
  return typeof value === 'string' && (clientOps as readonly string[]).includes(value);
}

/** A failed request: Kafka's error code name, a sentence, and what to try instead. */
export interface ClientErrorBody {
  readonly code: string;
  readonly message: string;
  readonly suggestion?: string;
}

export class KafkaClientError extends Error {
  override name = 'KafkaClientError';
  readonly code: string;
  readonly suggestion: string | undefined;
  constructor(body: ClientErrorBody) {
    super(body.suggestion ? `${body.code}: ${body.message} (${body.suggestion})` : `${body.code}: ${body.message}`);
    this.code = body.code;
    this.suggestion = body.suggestion;
  }
}

export interface Transport {
  /** Resolves with the op's JSON result or rejects with a KafkaClientError. */
  request(op: ClientOp, args: Readonly<Record<string, unknown>>): Promise<unknown>;
}

/** Where learner code prints; the editor shows these lines under the code. */
export type Log = (...values: unknown[]) => void;

export interface RecordHeader {
  readonly key: string;
  readonly value: string | null;
}

/** A record as a consumer sees it. */
export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly RecordHeader[];
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}
