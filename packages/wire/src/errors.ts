/**
 * Typed failures of the codec. Decoding never throws anything else: the server relies on that
 * to tell a malformed frame (close the connection, as Kafka does) from a bug in a handler.
 */

/** The Kafka error names a decode failure maps onto. */
export type WireDecodeErrorName = 'INVALID_REQUEST' | 'UNSUPPORTED_VERSION' | 'CORRUPT_MESSAGE';

const wireErrorCodes: Record<WireDecodeErrorName, number> = {
  INVALID_REQUEST: 42,
  UNSUPPORTED_VERSION: 35,
  CORRUPT_MESSAGE: 2,
};

/** Input bytes that do not form a valid message for the schema and version being read. */
export class WireDecodeError extends Error {
  override name = 'WireDecodeError';
  readonly errorName: WireDecodeErrorName;
  /** Byte position inside the frame where decoding stopped. */
  readonly offset: number;
  readonly suggestion: string;

  constructor(errorName: WireDecodeErrorName, message: string, offset: number, suggestion?: string) {
    super(message);
    this.errorName = errorName;
    this.offset = offset;
    this.suggestion =
      suggestion ?? 'Check that the client speaks a Kafka protocol version this broker advertises in ApiVersions.';
  }

  get code(): number {
    return wireErrorCodes[this.errorName];
  }
}

/**
 * A value that cannot be written in the requested version (out of range, null where the
 * version has no null, an int64 beyond 2^53). This is a bug in the caller, not in the peer.
 */
export class WireEncodeError extends Error {
  override name = 'WireEncodeError';
  readonly errorName = 'UNKNOWN_SERVER_ERROR';
  readonly suggestion: string;

  constructor(message: string, suggestion?: string) {
    super(message);
    this.suggestion = suggestion ?? 'Fix the value the handler returned so that it fits the field type.';
  }
}

/** An invariant of our own code; never stripped, so a broken assumption fails loudly. */
export function assert(condition: unknown, why: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${why}`);
}
