/**
 * Turns the storage layer's events into trace events with a sentence for the learner.
 * Types are prefixed with `log-` (log-append, log-segment-rolled, log-flush, ...).
 */
import type { TraceInput } from '../sim/trace';
import type { StorageEvent } from '../storage';

export function describeStorageEvent(brokerId: number, event: StorageEvent): TraceInput {
  const tp = `${event.topic}-${event.partition}`;
  const base = { type: `log-${event.type}`, node: brokerId, topic: event.topic, partition: event.partition };
  const { topic: _t, partition: _p, atMs: _a, ...data } = event;
  return { ...base, message: sentence(brokerId, tp, event), data };
}

function sentence(brokerId: number, tp: string, e: StorageEvent): string {
  switch (e.type) {
    case 'append':
      return `Broker ${brokerId} appended offsets ${e.baseOffset}..${e.lastOffset} (${e.recordCount} record(s), ${e.sizeBytes} bytes) to ${tp} as ${e.role}; log end offset ${e.logEndOffset}.`;
    case 'segment-rolled':
      return `Broker ${brokerId} rolled a new segment of ${tp} at offset ${e.newBaseOffset} (${e.reason}).`;
    case 'flush':
      return `Broker ${brokerId} flushed ${tp} to disk up to offset ${e.recoveryPoint} (${e.trigger}).`;
    case 'truncate':
      return `Broker ${brokerId} truncated ${tp} from log end offset ${e.oldLogEndOffset} to ${e.logEndOffset}.`;
    case 'crash':
      return `Broker ${brokerId} lost ${e.lostBytes} unflushed byte(s) of ${tp} in the crash; log end offset ${e.logEndOffsetBefore} → ${e.logEndOffset}.`;
    case 'recovery':
      return `Broker ${brokerId} recovered ${tp} from segment ${e.segmentBaseOffset}: ${e.batches} batch(es) checked, ${e.truncatedBytes} byte(s) cut; log end offset ${e.logEndOffset}.`;
    case 'log-start-offset':
      return `The log start offset of ${tp} on broker ${brokerId} moved ${e.oldLogStartOffset} → ${e.logStartOffset} (${e.reason}).`;
    case 'retention-delete':
      return `Broker ${brokerId} deleted segment ${e.segmentBaseOffset} of ${tp} (${e.reason}).`;
    case 'clean':
      return `Broker ${brokerId} compacted ${tp}: ${e.recordsBefore} → ${e.recordsAfter} record(s).`;
    default:
      return `Broker ${brokerId}: ${e.type} on ${tp}.`;
  }
}
