/**
 * Every module challenge, in course order, keyed by the `<Challenge id>` of its module.
 * The site's server resolves "Check my challenge" through this list, and the challenge
 * test runs every solution and starter through the grader.
 */
import type { ChallengeManifest } from './define';
import { keyedSpread } from './01-architecture';
import { rollSegments } from './02-broker';
import { isrRoundTrip } from './03-data-replication';
import { controllerFailover } from './04-control-plane';
import { cooperativeScale } from './05-consumer-group-protocol';
import { notEnoughReplicas } from './06-guarantees';
import { fencedZombie } from './07-transactions';
import { forgetBob } from './08-compaction';
import { remoteRead } from './09-tiered-storage';
import { retireBroker } from './10-cluster-elasticity';
import { surviveRegionCut } from './11-geo-replication';

export type { ChallengeManifest } from './define';
export { defineChallenge, pendingHint, type ChallengeSpec } from './define';

export const challenges: readonly ChallengeManifest[] = [
  keyedSpread,
  rollSegments,
  isrRoundTrip,
  controllerFailover,
  cooperativeScale,
  notEnoughReplicas,
  fencedZombie,
  forgetBob,
  remoteRead,
  retireBroker,
  surviveRegionCut,
];

export function findChallenge(id: string): ChallengeManifest | undefined {
  return challenges.find((c) => c.id === id);
}
