/**
 * Messages between a browser and its Lab over one WebSocket, as JSON text frames.
 * The server validates every incoming message against these shapes and closes the
 * socket (code 1008) on anything else; it never trusts sizes or fields from the client.
 */
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import type { ExerciseResult } from '@kil/grader';
import type { ClientErrorBody } from '@kil/client';

export type TimeAction =
  | { readonly action: 'pause' }
  | { readonly action: 'resume' }
  | { readonly action: 'step'; readonly ms: number }
  | { readonly action: 'speed'; readonly speed: number }
  /** Rebuild the lab as it was at trace event `seq` (deterministic replay) and pause there. */
  | { readonly action: 'rewind'; readonly seq: number };

export type ClientMessage =
  /** Run one terminal line. `id` correlates the `done` reply. */
  | { readonly t: 'exec'; readonly id: number; readonly line: string }
  /** Ctrl-C: abort the running command. */
  | { readonly t: 'interrupt' }
  /** A line of standard input for a running command (interactive producer); null = Ctrl-D. */
  | { readonly t: 'stdin'; readonly line: string | null }
  | ({ readonly t: 'time' } & TimeAction)
  | { readonly t: 'ping' }
  /** Ask for a link that reopens this lab at its current moment. */
  | { readonly t: 'share' }
  /** "Check my work": grade the exercise (or one task) against this lab. `auto` checks follow the learner's actions. */
  | { readonly t: 'check'; readonly exerciseId: string; readonly taskId?: string; readonly auto?: boolean }
  /** A request from learner code (packages/client); `id` correlates the `client-result`. */
  | { readonly t: 'client'; readonly id: number; readonly op: string; readonly args: Readonly<Record<string, unknown>> };

/** The second region of a geo-replication lab, and the mirror flows between the two. */
export interface GeoSnapshot {
  /** Alias of the region `snapshot` shows (the primary), e.g. us-east. */
  readonly primaryAlias: string;
  /** Alias of this region, e.g. eu-west. */
  readonly alias: string;
  readonly snapshot: ClusterSnapshot;
  /** Whether each region is reachable (`region down|up`). */
  readonly up: Readonly<Record<string, boolean>>;
  readonly linkLatencyMs: number;
  readonly mirrors: readonly GeoMirrorFlow[];
}

export interface GeoMirrorFlow {
  readonly mode: 'mm2' | 'link';
  readonly source: string;
  readonly target: string;
  readonly state: string;
  /** Source topic → the topic it is copied to (renamed `<alias>.<topic>` by MirrorMaker 2). */
  readonly topics: readonly { readonly sourceTopic: string; readonly targetTopic: string }[];
}

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
  /** `snapshot` is the lab's cluster (a geo lab's primary region); `secondary` only in geo labs. */
  | { readonly t: 'snapshot'; readonly snapshot: ClusterSnapshot; readonly paused: boolean; readonly speed: number; readonly secondary?: GeoSnapshot }
  /** New trace events; with `reset`, they replace what the page held (after a rewind). */
  | { readonly t: 'events'; readonly events: readonly TraceEvent[]; readonly reset?: boolean }
  /** The run link asked for by `share` (null with `error` when the lab cannot be shared). */
  | { readonly t: 'share'; readonly link: string | null; readonly error?: string }
  | { readonly t: 'error'; readonly message: string }
  | { readonly t: 'pong' }
  | { readonly t: 'check-result'; readonly exerciseId: string; readonly result: ExerciseResult | null; readonly auto: boolean; readonly error?: string }
  | { readonly t: 'client-result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'client-result'; readonly id: number; readonly ok: false; readonly error: ClientErrorBody };

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
    case 'share':
      return { t: 'share' };
    case 'ping':
      return { t: 'ping' };
    case 'time':
      return parseTime(value);
    case 'check':
      return parseCheck(value);
    case 'client':
      return parseClient(value);
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
    case 'rewind':
      return { t: 'time', action: 'rewind', seq: finite(value.seq, 'seq', 0, Number.MAX_SAFE_INTEGER) };
    default:
      throw new ProtocolError(`unknown time action ${JSON.stringify(value.action)}`);
  }
}

const idPattern = /^[a-z0-9-]{1,64}$/;

function parseCheck(value: Record<string, unknown>): ClientMessage {
  const exerciseId = str(value.exerciseId, 'exerciseId', 64);
  if (!idPattern.test(exerciseId)) throw new ProtocolError('exerciseId must be lower-case letters, digits and dashes');
  const taskId = value.taskId === undefined ? undefined : str(value.taskId, 'taskId', 64);
  if (taskId !== undefined && !idPattern.test(taskId)) throw new ProtocolError('taskId must be lower-case letters, digits and dashes');
  return { t: 'check', exerciseId, ...(taskId ? { taskId } : {}), auto: value.auto === true };
}

/** Only the envelope is checked here; the client host validates each op's arguments. */
function parseClient(value: Record<string, unknown>): ClientMessage {
  const op = str(value.op, 'op', 40);
  if (!isRecord(value.args)) throw new ProtocolError('args must be an object');
  return { t: 'client', id: finite(value.id, 'id', 0, Number.MAX_SAFE_INTEGER), op, args: value.args };
}
