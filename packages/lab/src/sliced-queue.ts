/**
 * Time-sliced run queue for lab timers.
 *
 * One server process holds hundreds of labs, each with its own timers (the scheduler's
 * next wake-up, the snapshot push, the idle grace period). Node runs every timer that is
 * due in one go, without reading sockets in between, so when many labs fall due together
 * (a class arriving at once, or the process getting its core back after another process
 * held it) the whole burst ran as one long macrotask and every learner's keystroke echo
 * waited behind it. Here a due timer only queues its work; the queue runs in slices of at
 * most `budgetMs` of wall time, each in its own macrotask (`setImmediate`), so the event
 * loop reads sockets between two slices. Work keeps its order (first due, first run), and
 * a lab's virtual time still follows the wall clock, because the scheduler reads the
 * clock when its work runs, not when its timer fired.
 */
import { assert } from '@kil/engine';

export interface SlicedQueueOptions {
  /** Wall time one slice may take before the rest waits for the next macrotask. */
  readonly budgetMs?: number;
  readonly nowMs?: () => number;
  /** Runs `fn` in a later macrotask, after pending I/O; `setImmediate` in Node. */
  readonly defer?: (fn: () => void) => void;
}

/** About a quarter of a 60 Hz frame: short enough that a ping never waits for more. */
export const sliceBudgetMs = 4;

export class SlicedQueue {
  private readonly tasks: (() => void)[] = [];
  /** Index of the next task to run; the array is compacted when a slice ends. */
  private head = 0;
  private scheduled = false;
  private readonly budgetMs: number;
  private readonly nowMs: () => number;
  private readonly defer: (fn: () => void) => void;

  constructor(options: SlicedQueueOptions = {}) {
    this.budgetMs = options.budgetMs ?? sliceBudgetMs;
    assert(this.budgetMs > 0, 'a slice needs a positive budget in ms');
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.defer = options.defer ?? ((fn) => void setImmediate(fn));
  }

  /** Tasks waiting for a slice. */
  get size(): number {
    return this.tasks.length - this.head;
  }

  /** Queue `task`; it runs in the next slice that has budget left. */
  push(task: () => void): void {
    this.tasks.push(task);
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.runSlice());
  }

  /**
   * Run tasks until the queue is empty or the budget is spent; at least one task runs,
   * so a task longer than the budget still makes progress. A task that throws does not
   * stop the others: the error is reported after the slice, as an uncaught timer error
   * would have been.
   */
  private runSlice(): void {
    this.scheduled = false;
    const startedMs = this.nowMs();
    const errors: unknown[] = [];
    while (this.head < this.tasks.length) {
      const task = this.tasks[this.head]!;
      this.tasks[this.head++] = noop;
      try {
        task();
      } catch (error) {
        errors.push(error);
      }
      if (this.nowMs() - startedMs >= this.budgetMs) break;
    }
    this.tasks.splice(0, this.head);
    this.head = 0;
    if (this.tasks.length > 0) {
      this.scheduled = true;
      this.defer(() => this.runSlice());
    }
    for (const error of errors) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

const noop = (): void => {};
