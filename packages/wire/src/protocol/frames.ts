/**
 * Whole frames: header plus body, for both directions. Decoding takes a frame without its
 * 4-byte size prefix (the server strips it); encoding returns the frame with its size prefix,
 * ready for the socket, so the bytes are written once.
 *
 * Kafka closes the connection when a request names an api key or version it does not serve;
 * so do we (WireDecodeError), except for ApiVersions, whose unsupported versions are reported
 * as a value so the server can answer in the v0 layout (KIP-511).
 */
import { WireDecodeError } from '../errors';
import { WireReader } from '../codec/reader';
import { WireWriter } from '../codec/writer';
import { decodeMessage, encodeMessage } from './codec';
import {
  ApiKey,
  apiFor,
  isFlexible,
  servesVersion,
  type AnyApiDef,
  type ApiKeyNumber,
  type RequestOf,
  type ResponseOf,
} from './apis';
import {
  decodeRequestHeaderTail,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  type RequestHeader,
} from './headers';

export type DecodedRequest = {
  [K in ApiKeyNumber]: {
    readonly kind: 'request';
    readonly apiKey: K;
    readonly header: RequestHeader;
    readonly body: RequestOf<K>;
  };
}[ApiKeyNumber];

/** An ApiVersions request in a version above ours: answered, never a reason to close. */
export interface UnsupportedApiVersionsRequest {
  readonly kind: 'unsupported-api-versions';
  readonly header: RequestHeader;
}

export function decodeRequest(frame: Uint8Array): DecodedRequest | UnsupportedApiVersionsRequest {
  const reader = new WireReader(frame);
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const api = apiFor(apiKey);
  if (api === undefined) {
    throw new WireDecodeError('INVALID_REQUEST', `api key ${apiKey} is not one this broker serves`, 0);
  }
  const served = servesVersion(api, apiVersion);
  if (!served && apiKey !== ApiKey.ApiVersions) {
    throw new WireDecodeError(
      'UNSUPPORTED_VERSION',
      `${api.name} v${apiVersion} is outside the versions this broker serves (${api.minVersion}–${api.maxVersion})`,
      2,
      'Let the client negotiate versions with ApiVersions first.',
    );
  }
  const header = decodeRequestHeaderTail(reader, apiKey, apiVersion, requestHeaderVersion(apiKey, apiVersion));
  if (!served) return { kind: 'unsupported-api-versions', header };
  const body = decodeMessage(api.request, apiVersion, isFlexible(api, apiVersion), reader);
  return { kind: 'request', apiKey, header, body } as unknown as DecodedRequest;
}

function servedApi(apiKey: number, apiVersion: number): AnyApiDef {
  const api = apiFor(apiKey);
  if (api === undefined || !servesVersion(api, apiVersion)) {
    throw new RangeError(`api key ${apiKey} v${apiVersion} is not served by this codec`);
  }
  return api;
}

function startFrame(): WireWriter {
  const writer = new WireWriter(256);
  writer.int32(0);
  return writer;
}

function finishFrame(writer: WireWriter): Uint8Array {
  writer.patchInt32(0, writer.pos - 4);
  return writer.finish();
}

/** A size-prefixed response frame. */
export function encodeResponse<K extends ApiKeyNumber>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  body: ResponseOf<K>,
): Uint8Array {
  const api = servedApi(apiKey, apiVersion);
  const writer = startFrame();
  encodeResponseHeader(writer, correlationId, responseHeaderVersion(apiKey, apiVersion));
  encodeMessage(api.response, apiVersion, isFlexible(api, apiVersion), body, writer);
  return finishFrame(writer);
}

/** A size-prefixed request frame (clients, tests and benchmarks use it). */
export function encodeRequest<K extends ApiKeyNumber>(
  apiKey: K,
  header: Omit<RequestHeader, 'requestApiKey'>,
  body: RequestOf<K>,
): Uint8Array {
  const api = servedApi(apiKey, header.requestApiVersion);
  const writer = startFrame();
  const headerVersion = requestHeaderVersion(apiKey, header.requestApiVersion);
  encodeRequestHeader(writer, { ...header, requestApiKey: apiKey }, headerVersion);
  encodeMessage(api.request, header.requestApiVersion, isFlexible(api, header.requestApiVersion), body, writer);
  return finishFrame(writer);
}

export interface DecodedResponse<K extends ApiKeyNumber> {
  readonly correlationId: number;
  readonly body: ResponseOf<K>;
}

/** Decodes a response frame (without its size prefix) of a request we sent. */
export function decodeResponse<K extends ApiKeyNumber>(apiKey: K, apiVersion: number, frame: Uint8Array): DecodedResponse<K> {
  const api = servedApi(apiKey, apiVersion);
  const reader = new WireReader(frame);
  const correlationId = decodeResponseHeader(reader, responseHeaderVersion(apiKey, apiVersion));
  const body = decodeMessage(api.response, apiVersion, isFlexible(api, apiVersion), reader) as ResponseOf<K>;
  return { correlationId, body };
}
