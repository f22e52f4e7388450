/**
 * The failover drill: the primary region is lost, a consumer group moves to the secondary
 * and resumes there, and the drill accounts for what that cost.
 *
 * - Lost: records the primary acknowledged (below its high watermark) that never reached
 *   the secondary. With asynchronous replication this is the replication lag at the moment
 *   of failure: the real recovery point.
 * - Duplicated: records the group had already consumed (below its committed offset on the
 *   primary) that it reads again in the secondary, because it resumes from the last
 *   translated checkpoint (MirrorMaker 2) or the last synced offset (mirror topic), which
 *   trail its true position.
 *
 * MirrorMaker 2: the group resumes in `<alias>.<topic>` at its checkpoint's downstream
 * offset (0 without one: auto.offset.reset=earliest replays the whole remote topic). A
 * mirror topic: the topic is promoted, and the group resumes at its synced offset (0
 * without one). In both cases the resume offsets are committed in the secondary: in its
 * offset store and through its group coordinator (OffsetCommit of an empty group, what
 * `kafka-consumer-groups --reset-offsets` does), so any consumer of the group that starts in
 * the secondary resumes there. A group already active in the secondary keeps its offsets.
 */
import { KafkaError } from '../errors';
import type { MirrorMaker2 } from './mm2';
import type { LinkedTopic } from './linked-topic';
import type { MultiCluster } from './multi-cluster';

export interface FailoverOptions {
  readonly group: string;
  readonly topic: string;
  /** Which mirror carries the topic; by default the one that exists. */
  readonly mode?: 'mm2' | 'link';
}

export interface FailoverPartition {
  readonly partition: number;
  /** Acknowledged on the primary: its high watermark at failover. */
  readonly acknowledged: number;
  /** Source offsets below this reached the secondary. */
  readonly mirroredUpTo: number;
  readonly lost: number;
  /** The group's true position: its committed offset on the primary (0 if none). */
  readonly committedOnPrimary: number;
  /** Where the group resumes in the secondary, in the secondary's offsets. */
  readonly resumeOffset: number;
  /** The source offset the resume point corresponds to. */
  readonly resumeUpstreamOffset: number;
  readonly duplicated: number;
}

export interface FailoverReport {
  readonly mode: 'mm2' | 'link';
  readonly group: string;
  readonly sourceTopic: string;
  /** The topic the group reads in the secondary (`us-east.orders` with MM2). */
  readonly targetTopic: string;
  readonly partitions: readonly FailoverPartition[];
  readonly lost: number;
  readonly duplicated: number;
  /** A sentence for the learner. */
  readonly summary: string;
}

export async function runFailover(multi: MultiCluster, options: FailoverOptions): Promise<FailoverReport> {
  const primary = multi.primaryAlias;
  multi.regionDown(primary);
  const { mirrorMakers, linkedTopics } = multi.mirrors();
  const mm2 = mirrorMakers.find((m) => m.sourceAlias === primary && m.tasks.some((t) => t.topic === options.topic));
  const link = linkedTopics.find((l) => l.sourceAlias === primary && l.topic === options.topic);
  const mode = options.mode ?? (link !== undefined && mm2 === undefined ? 'link' : 'mm2');
  const report = mode === 'mm2' ? failoverMm2(multi, options, mm2) : failoverLink(multi, options, link);
  for (const p of report.partitions) multi.commitOffset(multi.secondaryAlias, options.group, report.targetTopic, p.partition, p.resumeOffset);
  const resume = report.partitions.map((p) => ({ topic: report.targetTopic, partition: p.partition, offset: p.resumeOffset }));
  await multi.secondary.admin.alterConsumerGroupOffsets(options.group, resume).catch(() => undefined);
  const data = { mode, group: options.group, sourceTopic: report.sourceTopic, targetTopic: report.targetTopic, lost: report.lost, duplicated: report.duplicated, partitions: report.partitions };
  multi.secondary.trace.emit({ type: 'failover-completed', topic: report.targetTopic, message: report.summary, data });
  return report;
}

function primaryHighWatermarks(multi: MultiCluster, topic: string): number[] {
  const described = multi.primary.snapshot().topics.find((t) => t.name === topic);
  if (described === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${topic} does not exist in ${multi.primaryAlias}.`);
  return described.partitions.map((p) => Math.max(0, p.highWatermark));
}

function failoverMm2(multi: MultiCluster, options: FailoverOptions, mm2: MirrorMaker2 | undefined): FailoverReport {
  if (mm2 === undefined) throw new KafkaError('INVALID_REQUEST', `No MirrorMaker 2 flow replicates ${options.topic} from ${multi.primaryAlias}.`, `Start one with \`mirror start --mode mm2 --topic ${options.topic}\`.`);
  mm2.stop();
  const targetTopic = mm2.remoteTopic(options.topic);
  const partitions = primaryHighWatermarks(multi, options.topic).map((acknowledged, partition): FailoverPartition => {
    const task = mm2.tasks.find((t) => t.topic === options.topic && t.partition === partition)!;
    const committed = multi.committedOffset(multi.primaryAlias, options.group, options.topic, partition) ?? 0;
    const resumeOffset = mm2.checkpoint(options.group, targetTopic, partition)?.downstreamOffset ?? 0;
    // The first source record the group will see again; everything from there below its
    // committed position is read a second time.
    const resumeUpstream = mm2.upstreamOf(options.topic, partition, resumeOffset) ?? task.next;
    const duplicated = countMirroredBetween(mm2, options.topic, partition, resumeOffset, Math.min(committed, task.next));
    return { partition, acknowledged, mirroredUpTo: task.next, lost: Math.max(0, acknowledged - task.next), committedOnPrimary: committed, resumeOffset, resumeUpstreamOffset: resumeUpstream, duplicated };
  });
  return finish('mm2', options, targetTopic, partitions);
}

/** Remote records from downstream offset `from` whose source offset is below `upstreamEnd`. */
function countMirroredBetween(mm2: MirrorMaker2, topic: string, partition: number, from: number, upstreamEnd: number): number {
  let n = 0;
  for (let d = from; ; d++) {
    const upstream = mm2.upstreamOf(topic, partition, d);
    if (upstream === undefined || upstream >= upstreamEnd) return n;
    n++;
  }
}

function failoverLink(multi: MultiCluster, options: FailoverOptions, link: LinkedTopic | undefined): FailoverReport {
  if (link === undefined) throw new KafkaError('INVALID_REQUEST', `No mirror topic copies ${options.topic} from ${multi.primaryAlias}.`, `Create one with \`mirror start --mode link --topic ${options.topic}\`.`);
  const status = link.status();
  link.promote();
  const partitions = primaryHighWatermarks(multi, options.topic).map((acknowledged, partition): FailoverPartition => {
    const mirrored = status.partitions[partition]?.mirroredUpTo ?? 0;
    const committed = multi.committedOffset(multi.primaryAlias, options.group, options.topic, partition) ?? 0;
    const synced = multi.committedOffset(multi.secondaryAlias, options.group, options.topic, partition) ?? 0;
    // Offsets are identical on both sides, so the synced offset is valid as it is.
    const resumeOffset = Math.min(synced, mirrored);
    const duplicated = Math.max(0, Math.min(committed, mirrored) - resumeOffset);
    return { partition, acknowledged, mirroredUpTo: mirrored, lost: Math.max(0, acknowledged - mirrored), committedOnPrimary: committed, resumeOffset, resumeUpstreamOffset: resumeOffset, duplicated };
  });
  return finish('link', options, options.topic, partitions);
}

function finish(mode: 'mm2' | 'link', options: FailoverOptions, targetTopic: string, partitions: FailoverPartition[]): FailoverReport {
  const lost = partitions.reduce((n, p) => n + p.lost, 0);
  const duplicated = partitions.reduce((n, p) => n + p.duplicated, 0);
  const how = mode === 'mm2' ? 'its last translated checkpoint' : 'its last synced offset (offsets are identical on both sides)';
  const summary =
    `Failover of group ${options.group} to ${targetTopic} (${mode === 'mm2' ? 'MirrorMaker 2' : 'mirror topic'}): ` +
    `${lost} acknowledged record(s) never reached the secondary and are lost; the group resumes from ${how} and reads ${duplicated} record(s) a second time.`;
  return { mode, group: options.group, sourceTopic: options.topic, targetTopic, partitions, lost, duplicated, summary };
}
