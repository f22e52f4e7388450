/**
 * Run a cluster as fast as it can go until a promise settles. Used to start a lab in a
 * ready state and by tests; the real-time scheduler takes over afterwards.
 */
import type { ClusterApi } from '@kil/engine';

/** A cluster, or both clusters of a geo lab. */
type Clock = Pick<ClusterApi, 'nowMs' | 'nextEventTimeMs' | 'advanceTo'>;

const yieldToMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function fastForward<T>(cluster: Clock, work: Promise<T>, maxVirtualMs = 60_000): Promise<T> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = cluster.nowMs() + maxVirtualMs;
  await yieldToMicrotasks();
  while (!settled && cluster.nowMs() < deadline) {
    const next = cluster.nextEventTimeMs();
    cluster.advanceTo(next === null ? deadline : Math.min(Math.max(next, cluster.nowMs()), deadline));
    await yieldToMicrotasks();
  }
  if (!settled) throw new Error(`cluster did not settle within ${maxVirtualMs} ms of virtual time`);
  return work;
}

/** Advance until `ready()` holds, checking after every event. */
export async function fastForwardUntil(cluster: Clock, ready: () => boolean, maxVirtualMs = 60_000): Promise<void> {
  const deadline = cluster.nowMs() + maxVirtualMs;
  while (!ready()) {
    if (cluster.nowMs() >= deadline) throw new Error(`condition not reached within ${maxVirtualMs} ms of virtual time`);
    const next = cluster.nextEventTimeMs();
    cluster.advanceTo(next === null ? deadline : Math.min(Math.max(next, cluster.nowMs()), deadline));
    await yieldToMicrotasks();
  }
}
