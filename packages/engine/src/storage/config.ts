/**
 * Topic-level log configuration with Kafka's keys and defaults (kafka.log.LogConfig /
 * TopicConfig). Kafka's "Long.MAX_VALUE" becomes Number.MAX_SAFE_INTEGER here, and the
 * KIP-405 value -2 for local retention means "same as the total retention".
 */
import { KafkaError } from '../errors';

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  indexIntervalBytes: number;
  segmentIndexBytes: number;
  retentionMs: number;
  retentionBytes: number;
  cleanupPolicy: CleanupPolicy;
  minCleanableDirtyRatio: number;
  minCompactionLagMs: number;
  maxCompactionLagMs: number;
  deleteRetentionMs: number;
  flushMessages: number;
  flushMs: number;
  maxMessageBytes: number;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  remoteStorageEnable: boolean;
  localRetentionMs: number;
  localRetentionBytes: number;
}

/** Kafka's "no limit" for long-valued settings. */
export const LONG_MAX = Number.MAX_SAFE_INTEGER;

export const defaultLogConfig: LogConfig = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  indexIntervalBytes: 4096,
  segmentIndexBytes: 10 * 1024 * 1024,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: LONG_MAX,
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  flushMessages: LONG_MAX,
  flushMs: LONG_MAX,
  maxMessageBytes: 1024 * 1024 + 12,
  messageTimestampType: 'CreateTime',
  remoteStorageEnable: false,
  localRetentionMs: -2,
  localRetentionBytes: -2,
});

type NumericKey = { [K in keyof LogConfig]: LogConfig[K] extends number ? K : never }[keyof LogConfig];

/** Kafka key -> field and the smallest value Kafka's validator accepts. */
const numericKeys: Record<string, { field: NumericKey; min: number; max?: number }> = {
  'segment.bytes': { field: 'segmentBytes', min: 14, max: 2 ** 31 - 1 },
  'segment.ms': { field: 'segmentMs', min: 1 },
  'index.interval.bytes': { field: 'indexIntervalBytes', min: 0, max: 2 ** 31 - 1 },
  'segment.index.bytes': { field: 'segmentIndexBytes', min: 4, max: 2 ** 31 - 1 },
  'retention.ms': { field: 'retentionMs', min: -1 },
  'retention.bytes': { field: 'retentionBytes', min: -LONG_MAX },
  'min.cleanable.dirty.ratio': { field: 'minCleanableDirtyRatio', min: 0, max: 1 },
  'min.compaction.lag.ms': { field: 'minCompactionLagMs', min: 0 },
  'max.compaction.lag.ms': { field: 'maxCompactionLagMs', min: 1 },
  'delete.retention.ms': { field: 'deleteRetentionMs', min: 0 },
  'flush.messages': { field: 'flushMessages', min: 1 },
  'flush.ms': { field: 'flushMs', min: 0 },
  'max.message.bytes': { field: 'maxMessageBytes', min: 0, max: 2 ** 31 - 1 },
  'local.retention.ms': { field: 'localRetentionMs', min: -2 },
  'local.retention.bytes': { field: 'localRetentionBytes', min: -2 },
};

function invalid(key: string, value: string, why: string): KafkaError {
  return new KafkaError('INVALID_CONFIG', `Invalid value ${JSON.stringify(value)} for configuration ${key}: ${why}.`, `See the Kafka topic configuration reference for ${key}.`);
}

function parseNumber(key: string, raw: string, min: number, max: number | undefined): number {
  const trimmed = raw.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) throw invalid(key, raw, 'not a number');
  const isRatio = key === 'min.cleanable.dirty.ratio';
  if (!isRatio && trimmed.includes('.')) throw invalid(key, raw, 'must be a whole number');
  // Kafka writes "no limit" as Long.MAX_VALUE; anything past 2^53 means the same here.
  const n = Math.min(Number(trimmed), LONG_MAX);
  if (n < min) throw invalid(key, raw, `value must be at least ${min}`);
  if (max !== undefined && n > max) throw invalid(key, raw, `value must be at most ${max}`);
  return n;
}

function parseCleanupPolicy(raw: string): CleanupPolicy {
  const parts = new Set(raw.split(',').map((p) => p.trim()).filter((p) => p !== ''));
  for (const p of parts) if (p !== 'delete' && p !== 'compact') throw invalid('cleanup.policy', raw, 'allowed values are delete and compact');
  if (parts.size === 0) throw invalid('cleanup.policy', raw, 'at least one policy is needed');
  if (parts.has('compact') && parts.has('delete')) return 'compact,delete';
  return parts.has('compact') ? 'compact' : 'delete';
}

/**
 * Maps Kafka topic config keys onto a LogConfig. Keys that are not log settings (for example
 * min.insync.replicas) are left to their owners and ignored here.
 */
export function logConfigFromProps(props: Record<string, string>, base: LogConfig = defaultLogConfig): LogConfig {
  const out: LogConfig = { ...base };
  for (const [key, raw] of Object.entries(props)) {
    const numeric = numericKeys[key];
    if (numeric) {
      out[numeric.field] = parseNumber(key, raw, numeric.min, numeric.max);
    } else if (key === 'cleanup.policy') {
      out.cleanupPolicy = parseCleanupPolicy(raw);
    } else if (key === 'message.timestamp.type') {
      if (raw !== 'CreateTime' && raw !== 'LogAppendTime') throw invalid(key, raw, 'allowed values are CreateTime and LogAppendTime');
      out.messageTimestampType = raw;
    } else if (key === 'remote.storage.enable') {
      if (raw !== 'true' && raw !== 'false') throw invalid(key, raw, 'allowed values are true and false');
      out.remoteStorageEnable = raw === 'true';
    }
  }
  checkLocalRetention(out);
  return out;
}

/** KIP-405: local retention may not exceed the total retention. */
function checkLocalRetention(c: LogConfig): void {
  if (c.retentionMs !== -1 && c.localRetentionMs > c.retentionMs) {
    throw invalid('local.retention.ms', String(c.localRetentionMs), `must not exceed retention.ms (${c.retentionMs})`);
  }
  if (c.retentionBytes !== -1 && c.retentionBytes >= 0 && c.localRetentionBytes > c.retentionBytes) {
    throw invalid('local.retention.bytes', String(c.localRetentionBytes), `must not exceed retention.bytes (${c.retentionBytes})`);
  }
}

/** Effective local retention: -2 means "use the total retention" (KIP-405). */
export function effectiveLocalRetentionMs(c: LogConfig): number {
  return c.localRetentionMs === -2 ? c.retentionMs : c.localRetentionMs;
}

export function effectiveLocalRetentionBytes(c: LogConfig): number {
  return c.localRetentionBytes === -2 ? c.retentionBytes : c.localRetentionBytes;
}

export function hasDeletePolicy(c: LogConfig): boolean {
  return c.cleanupPolicy !== 'compact';
}

export function hasCompactPolicy(c: LogConfig): boolean {
  return c.cleanupPolicy !== 'delete';
}

/** Renders a LogConfig back into Kafka keys (for describe-configs style output). */
export function logConfigToProps(c: LogConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, { field }] of Object.entries(numericKeys)) out[key] = String(c[field] === LONG_MAX ? '9223372036854775807' : c[field]);
  out['cleanup.policy'] = c.cleanupPolicy;
  out['message.timestamp.type'] = c.messageTimestampType;
  out['remote.storage.enable'] = String(c.remoteStorageEnable);
  return out;
}
