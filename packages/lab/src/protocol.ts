/**
 * Messages between a browser and its Lab over one WebSocket, as JSON text frames.
 * The server validates every incoming message against these shapes and closes the
 * socket (code 1008) on anything else; it never trusts sizes or fields from the client.
 */
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';

export type TimeAction =
  | { readonly action: 'pause' }
  | { readonly action: 'resume' }
  | { readonly action: 'step'; readonly ms: number }
  | { readonly action: 'speed'; readonly speed: number };

export type ClientMessage =
  /** Run one terminal line. `id` correlates the `done` reply. */
  | { readonly t: 'exec'; readonly id: number; readonly line: string }
  /** Ctrl-C: abort the running command. */
  | { readonly t: 'interrupt' }
  /** A line of standard input for a running command (interactive producer); null = Ctrl-D. */
  | { readonly t: 'stdin'; readonly line: string | null }
  | ({ readonly t: 'time' } & TimeAction)
  | { readonly t: 'ping' };

export interface LabInfo {
  readonly labId: string;
  readonly brokers: number;
  readonly controllers: number;
  readonly startedInMs: number;
  readonly shape: string;
}

export type ServerMessage =
  | { readonly t: 'hello'; readonly lab: LabInfo; readonly commands: readonly string[] }
  | { readonly t: 'out'; readonly text: string }
  | { readonly t: 'done'; readonly id: number; readonly code: number }
  | { readonly t: 'snapshot'; readonly snapshot: ClusterSnapshot; readonly paused: boolean; readonly speed: number }
  | { readonly t: 'events'; readonly events: readonly TraceEvent[] }
  | { readonly t: 'error'; readonly message: string }
  | { readonly t: 'pong' };

/** Largest client message accepted, in bytes (a terminal line is at most 4 KiB). */
export const clientMessageBytesMax = 16 * 1024;
export const lineCharsMax = 4096;

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown, field: string, maxChars: number): string {
  if (typeof value !== 'string') throw new ProtocolError(`${field} must be a string`);
  if (value.length > maxChars) throw new ProtocolError(`${field} is longer than ${maxChars} characters`);
  return value;
}

function finite(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ProtocolError(`${field} must be a number between ${min} and ${max}`);
  }
  return value;
}

/** Parse and validate one client frame; throws ProtocolError on anything malformed. */
export function parseClientMessage(raw: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ProtocolError('message is not JSON');
  }
  if (!isRecord(value)) throw new ProtocolError('message must be an object');
  switch (value.t) {
    case 'exec':
      return { t: 'exec', id: finite(value.id, 'id', 0, Number.MAX_SAFE_INTEGER), line: str(value.line, 'line', lineCharsMax) };
    case 'interrupt':
      return { t: 'interrupt' };
    case 'stdin':
      return { t: 'stdin', line: value.line === null ? null : str(value.line, 'line', lineCharsMax) };
    case 'ping':
      return { t: 'ping' };
    case 'time':
      return parseTime(value);
    default:
      throw new ProtocolError(`unknown message type ${JSON.stringify(value.t)}`);
  }
}

function parseTime(value: Record<string, unknown>): ClientMessage {
  switch (value.action) {
    case 'pause':
    case 'resume':
      return { t: 'time', action: value.action };
    case 'step':
      return { t: 'time', action: 'step', ms: finite(value.ms, 'ms', 1, 3_600_000) };
    case 'speed':
      return { t: 'time', action: 'speed', speed: finite(value.speed, 'speed', 0.01, 100) };
    default:
      throw new ProtocolError(`unknown time action ${JSON.stringify(value.action)}`);
  }
}
