/**
 * Fast-forward helpers for tests and scripts: advance virtual time event by event until a
 * promise settles or a condition holds. Between events they let pending promise callbacks
 * run, so async client code sees each response before time moves on.
 */
import type { ClusterApi } from './api';

/** What fast-forwarding needs: a clock that can jump to the next event (a Cluster or a MultiCluster). */
export type VirtualClock = Pick<ClusterApi, 'nowMs' | 'nextEventTimeMs' | 'advanceTo'>;

async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** Advances virtual time until `promise` settles; rejects if it has not after `maxMs`. */
export async function settle<T>(cluster: VirtualClock, promise: Promise<T>, maxMs = 60_000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  const deadline = cluster.nowMs() + maxMs;
  for (;;) {
    await flushMicrotasks();
    if (done) return promise;
    const next = cluster.nextEventTimeMs();
    if (next === null || next > deadline) {
      cluster.advanceTo(Math.max(cluster.nowMs(), deadline));
      await flushMicrotasks();
      if (done) return promise;
      throw new Error(`The operation did not complete within ${maxMs} ms of virtual time.`);
    }
    cluster.advanceTo(next);
  }
}

/** Advances virtual time until `condition()` holds; returns false if it never did within `maxMs`. */
export async function runUntil(cluster: VirtualClock, condition: () => boolean, maxMs = 60_000): Promise<boolean> {
  const deadline = cluster.nowMs() + maxMs;
  for (;;) {
    await flushMicrotasks(5);
    if (condition()) return true;
    const next = cluster.nextEventTimeMs();
    if (next === null || next > deadline) {
      cluster.advanceTo(Math.max(cluster.nowMs(), deadline));
      return condition();
    }
    cluster.advanceTo(next);
  }
}
