/**
 * Failures a command reports to the learner. Kafka's own errors arrive from the engine as
 * KafkaError (error name, message, suggestion); the shell adds a one-line explanation of
 * why Kafka refuses, keyed by the error name, when the engine gives no suggestion.
 */
import type { ErrorName } from '@kil/engine';

/** A failure with a message in the tool's words and, maybe, what to type instead. */
export class ShellError extends Error {
  override name = 'ShellError';
  constructor(
    message: string,
    readonly suggestion?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Wrong use of a command: printed with a pointer to its usage. */
export class UsageError extends ShellError {
  override name = 'UsageError';
}

/** The learner pressed Ctrl-C while a command waited. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor() {
    super('interrupted');
  }
}

export interface KafkaErrorLike {
  readonly errorName: ErrorName;
  readonly message: string;
  readonly suggestion?: string | undefined;
  readonly code: number;
}

/** Structural check, so errors from any copy of the engine module are recognised. */
export function isKafkaError(error: unknown): error is KafkaErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { errorName?: unknown }).errorName === 'string' &&
    typeof (error as { code?: unknown }).code === 'number'
  );
}

const WHY: Partial<Record<ErrorName, string>> = {
  TOPIC_ALREADY_EXISTS: 'topic names are unique in a cluster; add --if-not-exists to make the create idempotent, or pick another name',
  UNKNOWN_TOPIC_OR_PARTITION: 'no broker knows this topic or partition; list them with `kafka-topics --bootstrap-server localhost:9092 --list`',
  INVALID_REPLICATION_FACTOR: 'each replica must live on a different broker, so the replication factor cannot exceed the number of registered brokers (see `broker list`)',
  INVALID_PARTITIONS: 'a topic needs at least one partition, and partitions can be added but never removed',
  INVALID_REPLICA_ASSIGNMENT: 'every partition needs the same number of distinct, existing broker ids',
  INVALID_CONFIG: 'the value is outside what this config accepts; `kafka-configs --describe` shows the current values',
  INVALID_TOPIC_EXCEPTION: "topic names use only letters, digits, '.', '_' and '-', at most 249 characters, and not '.' or '..'",
  POLICY_VIOLATION: 'the cluster refused the change by policy',
  NOT_ENOUGH_REPLICAS: 'the ISR is smaller than min.insync.replicas, so an acks=all write is refused rather than kept on too few replicas; bring a follower back or lower the setting',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 'the leader wrote the batch, but the ISR shrank below min.insync.replicas before enough followers copied it',
  LEADER_NOT_AVAILABLE: 'the partition has no leader right now (an election is in progress or every replica is down); it usually clears in a moment',
  NOT_LEADER_OR_FOLLOWER: 'leadership moved; clients refresh their metadata and retry against the new leader',
  REQUEST_TIMED_OUT: 'no answer in time: the broker or its followers may be stopped, partitioned or slow (see `lab status` and `network heal`)',
  BROKER_NOT_AVAILABLE: 'the broker is not running; `broker start <id>` brings it back',
  NOT_CONTROLLER: 'the request reached a controller that is not the active one; clients retry on the active controller',
  TOPIC_DELETION_DISABLED: 'delete.topic.enable is false on this cluster',
  ELECTION_NOT_NEEDED: 'the preferred replica already leads this partition',
  PREFERRED_LEADER_NOT_AVAILABLE: 'the preferred replica is offline or not in the ISR, so it cannot take leadership now',
  ELIGIBLE_LEADERS_NOT_AVAILABLE: 'no replica in the ISR is alive; only an unclean election (which may lose data) can choose a leader',
  GROUP_ID_NOT_FOUND: 'no consumer group with this id exists; `kafka-consumer-groups --list` shows them',
  NON_EMPTY_GROUP: 'the group still has active members; stop its consumers first',
  COORDINATOR_NOT_AVAILABLE: 'the group coordinator is moving, its __consumer_offsets partition has no leader, or __consumer_offsets cannot be created until as many brokers run as offsets.topic.replication.factor asks',
  OFFSET_OUT_OF_RANGE: 'the requested offset is before the log start offset or after the log end offset',
  PRODUCER_FENCED: 'a newer producer with the same transactional.id started, so this one is fenced off (KIP-98)',
  INVALID_TXN_STATE: 'the transaction is not in a state that allows this operation',
  CONCURRENT_TRANSACTIONS: 'the previous transaction of this producer is still completing; the client retries',
  INVALID_REQUIRED_ACKS: 'acks must be 0, 1 or all (-1)',
  MESSAGE_TOO_LARGE: 'the batch is larger than max.message.bytes for the topic',
  RECORD_LIST_TOO_LARGE: 'the request is larger than the broker accepts',
  INVALID_RECORD: 'the broker refused the batch as a whole; on a compacted topic every record needs a key, because compaction keeps the latest value per key',
  UNSTABLE_OFFSET_COMMIT: 'a transaction that commits offsets for this group is still open',
};

/** Why Kafka answered with this error, in one line for a learner. */
export function explain(name: ErrorName): string | undefined {
  return WHY[name];
}

/** Where Kafka's Java exception name is not simply the error name in CamelCase. */
const EXCEPTION_NAMES: Partial<Record<ErrorName, string>> = {
  REQUEST_TIMED_OUT: 'TimeoutException',
  UNKNOWN_SERVER_ERROR: 'UnknownServerException',
  CORRUPT_MESSAGE: 'CorruptRecordException',
  MESSAGE_TOO_LARGE: 'RecordTooLargeException',
  RECORD_LIST_TOO_LARGE: 'RecordBatchTooLargeException',
  NETWORK_EXCEPTION: 'NetworkException',
  INVALID_TOPIC_EXCEPTION: 'InvalidTopicException',
};

/** The Java class a Kafka client would throw for an error, e.g. INVALID_RECORD → InvalidRecordException. */
export function exceptionName(name: ErrorName): string {
  return EXCEPTION_NAMES[name] ?? `${name.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase())}Exception`;
}
