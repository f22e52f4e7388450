/**
 * The simulated network between nodes. Each directed link delivers messages in FIFO order
 * (Kafka runs over TCP, so a connection never reorders) after a base latency plus any
 * extra delay a fault adds. Faults: cut links (a partition, possibly one-way), drop or
 * duplicate messages with a probability, add latency. A cut is checked both when a
 * message is sent and when it would arrive, so a partition also loses what was in flight.
 *
 * Deviation from a real network: messages are whole values, not bytes, and there is no
 * bandwidth limit; latency does not depend on size.
 */
import type { Prng } from './prng';
import type { Scheduler } from './scheduler';

export interface LinkFault {
  readonly delayMs?: number;
  readonly dropRate?: number;
  readonly duplicateRate?: number;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
}

const linkKey = (from: number, to: number): string => `${from}>${to}`;

export class SimNetwork<M> {
  private readonly cut = new Set<string>();
  private readonly faults = new Map<string, LinkFault>();
  /** Latest scheduled arrival per link, so that later sends never overtake earlier ones. */
  private readonly lastArrivalMs = new Map<string, number>();
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };
  /** Distance-based extra latency per link (a stretched cluster's regions); heal() keeps it. */
  private distanceMs: ((from: number, to: number) => number) | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly deliver: (from: number, to: number, message: M) => void,
    private readonly baseLatencyMs = 1,
  ) {}

  send(from: number, to: number, message: M): void {
    this.stats.sent++;
    const key = linkKey(from, to);
    const fault = this.faults.get(key);
    if (this.cut.has(key) || this.prng.chance(fault?.dropRate ?? 0)) {
      this.stats.dropped++;
      return;
    }
    this.schedule(key, from, to, message, fault);
    if (this.prng.chance(fault?.duplicateRate ?? 0)) {
      this.stats.duplicated++;
      this.schedule(key, from, to, message, fault);
    }
  }

  isCut(from: number, to: number): boolean {
    return this.cut.has(linkKey(from, to));
  }

  partition(a: readonly number[], b: readonly number[], oneWay: boolean): void {
    for (const x of a) {
      for (const y of b) {
        if (x === y) continue;
        this.cut.add(linkKey(x, y));
        if (!oneWay) this.cut.add(linkKey(y, x));
      }
    }
  }

  /** Restores every cut link and clears every link fault. */
  heal(): void {
    this.cut.clear();
    this.faults.clear();
  }

  /** Sets the extra one-way latency every link gets from the distance between its ends. */
  setDistance(distanceMs: ((from: number, to: number) => number) | null): void {
    this.distanceMs = distanceMs;
  }

  setLink(from: number, to: number, fault: LinkFault): void {
    this.faults.set(linkKey(from, to), fault);
  }

  private schedule(key: string, from: number, to: number, message: M, fault: LinkFault | undefined): void {
    const earliest = this.scheduler.nowMs() + this.baseLatencyMs + (fault?.delayMs ?? 0) + (this.distanceMs?.(from, to) ?? 0);
    const arrival = Math.max(earliest, this.lastArrivalMs.get(key) ?? 0);
    this.lastArrivalMs.set(key, arrival);
    this.scheduler.at(arrival, () => {
      if (this.cut.has(key)) {
        this.stats.dropped++;
        return;
      }
      this.stats.delivered++;
      this.deliver(from, to, message);
    });
  }
}
