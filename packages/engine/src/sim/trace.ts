/**
 * The trace: a bounded, ordered log of typed events. It is the single source for the
 * visualisations, the terminal's `trace` view and the exercise checks, so every message
 * is written for a learner ("Broker 2 was fenced: no heartbeat for 9000 ms").
 */
import type { TraceEvent } from '../cluster/api';

export type TraceInput = Omit<TraceEvent, 'seq' | 'timeMs'>;

export class Trace {
  private readonly buffer: TraceEvent[] = [];
  private readonly listeners = new Set<(event: TraceEvent) => void>();
  private seq = 0;

  constructor(
    private readonly clock: () => number,
    private readonly capacity = 50_000,
  ) {}

  emit(input: TraceInput): TraceEvent {
    const event: TraceEvent = { seq: ++this.seq, timeMs: this.clock(), ...input };
    this.buffer.push(event);
    // Drop the oldest tenth at once so that trimming stays cheap on a long run.
    if (this.buffer.length > this.capacity) this.buffer.splice(0, Math.ceil(this.capacity / 10));
    for (const listener of this.listeners) listener(event);
    return event;
  }

  events(afterSeq = 0): readonly TraceEvent[] {
    if (afterSeq <= 0) return this.buffer.slice();
    // Events are ordered by seq, so a binary search finds the first one to return.
    let lo = 0;
    let hi = this.buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.buffer[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return this.buffer.slice(lo);
  }

  onEvent(listener: (event: TraceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
