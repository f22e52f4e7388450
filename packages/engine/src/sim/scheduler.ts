/**
 * The discrete-event scheduler at the heart of the simulation: a priority queue of actions
 * ordered by virtual time, then by insertion order so that two events at the same
 * millisecond always run in the same order. Nothing in the engine runs unless the
 * scheduler runs it, which is what makes a run replayable from its seed.
 */
import { assert } from '../assert';

interface Scheduled {
  readonly atMs: number;
  readonly seq: number;
  readonly action: () => void;
}

export class Scheduler {
  private heap: Scheduled[] = [];
  private seq = 0;
  private clockMs = 0;
  /** Number of actions run so far (the bench reports events per second from it). */
  executed = 0;
  /** Runs after every action; simulation tests hang their invariant checkers here. */
  afterEach: (() => void) | null = null;

  nowMs(): number {
    return this.clockMs;
  }

  /** Run `action` at virtual time `atMs` (never earlier than now). */
  at(atMs: number, action: () => void): void {
    const entry = { atMs: Math.max(atMs, this.clockMs), seq: this.seq++, action };
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
  }

  after(delayMs: number, action: () => void): void {
    this.at(this.clockMs + delayMs, action);
  }

  nextEventTimeMs(): number | null {
    return this.heap[0]?.atMs ?? null;
  }

  /** Run every action due at or before `timeMs`, in order, then set the clock to `timeMs`. */
  advanceTo(timeMs: number): void {
    assert(timeMs >= this.clockMs, `time cannot go backwards (${timeMs} < ${this.clockMs})`);
    for (;;) {
      const head = this.heap[0];
      if (head === undefined || head.atMs > timeMs) break;
      this.pop();
      this.clockMs = head.atMs;
      this.executed++;
      head.action();
      this.afterEach?.();
    }
    this.clockMs = timeMs;
  }

  /** Run exactly the next due action (single-stepping for labs); returns false if idle. */
  step(): boolean {
    const head = this.heap[0];
    if (head === undefined) return false;
    this.pop();
    this.clockMs = head.atMs;
    this.executed++;
    head.action();
    this.afterEach?.();
    return true;
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last === undefined || this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private less(a: Scheduled, b: Scheduled): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const a = heap[i]!;
      const b = heap[parent]!;
      if (!this.less(a, b)) break;
      heap[i] = b;
      heap[parent] = a;
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      const tmp = heap[i]!;
      heap[i] = heap[smallest]!;
      heap[smallest] = tmp;
      i = smallest;
    }
  }
}
