/**
 * The geo-replication side of a Lab: two clusters on one clock (the engine's
 * MultiCluster), us-east on localhost:9092 and up, eu-west on localhost:9192 and up. The
 * lab's scheduler drives the MultiCluster; the terminal and learner code talk to the
 * primary unless their bootstrap servers name the secondary (`regionOfLine`,
 * `regionOfBootstrap` from @kil/grader, shared with the grading lab).
 *
 * Time travel: a rewind rebuilds one cluster from its recorded inputs (facade calls, built-in
 * client commands and clock stops, recording.ts). A geo lab's state also lives in the
 * secondary region, the mirrors, the link and the region switches, and its scheduler stops
 * one clock for both clusters; none of that is in the log, so a geo lab is marked
 * unreplayable rather than rewound to a wrong past.
 */
import { type ClusterApi, type ClusterOptions, type MultiCluster } from '@kil/engine';
import { geoCluster } from '@kil/grader';
import type { GeoMirrorFlow, GeoSnapshot } from './protocol';
import { fastForward, fastForwardUntil } from './fast-forward';
import type { LabShape } from './shape';

export const geoUnreplayableReason =
  'Rewind and shared links are not available in a two-cluster lab: the second region, the mirrors and the region switches are not recorded. Use "lab reset" to start again.';

/** Builds both clusters, waits until every broker of each sees the others, and seeds topics. */
export async function bootGeo(options: ClusterOptions, shape: LabShape, ready: (cluster: ClusterApi) => () => boolean): Promise<MultiCluster> {
  const multi = geoCluster(options, shape);
  const both = [ready(multi.primary), ready(multi.secondary)];
  await fastForwardUntil(multi, () => both.every((r) => r()));
  await seed(multi, multi.primary, shape.topics ?? []);
  await seed(multi, multi.secondary, shape.secondary?.topics ?? []);
  return multi;
}

async function seed(multi: MultiCluster, cluster: ClusterApi, topics: NonNullable<LabShape['topics']>): Promise<void> {
  if (topics.length === 0) return;
  await fastForward(multi, cluster.admin.createTopics(topics));
  await fastForwardUntil(multi, () => cluster.snapshot().topics.every((t) => t.partitions.every((p) => p.leader !== -1)));
}

/** What the page's mirroring view needs beyond the primary's snapshot. */
export function geoSnapshot(multi: MultiCluster): GeoSnapshot {
  const mirrors = multi.status().map((flow): GeoMirrorFlow => {
    const [source = '', target = ''] = flow.flow.split('->');
    const d = flow.details;
    const topics =
      'topic' in d
        ? [{ sourceTopic: d.topic, targetTopic: d.topic }]
        : [...new Map(d.partitions.map((p) => [p.sourceTopic, { sourceTopic: p.sourceTopic, targetTopic: p.targetTopic }])).values()];
    return { mode: flow.mode, source, target, state: flow.state, topics };
  });
  return {
    primaryAlias: multi.primaryAlias,
    alias: multi.secondaryAlias,
    snapshot: multi.secondary.snapshot(),
    up: Object.fromEntries(multi.regions.map((r) => [r.alias, r.up])),
    linkLatencyMs: multi.linkLatencyMs,
    mirrors,
  };
}
