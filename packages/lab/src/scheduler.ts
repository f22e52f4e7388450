/**
 * Real-time scheduler: drives a deterministic cluster from the wall clock.
 *
 * Virtual time advances as `speed` times wall time while running. The scheduler sleeps
 * until the cluster's next pending event instead of ticking at a fixed rate, so an idle
 * cluster costs nothing between its own heartbeats. Paused, it moves only on `step`.
 *
 * Suspended (the lab has had no page attached for a while, docs/adr/0003-idle-labs-pause.md),
 * it also stops: virtual time does not pass while nobody watches. Suspension is separate
 * from the learner's own pause, so waking up restores whatever the learner had chosen.
 */
import type { ClusterApi } from '@kil/engine';
import { SlicedQueue } from './sliced-queue';

/** What the scheduler drives: a cluster, or both clusters of a geo lab (a MultiCluster). */
export type SchedulerClock = Pick<ClusterApi, 'nowMs' | 'nextEventTimeMs' | 'advanceTo' | 'advanceBy'>;

export interface WallClock {
  nowMs(): number;
  setTimer(delayMs: number, fn: () => void): () => void;
}

/** Every lab timer of the process runs through one sliced queue (see sliced-queue.ts). */
const labTimerQueue = new SlicedQueue();

export const systemClock: WallClock = {
  nowMs: () => performance.now(),
  setTimer(delayMs, fn) {
    // Cancelling after the timer fired but before its slice ran must still stop `fn`.
    let cancelled = false;
    const handle = setTimeout(() => labTimerQueue.push(() => void (cancelled || fn())), Math.max(0, delayMs));
    handle.unref?.();
    return () => {
      cancelled = true;
      clearTimeout(handle);
    };
  },
};

export interface SchedulerState {
  readonly paused: boolean;
  readonly speed: number;
  readonly virtualTimeMs: number;
}

/** Upper bound on one sleep, so speed changes and new work are picked up promptly. */
const sleepMaxMs = 1_000;
export const speedMin = 0.01;
export const speedMax = 100;

export class RealTimeScheduler {
  private paused = false;
  private suspended = false;
  private speed = 1;
  private anchorWallMs: number;
  private anchorVirtualMs: number;
  private cancelTimer: (() => void) | null = null;
  private pokeTimer: (() => void) | null = null;
  private disposed = false;

  constructor(
    private readonly cluster: SchedulerClock,
    private readonly wall: WallClock = systemClock,
    private readonly onAdvance: () => void = () => {},
  ) {
    this.anchorWallMs = wall.nowMs();
    this.anchorVirtualMs = cluster.nowMs();
    this.schedule();
  }

  state(): SchedulerState {
    return { paused: this.paused, speed: this.speed, virtualTimeMs: this.cluster.nowMs() };
  }

  pause(): void {
    if (this.paused) return;
    this.catchUp();
    this.paused = true;
    this.schedule();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.reanchor();
    this.schedule();
  }

  setSpeed(speed: number): void {
    if (!(speed >= speedMin && speed <= speedMax)) {
      throw new RangeError(`speed must be between ${speedMin} and ${speedMax}`);
    }
    this.catchUp();
    this.speed = speed;
    this.reanchor();
    this.schedule();
  }

  /** Advance virtual time by `ms` at once (works paused or running). */
  step(ms: number): void {
    this.cluster.advanceBy(ms);
    this.reanchor();
    this.onAdvance();
    this.schedule();
  }

  /** Stop virtual time without touching the learner's pause/speed; `unsuspend` restarts it. */
  suspend(): void {
    if (this.suspended || this.disposed) return;
    this.catchUp();
    this.suspended = true;
    this.schedule();
  }

  /** Restart virtual time from where it stopped: the suspended stretch of wall time is skipped. */
  unsuspend(): void {
    if (!this.suspended) return;
    this.suspended = false;
    this.reanchor();
    this.schedule();
  }

  get isSuspended(): boolean {
    return this.suspended;
  }

  /**
   * New work arrived (a command was typed): process anything now due, from a timer of its
   * own rather than inline. The caller is usually in the middle of code that awaits the
   * cluster; advancing the clock there would let that code's pending continuations run
   * after the advance, where a replay of the lab's recorded stops would run them before it
   * (recording.ts). A timer starts with nothing pending.
   */
  poke(): void {
    if (this.disposed || this.pokeTimer) return;
    this.pokeTimer = this.wall.setTimer(0, () => {
      this.pokeTimer = null;
      if (this.disposed) return;
      this.catchUp();
      this.schedule();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.pokeTimer?.();
    this.pokeTimer = null;
  }

  private targetVirtualMs(): number {
    return this.anchorVirtualMs + (this.wall.nowMs() - this.anchorWallMs) * this.speed;
  }

  private reanchor(): void {
    this.anchorWallMs = this.wall.nowMs();
    this.anchorVirtualMs = this.cluster.nowMs();
  }

  private catchUp(): void {
    if (this.paused || this.suspended || this.disposed) return;
    const target = Math.floor(this.targetVirtualMs());
    if (target > this.cluster.nowMs()) {
      this.cluster.advanceTo(target);
      this.onAdvance();
    }
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.paused || this.suspended || this.disposed) return;
    const next = this.cluster.nextEventTimeMs();
    const virtualWaitMs = next === null ? Infinity : next - this.cluster.nowMs();
    const wallWaitMs = Math.min(sleepMaxMs, Math.max(0, virtualWaitMs / this.speed));
    if (next === null && this.speed === 1) {
      // Nothing pending: sleep long; a poke wakes us when the learner acts.
      this.cancelTimer = this.wall.setTimer(sleepMaxMs * 5, () => this.wake());
      return;
    }
    this.cancelTimer = this.wall.setTimer(wallWaitMs, () => this.wake());
  }

  private wake(): void {
    this.cancelTimer = null;
    this.catchUp();
    this.schedule();
  }
}
