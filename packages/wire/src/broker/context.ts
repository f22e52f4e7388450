/**
 * What every request handler of the Kafka listener shares: the engine broker it speaks for,
 * how to reach the other brokers' listeners, and the small conversions between the engine's
 * typed errors and the protocol's error codes.
 *
 * The engine is a discrete-event simulation: a request injected into it only moves once its
 * scheduler advances virtual time. `onWork` tells the driver (the lab's real-time scheduler)
 * that new work arrived, so it wakes up instead of sleeping until its next planned event.
 */
import { ErrorCode, KafkaError, type BrokerApi, type ClusterApi, type ErrorName } from '@kil/engine';

export interface ListenerAddress {
  readonly host: string;
  readonly port: number;
}

export interface BrokerHandlerOptions {
  readonly cluster: ClusterApi;
  /** The broker this listener belongs to (node.id). */
  readonly brokerId: number;
  /**
   * Where clients reach a broker's listener (Kafka's advertised.listeners). Metadata and
   * FindCoordinator answer with these; null means the broker has no listener right now, and
   * the engine's own advertised address is used.
   */
  readonly advertised: (brokerId: number) => ListenerAddress | null;
  /** Called after a request was handed to the engine (wake the scheduler). */
  readonly onWork?: () => void;
}

export interface HandlerEnv extends BrokerHandlerOptions {
  readonly broker: BrokerApi;
  /** Runs an engine call and wakes the scheduler once it is queued. */
  engine<T>(call: () => Promise<T>): Promise<T>;
}

export function handlerEnv(options: BrokerHandlerOptions): HandlerEnv {
  const broker = options.cluster.broker(options.brokerId);
  return {
    ...options,
    broker,
    engine<T>(call: () => Promise<T>): Promise<T> {
      let pending: Promise<T>;
      try {
        pending = call();
      } catch (error) {
        pending = Promise.reject(error);
      }
      options.onWork?.();
      return pending;
    },
  };
}

export const NONE = 0;
export const code = (name: ErrorName): number => ErrorCode[name];

/** The protocol error code of anything a handler caught: a KafkaError's own, else UNKNOWN_SERVER_ERROR. */
export function errorCodeOf(error: unknown): number {
  return error instanceof KafkaError ? error.code : ErrorCode.UNKNOWN_SERVER_ERROR;
}

/** A message for the response's error_message field (null when there is no error). */
export function errorMessageOf(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (error instanceof KafkaError) return error.suggestion ? `${error.message} ${error.suggestion}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A stopped broker answers NETWORK_EXCEPTION from the engine: the process behind this port is
 * gone. A request-wide failure like that closes the connection (throwing does), which is
 * what a client of a dead broker sees; it reconnects elsewhere from its metadata.
 */
export function isBrokerDown(error: unknown): boolean {
  return error instanceof KafkaError && error.errorName === 'NETWORK_EXCEPTION';
}

/** Rethrows a broker-down failure so the connection closes; otherwise returns the error code. */
export function partitionErrorCode(error: unknown): number {
  if (isBrokerDown(error)) throw error;
  return errorCodeOf(error);
}

/** Groups items by topic name, keeping the first-seen order of topics. */
export function byTopic<T extends { readonly topic: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.topic);
    if (list === undefined) out.set(item.topic, [item]);
    else list.push(item);
  }
  return out;
}

/** Kafka's all-zero Uuid, for "no topic id". */
export const ZERO_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export const unsupported = (what: string): KafkaError =>
  new KafkaError('UNSUPPORTED_VERSION', what, 'Upgrade the client; this broker serves record batch v2 (Kafka 0.11+) only.');
