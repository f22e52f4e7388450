/**
 * Criteria about partition reassignments (KIP-455), read from the snapshot's
 * `reassignments` view: which moves completed and how many bytes the adding replicas
 * copied. The engine counts those bytes as followers append them, so a move of a tiered
 * topic (KIP-405), whose new replica copies only the leader's local segments, shows up
 * as far fewer bytes than the same move of an untiered one.
 */
import type { ReassignmentProgress } from '@kil/engine';
import { criterion } from './criteria';
import type { Criterion, LabView } from './types';

/** Completed reassignments of one partition, oldest first. */
export function completedMoves(view: LabView, topic: string, partition: number): ReassignmentProgress[] {
  return (view.snapshot.reassignments ?? []).filter((r) => r.topic === topic && r.partition === partition && r.state === 'completed');
}

/** Bytes copied by the completed reassignments of one partition, or null when none completed. */
export function bytesMovedBy(view: LabView, topic: string, partition: number): number | null {
  const moves = completedMoves(view, topic, partition);
  return moves.length === 0 ? null : moves.reduce((sum, r) => sum + r.bytesMoved, 0);
}

export interface MovesLessOptions {
  /** The partition whose move should copy less (e.g. of the tiered topic). */
  readonly smaller: { readonly topic: string; readonly partition: number };
  /** The partition it is compared with (e.g. of the untiered topic). */
  readonly larger: { readonly topic: string; readonly partition: number };
  /** The smaller move may copy at most this fraction of the larger one, e.g. 0.5. */
  readonly ratioMax: number;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Both partitions finished a reassignment, the larger one actually copied data, and the
 * smaller one copied at most `ratioMax` of it. The observation names both byte counts
 * and their ratio, so a learner sees how far off the comparison is.
 */
export function movedFarLess({ smaller, larger, ratioMax }: MovesLessOptions): Criterion {
  const name = (p: { topic: string; partition: number }) => `${p.topic}-${p.partition}`;
  const expected = `the move of ${name(smaller)} copied at most ${Math.round(ratioMax * 100)}% of the bytes the move of ${name(larger)} copied`;
  return criterion(expected, (view) => {
    const small = bytesMovedBy(view, smaller.topic, smaller.partition);
    const large = bytesMovedBy(view, larger.topic, larger.partition);
    const missing = [small === null ? name(smaller) : null, large === null ? name(larger) : null].filter((n) => n !== null);
    if (small === null || large === null) return { passed: false, observed: `no completed reassignment of ${missing.join(' or ')} yet` };
    if (large === 0) return { passed: false, observed: `the move of ${name(larger)} copied no bytes; fill ${larger.topic} before moving it` };
    const ratio = small / large;
    const observed = `${name(smaller)} copied ${kib(small)}, ${name(larger)} copied ${kib(large)}: ${Math.round(ratio * 100)}%`;
    return { passed: ratio <= ratioMax, observed };
  });
}
