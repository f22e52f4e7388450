import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '@kil/engine';
import { Lab, labIdleGraceMs } from './lab';
import { RealTimeScheduler, type WallClock } from './scheduler';

/** A wall clock moved by hand; timers fire in time order as it passes them. */
function manualWall(): WallClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { atMs: number; fn: () => void }>();
  return {
    nowMs: () => now,
    setTimer(delayMs, fn) {
      const id = ++seq;
      timers.set(id, { atMs: now + Math.max(0, delayMs), fn });
      return () => timers.delete(id);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.atMs <= end).sort(([, a], [, b]) => a.atMs - b.atMs)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].atMs);
        due[1].fn();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}

describe('RealTimeScheduler suspension', () => {
  it('stops virtual time, then resumes from where it stopped without replaying the gap', () => {
    const wall = manualWall();
    const cluster = new Cluster({ seed: 3, brokers: 1, controllers: 1 });
    const scheduler = new RealTimeScheduler(cluster, wall);
    wall.advance(2_000);
    expect(cluster.nowMs()).toBeGreaterThanOrEqual(1_000);
    scheduler.suspend();
    const stoppedAt = cluster.nowMs();
    expect(wall.pending()).toBe(0);
    wall.advance(60_000);
    expect(cluster.nowMs()).toBe(stoppedAt);
    scheduler.unsuspend();
    wall.advance(1_000);
    expect(cluster.nowMs()).toBeGreaterThan(stoppedAt);
    expect(cluster.nowMs()).toBeLessThanOrEqual(stoppedAt + 1_000);
    scheduler.dispose();
  });

  it('keeps the learner’s own pause across a suspension', () => {
    const wall = manualWall();
    const cluster = new Cluster({ seed: 3, brokers: 1, controllers: 1 });
    const scheduler = new RealTimeScheduler(cluster, wall);
    scheduler.pause();
    scheduler.suspend();
    scheduler.unsuspend();
    const at = cluster.nowMs();
    wall.advance(5_000);
    expect(scheduler.state().paused).toBe(true);
    expect(cluster.nowMs()).toBe(at);
    scheduler.dispose();
  });
});

describe('Lab idle suspension (docs/adr/0003-idle-labs-pause.md)', () => {
  const labs: Lab[] = [];
  afterEach(() => {
    for (const lab of labs.splice(0)) lab.dispose();
  });

  async function started(): Promise<{ lab: Lab; wall: ReturnType<typeof manualWall> }> {
    const wall = manualWall();
    const lab = await Lab.start('idle', { brokers: 1, controllers: 1 }, wall);
    labs.push(lab);
    return { lab, wall };
  }

  it('suspends after the grace period with no page, and a page wakes it', async () => {
    const { lab, wall } = await started();
    const detach = lab.attach({ send: () => {} });
    wall.advance(5_000);
    detach();
    wall.advance(labIdleGraceMs - 1_000);
    expect(lab.suspended).toBe(false);
    wall.advance(2_000);
    expect(lab.suspended).toBe(true);
    const stoppedAt = lab.clusterApi.nowMs();
    wall.advance(10 * 60_000);
    expect(lab.clusterApi.nowMs()).toBe(stoppedAt);
    lab.attach({ send: () => {} });
    expect(lab.suspended).toBe(false);
    wall.advance(3_000);
    expect(lab.clusterApi.nowMs()).toBeGreaterThan(stoppedAt);
    // With a page attached it never suspends.
    wall.advance(labIdleGraceMs * 3);
    expect(lab.suspended).toBe(false);
  });

  it('does not suspend while a command is still running, and does once it ends', async () => {
    const { lab, wall } = await started();
    const running = lab.exec(2, 'trace --follow');
    wall.advance(labIdleGraceMs * 2);
    expect(lab.suspended).toBe(false);
    lab.interrupt();
    await running;
    wall.advance(labIdleGraceMs + 1);
    expect(lab.suspended).toBe(true);
  });

  it('a typed command wakes a suspended lab', async () => {
    const { lab, wall } = await started();
    wall.advance(labIdleGraceMs + 1);
    expect(lab.suspended).toBe(true);
    const out: string[] = [];
    lab.attach({ send: (m) => void (m.t === 'out' && out.push(m.text)) });
    await lab.exec(1, 'lab status');
    expect(out.join('')).not.toContain('stopped: no page open');
    expect(lab.suspended).toBe(false);
  });
});
