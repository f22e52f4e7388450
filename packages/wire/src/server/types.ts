/**
 * The contract between the TCP adapter and whoever answers requests (the engine broker, or a
 * test double). Handlers are keyed by api key and typed by it; the adapter owns framing,
 * ordering, ApiVersions negotiation and connection life, and never looks inside a body beyond
 * Produce's `acks`.
 */
import type { ApiKeyNumber, RequestOf, ResponseOf } from '../protocol/apis';
import type { RequestHeader } from '../protocol/headers';

export interface ConnectionInfo {
  /** Unique per server, increasing; handy in traces. */
  readonly connectionId: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
}

export interface RequestContext {
  readonly header: RequestHeader;
  readonly connection: ConnectionInfo;
}

/**
 * Answers one request. Returning `undefined` sends nothing back (Produce with acks=0 never
 * gets a response anyway). Throwing closes the connection after the responses before it are
 * sent, which is how Kafka treats a request it cannot process.
 */
export type ApiHandler<K extends ApiKeyNumber> = (
  request: RequestOf<K>,
  context: RequestContext,
) => Promise<ResponseOf<K> | undefined> | ResponseOf<K> | undefined;

/** Handlers by api key. ApiVersions is answered by the adapter unless a handler is given. */
export type RequestHandlers = { readonly [K in ApiKeyNumber]?: ApiHandler<K> };

export interface WireServerOptions {
  readonly handlers: RequestHandlers;
  /** Defaults to 127.0.0.1: a lab listener must not be reachable from elsewhere by accident. */
  readonly host?: string;
  /** Defaults to 9092; 0 picks a free port. */
  readonly port?: number;
  /** socket.request.max.bytes: frames above it close the connection. Kafka's default, 100 MiB. */
  readonly socketRequestMaxBytes?: number;
  /** connections.max.idle.ms: a connection with no traffic and nothing in flight is closed. */
  readonly connectionsMaxIdleMs?: number;
  /** Requests read ahead per connection before reading pauses (our own bound, not a Kafka key). */
  readonly maxInFlightRequestsPerConnection?: number;
  /** Told about handler failures and closes caused by bad input; defaults to doing nothing. */
  readonly onError?: (error: unknown, connection: ConnectionInfo) => void;
}

export const defaultSocketRequestMaxBytes = 104_857_600;
export const defaultConnectionsMaxIdleMs = 600_000;
export const defaultMaxInFlightRequestsPerConnection = 100;
