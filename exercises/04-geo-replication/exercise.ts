/**
 * Exercise 4: geo-replication. A lab of two clusters on one clock: us-east (the primary,
 * localhost:9092) and eu-west (the secondary, localhost:9192), joined by a 40 ms link.
 * MirrorMaker 2 copies `orders` to eu-west as `us-east.orders` and translates the billing
 * group's offsets; us-east is cut off; billing fails over and resumes in eu-west.
 *
 * Checks read both regions' snapshots and traces: the mirror's events (`mirror-started`,
 * `mirror-checkpoint` with the translated offsets, `region-down`), the group's commits
 * (`offset-committed`), and the failover report (`failover-completed`), whose lost and
 * duplicated counts must agree with what the two snapshots and the checkpoints show.
 */
import { criterion, dataOf, type Criterion, type ExerciseManifest, type LabView } from '@kil/grader';
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import * as solution from './solution/main';
import starter from './starter/main';

const file = 'solution/main.ts';
const remote = 'us-east.orders';

interface Checkpoint {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly upstreamOffset: number;
  readonly downstreamOffset: number;
}

interface ReportPartition {
  readonly partition: number;
  readonly acknowledged: number;
  readonly mirroredUpTo: number;
  readonly lost: number;
  readonly committedOnPrimary: number;
  readonly resumeOffset: number;
  readonly duplicated: number;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const secondaryEvents = (view: LabView): readonly TraceEvent[] => view.secondary?.events ?? [];
const total = (snapshot: ClusterSnapshot | undefined, topic: string): number =>
  snapshot?.topics.find((t) => t.name === topic)?.partitions.reduce((n, p) => n + Math.max(0, p.highWatermark), 0) ?? 0;

/** Billing's checkpoints in the trace, oldest first, each with the seq of its event. */
function checkpoints(view: LabView): (Checkpoint & { seq: number })[] {
  return view.events
    .filter((e) => e.type === 'mirror-checkpoint')
    .flatMap((e) => (list(dataOf(e, 'checkpoints')) as Checkpoint[]).map((c) => ({ ...c, seq: e.seq })))
    .filter((c) => c.group === 'billing' && c.topic === remote);
}

function billingCommits(events: readonly TraceEvent[], topic: string): TraceEvent[] {
  return events.filter((e) => e.type === 'offset-committed' && dataOf(e, 'groupId') === 'billing' && list(dataOf(e, 'offsets')).some((t) => (t as { name?: string }).name === topic));
}

function failoverReport(view: LabView): TraceEvent | undefined {
  return secondaryEvents(view).filter((e) => e.type === 'failover-completed' && dataOf(e, 'group') === 'billing').at(-1);
}

const mirrorStarted: Criterion = criterion('a MirrorMaker 2 flow copies orders from us-east to eu-west and checkpoints group billing', (view) => {
  const started = view.events.filter((e) => e.type === 'mirror-started');
  const mm2 = started.find((e) => dataOf(e, 'mode') === 'mm2' && list(dataOf(e, 'topics')).includes('orders'));
  if (!mm2) return { passed: false, observed: started.length ? `mirror flows started: ${started.map((e) => e.message).join(' ')}` : 'no mirror flow has started' };
  if (!list(dataOf(mm2, 'groups')).includes('billing')) return { passed: false, observed: 'the flow mirrors orders but no groups, so billing\'s offsets are never checkpointed' };
  return { passed: true, observed: mm2.message };
});

const remoteTopic: Criterion = criterion(`eu-west holds ${remote} with the 3 partitions of orders`, (view) => {
  const topic = view.secondary?.snapshot.topics.find((t) => t.name === remote);
  if (!view.secondary) return { passed: false, observed: 'this lab has one cluster' };
  return topic ? { passed: topic.partitions.length === 3, observed: `${remote} in eu-west has ${topic.partitions.length} partition(s)` } : { passed: false, observed: `eu-west has no topic ${remote}` };
});

const ordersMirrored: Criterion = criterion(`at least 30 orders reached ${remote} in eu-west`, (view) => {
  const n = total(view.secondary?.snapshot, remote);
  return { passed: n >= 30, observed: `${remote} in eu-west holds ${n} order(s); orders in us-east holds ${total(view.snapshot, 'orders')}` };
});

const billingCommitted: Criterion = criterion('group billing committed offsets on orders in us-east', (view) => {
  const commits = billingCommits(view.events, 'orders');
  return commits.length ? { passed: true, observed: commits.at(-1)!.message } : { passed: false, observed: 'billing has not committed offsets on orders' };
});

const translated: Criterion = criterion(`a checkpoint translated billing's committed offsets on orders into ${remote} offsets`, (view) => {
  const found = checkpoints(view).filter((c) => c.upstreamOffset > 0);
  if (found.length === 0) return { passed: false, observed: 'no checkpoint for billing yet: checkpoints are written every emit.checkpoints.interval.seconds (60 s of lab time)' };
  const c = found.at(-1)!;
  return { passed: c.downstreamOffset <= c.upstreamOffset, observed: `billing ${c.topic}-${c.partition}: committed ${c.upstreamOffset} in us-east, translated to ${c.downstreamOffset} in eu-west` };
});

const cutOff: Criterion = criterion('region us-east was cut off', (view) => {
  const down = view.events.find((e) => e.type === 'region-down' && dataOf(e, 'region') === 'us-east');
  return down ? { passed: true, observed: down.message } : { passed: false, observed: 'us-east was never cut off (`region down us-east`)' };
});

const unmirrored: Criterion = criterion('us-east acknowledged orders that never reached eu-west', (view) => {
  const source = total(view.snapshot, 'orders');
  const copied = total(view.secondary?.snapshot, remote);
  return { passed: source > copied, observed: `orders in us-east holds ${source}, ${remote} in eu-west ${copied}` };
});

const committedAfterCheckpoint: Criterion = criterion('billing committed again after its last checkpoint before the cut', (view) => {
  const down = view.events.find((e) => e.type === 'region-down' && dataOf(e, 'region') === 'us-east');
  const before = (seq: number) => down === undefined || seq < down.seq;
  const last = checkpoints(view).filter((c) => before(c.seq)).at(-1);
  if (!last) return { passed: false, observed: 'no checkpoint for billing before the cut' };
  const later = billingCommits(view.events, 'orders').filter((e) => e.seq > last.seq && before(e.seq));
  return later.length ? { passed: true, observed: later.at(-1)!.message } : { passed: false, observed: 'billing made no commit between its last checkpoint and the cut, so the failover would repeat nothing' };
});

const failedOver: Criterion = criterion('group billing failed over to eu-west', (view) => {
  const report = failoverReport(view);
  return report ? { passed: true, observed: report.message } : { passed: false, observed: 'no failover of billing in eu-west\'s trace (`mirror failover --group billing --topic orders`)' };
});

/** Billing's last committed offset on orders-`partition` in us-east's trace (0 without one). */
function lastCommitted(view: LabView, partition: number): number {
  let offset = 0;
  for (const e of billingCommits(view.events, 'orders')) {
    for (const t of list(dataOf(e, 'offsets')) as { name?: string; partitions?: { partitionIndex: number; committedOffset: number }[] }[]) {
      if (t.name !== 'orders') continue;
      for (const p of t.partitions ?? []) if (p.partitionIndex === partition) offset = p.committedOffset;
    }
  }
  return offset;
}

/**
 * The lab's own measurement, independent of the report: lost = what us-east acknowledged
 * minus what reached eu-west (both snapshots); billed twice = billing's last commit in
 * us-east's trace minus where it resumes (remote offsets follow the source one for one
 * here, because `us-east.orders` started empty and orders has no transaction markers).
 */
const reportAddsUp: Criterion = criterion('the failover report\'s lost and duplicated counts agree with both clusters\' snapshots and billing\'s commits', (view) => {
  const report = failoverReport(view);
  if (!report) return { passed: false, observed: 'no failover report yet' };
  const parts = list(dataOf(report, 'partitions')) as ReportPartition[];
  const target = String(dataOf(report, 'targetTopic'));
  const lost = total(view.snapshot, 'orders') - total(view.secondary?.snapshot, target);
  const copied = (p: number) => view.secondary?.snapshot.topics.find((t) => t.name === target)?.partitions.find((x) => x.partition === p)?.highWatermark ?? 0;
  const duplicated = parts.reduce((n, p) => n + Math.max(0, Math.min(lastCommitted(view, p.partition), copied(p.partition)) - p.resumeOffset), 0);
  const problems: string[] = [];
  if (dataOf(report, 'lost') !== lost) problems.push(`the report says ${String(dataOf(report, 'lost'))} lost, the snapshots show ${lost}`);
  if (dataOf(report, 'duplicated') !== duplicated) problems.push(`the report says ${String(dataOf(report, 'duplicated'))} billed twice, billing's commits and resume offsets give ${duplicated}`);
  if (problems.length) return { passed: false, observed: problems.join('; ') };
  const both = lost > 0 && duplicated > 0;
  return { passed: both, observed: `${lost} order(s) lost, ${duplicated} billed twice${both ? '' : ': the drill must show both (write orders while us-east is cut off; commit after the last checkpoint)'}` };
});

const resumedFromTranslated: Criterion = criterion('billing resumed in eu-west from the translated checkpoint offsets', (view) => {
  const report = failoverReport(view);
  if (!report || dataOf(report, 'mode') !== 'mm2') return { passed: false, observed: report ? 'the failover did not go through MirrorMaker 2' : 'no failover yet' };
  const parts = list(dataOf(report, 'partitions')) as ReportPartition[];
  const wrong = parts.filter((p) => {
    const c = checkpoints(view).filter((x) => x.partition === p.partition).at(-1);
    return p.resumeOffset !== (c?.downstreamOffset ?? 0);
  });
  return wrong.length ? { passed: false, observed: `resume offsets ${wrong.map((p) => `${p.partition}@${p.resumeOffset}`).join(', ')} are not the last checkpoints` } : { passed: true, observed: `resume offsets ${parts.map((p) => `${remote}-${p.partition}@${p.resumeOffset}`).join(', ')}` };
});

const consumedInEuWest: Criterion = criterion(`a billing consumer in eu-west read ${remote} from there and committed`, (view) => {
  const report = failoverReport(view);
  const memberCommits = billingCommits(secondaryEvents(view), remote).filter((e) => Number(dataOf(e, 'generationId')) >= 1 && (report === undefined || e.seq > report.seq));
  if (memberCommits.length === 0) return { passed: false, observed: `no commit by a member of billing on ${remote} in eu-west after the failover` };
  const parts = report ? (list(dataOf(report, 'partitions')) as ReportPartition[]) : [];
  const committed = list(dataOf(memberCommits.at(-1)!, 'offsets')).flatMap((t) => list((t as { partitions?: unknown }).partitions)) as { partitionIndex: number; committedOffset: number }[];
  const behind = committed.filter((c) => c.committedOffset < (parts.find((p) => p.partition === c.partitionIndex)?.resumeOffset ?? 0));
  return behind.length ? { passed: false, observed: `billing committed below its resume point on partition(s) ${behind.map((c) => c.partitionIndex).join(', ')}` } : { passed: true, observed: memberCommits.at(-1)!.message };
});

export const geoReplication: ExerciseManifest = {
  id: 'geo-replication',
  title: 'Geo-replication',
  lab: {
    brokers: 3,
    controllers: 3,
    racks: ['us-east-a', 'us-east-b', 'us-east-c'],
    topics: [{ name: 'orders', numPartitions: 3, replicationFactor: 3 }],
    clusters: 2,
    secondary: { brokers: 3, controllers: 3, racks: ['eu-west-a', 'eu-west-b', 'eu-west-c'] },
    linkLatencyMs: 40,
  },
  setup: [],
  starter: [{ kind: 'code', file: 'starter/main.ts', program: starter }],
  tasks: [
    {
      id: 'mirror',
      title: 'Mirror orders to eu-west',
      description: 'Start a MirrorMaker 2 flow from us-east to eu-west for topic `orders`, checkpointing group `billing`.',
      criteria: [mirrorStarted, remoteTopic],
      hints: ['`mirror start --topics orders --groups billing`', 'MirrorMaker 2 names the copy after its source cluster: `us-east.orders`.'],
      solution: [{ kind: 'shell', line: 'mirror start --topics orders --groups billing' }],
      needs: ['geo-replication'],
    },
    {
      id: 'consume',
      title: 'Bill some orders in us-east',
      description: 'Write 30 orders to `orders` and let group `billing` process some of them and commit.',
      criteria: [billingCommitted, ordersMirrored],
      hints: ['`kafka.consumer({ groupId: "billing", autoOffsetReset: "earliest", maxPollRecords: 20 })`, a few polls, then `commitSync()`.'],
      solution: [{ kind: 'code', file, program: solution.consumeSome }],
      needs: ['consumer-groups', 'geo-replication'],
    },
    {
      id: 'checkpoint',
      title: 'Wait for a checkpoint',
      description: 'Let a minute of lab time pass: MirrorMaker 2 translates billing\'s committed offsets into `us-east.orders` offsets.',
      criteria: [translated],
      hints: ['`time step 61000` (pause first with `time pause`), or just wait a minute.', '`mirror status` shows the flow; the trace shows `mirror-checkpoint` events.'],
      solution: [{ kind: 'advance', ms: 61_000 }],
      needs: ['geo-replication'],
    },
    {
      id: 'cut',
      title: 'Keep billing, then lose us-east',
      description: 'Let billing process a few more orders and commit; then cut us-east off with `region down us-east` and write 6 more orders there.',
      criteria: [committedAfterCheckpoint, cutOff, unmirrored],
      hints: ['Your terminal and code run inside us-east, so they still reach its brokers after the cut; eu-west does not.', 'Commit between the checkpoint and the cut: that is what gets billed twice.'],
      solution: [
        { kind: 'code', file, program: solution.keepBilling },
        { kind: 'shell', line: 'region down us-east' },
        { kind: 'code', file, program: solution.ordersDuringCut },
      ],
      needs: ['consumer-groups', 'geo-replication'],
    },
    {
      id: 'failover',
      title: 'Fail billing over and account for the damage',
      description: 'Run the failover drill for group `billing` on `orders`. Its report says, per partition, what us-east acknowledged, what had reached eu-west, where billing resumes, and how many orders were lost and billed twice.',
      criteria: [failedOver, resumedFromTranslated, reportAddsUp],
      hints: ['`mirror failover --group billing --topic orders`', 'Lost: acknowledged in us-east after the last copy. Billed twice: committed after the last checkpoint.'],
      solution: [{ kind: 'shell', line: 'mirror failover --group billing --topic orders' }],
      needs: ['geo-replication'],
    },
    {
      id: 'resume',
      title: 'Resume billing in eu-west',
      description: 'Point a billing consumer at eu-west (`kafka.cluster("localhost:9192")`), subscribe to `us-east.orders`, poll and commit: it starts at the translated offsets.',
      criteria: [consumedInEuWest],
      hints: ['`kafka.cluster("localhost:9192").consumer({ groupId: "billing" })`', 'In the terminal: `kafka-console-consumer --bootstrap-server localhost:9192 --topic us-east.orders --group billing`.'],
      solution: [{ kind: 'code', file, program: solution.resumeInEuWest }],
      needs: ['consumer-groups', 'geo-replication'],
    },
  ],
};
