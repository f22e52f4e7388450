/**
 * Argument checks for client ops: learner code is untrusted, so every field is checked
 * for type and size before it reaches the engine, and a bad one answers INVALID_REQUEST
 * with a sentence saying which field and what it should be.
 */
import type { ClientErrorBody } from '@kil/client';

export const clientLimits = {
  recordsPerProduceMax: 100,
  recordCharsMax: 64 * 1024,
  partitionsPerFetchMax: 64,
  recordsPerFetchMax: 500,
  fetchWaitMsMax: 30_000,
  topicsPerRequestMax: 10,
  argsCharsMax: 256 * 1024,
} as const;

export class ClientOpError extends Error {
  override name = 'ClientOpError';
  constructor(readonly body: ClientErrorBody) {
    super(body.message);
  }
}

export function fail(code: string, message: string, suggestion?: string): never {
  throw new ClientOpError(suggestion ? { code, message, suggestion } : { code, message });
}

export type Args = Record<string, unknown>;

export function str(args: Args, key: string, maxChars = 249): string {
  const value = args[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars) fail('INVALID_REQUEST', `${key} must be a non-empty string of at most ${maxChars} characters.`);
  return value;
}

export function optStr(value: unknown, what: string, maxChars = clientLimits.recordCharsMax): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length > maxChars) fail('INVALID_REQUEST', `${what} must be a string of at most ${maxChars} characters, or null.`);
  return value;
}

export function int(args: Args, key: string, min: number, max: number, fallback?: number): number {
  const value = args[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail('INVALID_REQUEST', `${key} must be an integer between ${min} and ${max}.`);
  return value;
}

export function list(args: Args, key: string, max: number): unknown[] {
  const value = args[key];
  if (!Array.isArray(value) || value.length > max) fail('INVALID_REQUEST', `${key} must be a list of at most ${max} items.`);
  return value;
}

export function obj(value: unknown, what: string): Args {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('INVALID_REQUEST', `${what} must be an object.`);
  return value as Args;
}

export function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  const record = obj(value, what);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (typeof v !== 'string' || k.length > 249 || v.length > 1000) fail('INVALID_CONFIG', `${what}.${k} must be a string.`);
    out[k] = v;
  }
  return out;
}

