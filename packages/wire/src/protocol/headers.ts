/**
 * Request headers v0–v2 and response headers v0–v1. A flexible API version uses request header
 * v2 (whose client id nevertheless stays a classic int16 string) and response header v1, with
 * one exception: ApiVersions always answers with response header v0, because a client that
 * does not yet know our versions must be able to read the reply (KIP-511).
 */
import type { WireReader } from '../codec/reader';
import type { WireWriter } from '../codec/writer';
import { apiFor, isFlexible, ApiKey } from './apis';

export interface RequestHeader {
  readonly requestApiKey: number;
  readonly requestApiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

/** Header version a request of this api and version carries (unknown apis get v1). */
export function requestHeaderVersion(apiKey: number, apiVersion: number): RequestHeaderVersion {
  const api = apiFor(apiKey);
  if (api === undefined) return 1;
  // ApiVersions versions above ours are flexible too (they start at v3), as the client assumes.
  if (apiKey === ApiKey.ApiVersions && apiVersion > api.maxVersion) return 2;
  return isFlexible(api, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): ResponseHeaderVersion {
  const api = apiFor(apiKey);
  if (api === undefined || apiKey === ApiKey.ApiVersions) return 0;
  return isFlexible(api, apiVersion) ? 1 : 0;
}

/** Skips a tagged-field section whose tags we do not know. */
export function skipTaggedFields(reader: WireReader): void {
  const count = reader.unsignedVarint();
  for (let i = 0; i < count; i++) {
    reader.unsignedVarint();
    reader.skip(reader.unsignedVarint());
  }
}

/** Reads the rest of a request header after its api key and version. */
export function decodeRequestHeaderTail(
  reader: WireReader,
  requestApiKey: number,
  requestApiVersion: number,
  headerVersion: RequestHeaderVersion,
): RequestHeader {
  const correlationId = reader.int32();
  const clientId = headerVersion >= 1 ? reader.string(true) : null;
  if (headerVersion >= 2) skipTaggedFields(reader);
  return { requestApiKey, requestApiVersion, correlationId, clientId };
}

export function decodeRequestHeader(reader: WireReader, headerVersion: RequestHeaderVersion): RequestHeader {
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  return decodeRequestHeaderTail(reader, apiKey, apiVersion, headerVersion);
}

export function encodeRequestHeader(writer: WireWriter, header: RequestHeader, headerVersion: RequestHeaderVersion): void {
  writer.int16(header.requestApiKey);
  writer.int16(header.requestApiVersion);
  writer.int32(header.correlationId);
  if (headerVersion >= 1) writer.string(header.clientId, false);
  if (headerVersion >= 2) writer.unsignedVarint(0);
}

export function decodeResponseHeader(reader: WireReader, headerVersion: ResponseHeaderVersion): number {
  const correlationId = reader.int32();
  if (headerVersion >= 1) skipTaggedFields(reader);
  return correlationId;
}

export function encodeResponseHeader(writer: WireWriter, correlationId: number, headerVersion: ResponseHeaderVersion): void {
  writer.int32(correlationId);
  if (headerVersion >= 1) writer.unsignedVarint(0);
}
