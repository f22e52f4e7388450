/**
 * Owns every learner's Lab: one per session id, created on first connect, evicted when no
 * page has been attached for `idleEvictMs`. The number of labs is bounded; when full, the
 * least recently active detached lab is evicted to make room, and if none is detached
 * the newcomer is refused with a clear message.
 */
import { Lab } from './lab';
import type { LabShape } from './shape';
import { systemClock, type WallClock } from './scheduler';

export interface LabManagerOptions {
  readonly labsMax?: number;
  readonly idleEvictMs?: number;
  readonly wall?: WallClock;
}

export class LabCapacityError extends Error {
  override name = 'LabCapacityError';
}

export class LabManager {
  private readonly labs = new Map<string, Promise<Lab>>();
  private readonly labsMax: number;
  private readonly idleEvictMs: number;
  private readonly wall: WallClock;
  private sweepCancel: (() => void) | null = null;

  constructor(options: LabManagerOptions = {}) {
    this.labsMax = options.labsMax ?? 2000;
    this.idleEvictMs = options.idleEvictMs ?? 30 * 60_000;
    this.wall = options.wall ?? systemClock;
    this.scheduleSweep();
  }

  get size(): number {
    return this.labs.size;
  }

  /** The session's lab, started (with `shape`) if it has none yet. */
  async labFor(sessionId: string, shape?: Partial<LabShape>): Promise<Lab> {
    const existing = this.labs.get(sessionId);
    if (existing) return existing;
    if (this.labs.size >= this.labsMax) await this.evictOne();
    const starting = Lab.start(`lab-${sessionId.slice(0, 8)}`, shape, this.wall);
    this.labs.set(sessionId, starting);
    starting.catch(() => this.labs.delete(sessionId));
    return starting;
  }

  /** Replace the session's lab with one reopened from a shared run link. */
  async openRun(sessionId: string, link: string): Promise<Lab> {
    const existing = this.labs.get(sessionId);
    if (!existing && this.labs.size >= this.labsMax) await this.evictOne();
    const lab = Lab.fromRunLink(`lab-${sessionId.slice(0, 8)}`, link, this.wall);
    const old = await existing?.catch(() => null);
    old?.dispose();
    this.labs.set(sessionId, Promise.resolve(lab));
    return lab;
  }

  has(sessionId: string): boolean {
    return this.labs.has(sessionId);
  }

  async sweep(): Promise<number> {
    const now = this.wall.nowMs();
    let evicted = 0;
    for (const [sessionId, pending] of this.labs) {
      const lab = await pending.catch(() => null);
      if (!lab || (lab.listenerCount === 0 && now - lab.lastActiveWallMs > this.idleEvictMs)) {
        lab?.dispose();
        this.labs.delete(sessionId);
        evicted++;
      }
    }
    return evicted;
  }

  dispose(): void {
    this.sweepCancel?.();
    for (const pending of this.labs.values()) void pending.then((lab) => lab.dispose(), () => {});
    this.labs.clear();
  }

  private async evictOne(): Promise<void> {
    let victim: { sessionId: string; lab: Lab } | null = null;
    for (const [sessionId, pending] of this.labs) {
      const lab = await pending.catch(() => null);
      if (!lab || lab.listenerCount > 0) continue;
      if (!victim || lab.lastActiveWallMs < victim.lab.lastActiveWallMs) victim = { sessionId, lab };
    }
    if (!victim) throw new LabCapacityError('The server is full right now; every lab is in use. Try again in a few minutes.');
    victim.lab.dispose();
    this.labs.delete(victim.sessionId);
  }

  private scheduleSweep(): void {
    this.sweepCancel = this.wall.setTimer(60_000, () => {
      void this.sweep().finally(() => this.scheduleSweep());
    });
  }
}
