/**
 * Owns every learner's labs: one per session and place (the sandbox, or a module or
 * exercise that asks for its own lab shape), so that each lesson keeps the cluster the
 * learner built in it. A lab is created on first connect and evicted when no page has
 * been attached for `idleEvictMs`. Labs are bounded per session and in total; when a
 * bound is reached the least recently active detached lab is evicted, and if none is
 * detached the newcomer is refused with a clear message.
 */
import { Lab } from './lab';
import type { LabShape } from './shape';
import { systemClock, type WallClock } from './scheduler';

export interface LabManagerOptions {
  readonly labsMax?: number;
  readonly idleEvictMs?: number;
  readonly labsPerSessionMax?: number;
  readonly wall?: WallClock;
}

const keyOf = (sessionId: string, place: string) => `${sessionId}\u0000${place}`;
const sessionOf = (key: string) => key.slice(0, key.indexOf('\u0000'));

export class LabCapacityError extends Error {
  override name = 'LabCapacityError';
}

export class LabManager {
  private readonly labs = new Map<string, Promise<Lab>>();
  private readonly labsMax: number;
  private readonly idleEvictMs: number;
  private readonly labsPerSessionMax: number;
  private readonly wall: WallClock;
  private sweepCancel: (() => void) | null = null;

  constructor(options: LabManagerOptions = {}) {
    this.labsMax = options.labsMax ?? 2000;
    this.idleEvictMs = options.idleEvictMs ?? 30 * 60_000;
    this.labsPerSessionMax = options.labsPerSessionMax ?? 4;
    this.wall = options.wall ?? systemClock;
    this.scheduleSweep();
  }

  get size(): number {
    return this.labs.size;
  }

  /** The session's lab for `place`, started (with `shape`) if it has none yet. */
  async labFor(sessionId: string, place: string, shape?: Partial<LabShape>): Promise<Lab> {
    const key = keyOf(sessionId, place);
    const existing = this.labs.get(key);
    if (existing) return existing;
    await this.makeRoom(sessionId);
    const starting = Lab.start(`lab-${sessionId.slice(0, 6)}-${place.replace(/[^a-z0-9]+/g, '-')}`.slice(0, 48), shape, this.wall);
    this.labs.set(key, starting);
    starting.catch(() => this.labs.delete(key));
    return starting;
  }

  /** Replace the session's lab for `place` with one reopened from a shared run link. */
  async openRun(sessionId: string, place: string, link: string): Promise<Lab> {
    const key = keyOf(sessionId, place);
    const existing = this.labs.get(key);
    if (!existing) await this.makeRoom(sessionId);
    const lab = await Lab.fromRunLink(`lab-${sessionId.slice(0, 6)}-run`, link, this.wall);
    const old = await existing?.catch(() => null);
    old?.dispose();
    this.labs.set(key, Promise.resolve(lab));
    return lab;
  }

  /** Whether the session has any lab. */
  has(sessionId: string): boolean {
    for (const key of this.labs.keys()) if (sessionOf(key) === sessionId) return true;
    return false;
  }

  private async makeRoom(sessionId: string): Promise<void> {
    const own = [...this.labs.keys()].filter((key) => sessionOf(key) === sessionId);
    if (own.length >= this.labsPerSessionMax) {
      await this.evictOne(own, 'You have too many labs open; close a lab tab and try again.');
    }
    if (this.labs.size >= this.labsMax) await this.evictOne([...this.labs.keys()]);
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

  private async evictOne(
    keys: readonly string[],
    refusal = 'The server is full right now; every lab is in use. Try again in a few minutes.',
  ): Promise<void> {
    let victim: { key: string; lab: Lab } | null = null;
    for (const key of keys) {
      const lab = await this.labs.get(key)?.catch(() => null);
      if (!lab || lab.listenerCount > 0) continue;
      if (!victim || lab.lastActiveWallMs < victim.lab.lastActiveWallMs) victim = { key, lab };
    }
    if (!victim) throw new LabCapacityError(refusal);
    victim.lab.dispose();
    this.labs.delete(victim.key);
  }

  private scheduleSweep(): void {
    this.sweepCancel = this.wall.setTimer(60_000, () => {
      void this.sweep().finally(() => this.scheduleSweep());
    });
  }
}
