'use client';
/**
 * Every picture of the learner's lab, by kind, fed from the page's live connection. The
 * same component backs the lab panel's tabs and the <LiveView> embedded in lessons.
 * Clicking a node types the equivalent command into the terminal, so the picture teaches
 * the CLI.
 */
import { useEffect, useState } from 'react';
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import type { GeoSnapshot } from '@kil/lab/protocol';
import {
  BrokersTable,
  ClusterView,
  ControllerComparisonView,
  ControllersTable,
  EventTimeline,
  GroupView,
  groupModelFromEvents,
  LeaderElectionStory,
  MirroringView,
  mirroringModelsFromGeo,
  PartitionsTable,
  QuorumView,
  ReassignmentView,
  reassignmentsFromSnapshot,
  ReplicationView,
  RequestLifecycleView,
  requestsFromEvents,
  TieringView,
  tieringModelFromEvents,
  TransactionView,
  transactionModelFromEvents,
  type EventCategory,
} from '@kil/ui';
import { useOptionalLab, type LabContextValue } from './LabProvider';

export { viewTabs, type ViewKind } from './view-tabs';

export interface LabViewProps {
  readonly kind: string;
  readonly topic?: string;
  readonly partition?: number;
  /** Events to show instead of the live ones (the page is showing a past moment). */
  readonly onSeek?: (seq: number) => void;
}

function firstTopic(snapshot: ClusterSnapshot): string | undefined {
  return snapshot.topics.find((t) => !t.internal)?.name;
}

function latest(events: readonly TraceEvent[], key: string): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const value = events[i]?.data?.[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Views whose data the trace carries only in part: the timeline of their category. */
const categoryOf: Record<string, EventCategory> = { compaction: 'storage', mirroring: 'replication' };

/**
 * A geo-replication lab's second region: it rides on the lab's snapshot messages (field
 * `secondary`), which the provider does not keep, so the view listens for them itself.
 */
function useSecondary(lab: LabContextValue | null): GeoSnapshot | null {
  const [secondary, setSecondary] = useState<GeoSnapshot | null>(null);
  const subscribe = lab?.subscribe;
  useEffect(() => {
    if (!subscribe) return;
    return subscribe((message) => {
      if (message.t === 'snapshot') setSecondary(message.secondary ?? null);
    });
  }, [subscribe]);
  return secondary;
}

function Regions({ geo }: { geo: GeoSnapshot }) {
  const up = (alias: string) => (geo.up[alias] === false ? 'down' : 'up');
  return (
    <p className="text-sm text-slate-600" data-testid="geo-regions">
      {geo.primaryAlias} (localhost:9092) {up(geo.primaryAlias)} · {geo.alias} (localhost:9192) {up(geo.alias)} · link {geo.linkLatencyMs} ms each way
    </p>
  );
}

/**
 * ZooKeeper-era versus KRaft controller failover, from the engine's model (module 4). The
 * model loads on demand so it adds nothing to pages that do not show it.
 */
function ControllerComparison() {
  const [comparison, setComparison] = useState<Parameters<typeof ControllerComparisonView>[0]['comparison'] | null>(null);
  useEffect(() => {
    let live = true;
    void import('@kil/engine').then(({ compareControllers }) => {
      if (live) setComparison(compareControllers());
    });
    return () => {
      live = false;
    };
  }, []);
  return comparison ? <ControllerComparisonView comparison={comparison} /> : <Waiting text="Working out the comparison…" />;
}

function Waiting({ text }: { text: string }) {
  return <p className="rounded-lg border border-dashed p-4 text-center text-sm text-slate-500">{text}</p>;
}

export function LabView({ kind, topic, partition, onSeek }: LabViewProps) {
  const lab = useOptionalLab();
  const [selected, setSelected] = useState<{ topic: string; partition: number } | null>(null);
  const secondary = useSecondary(lab);
  if (kind === 'controllers') return <ControllerComparison />;
  const snapshot = lab?.snapshot;
  if (!lab || !snapshot) return <Waiting text="Connecting to your lab…" />;
  const events = lab.events;
  const onAction = (command: string) => lab.typeCommand(command);
  const chosenTopic = selected?.topic ?? topic ?? firstTopic(snapshot);
  const chosenPartition = selected?.partition ?? partition ?? 0;
  switch (kind) {
    case 'cluster':
      return (
        <ClusterView
          snapshot={snapshot}
          topic={topic}
          onAction={onAction}
          onSelectPartition={(t, p) => setSelected({ topic: t, partition: p })}
          selectedPartition={selected ?? undefined}
        />
      );
    case 'replication':
      if (!chosenTopic) return <Waiting text="No topic yet. Create one with kafka-topics --create, then watch its replicas here." />;
      return <ReplicationView topic={chosenTopic} partition={chosenPartition} snapshot={snapshot} events={events} onAction={onAction} />;
    case 'quorum':
      return <QuorumView snapshot={snapshot} onAction={onAction} />;
    case 'timeline':
      return (
        <div className="space-y-4">
          <LeaderElectionStory events={events} onSeek={onSeek} />
          <EventTimeline events={events} onSeek={onSeek} />
        </div>
      );
    case 'tables':
      return (
        <div className="space-y-4">
          <BrokersTable snapshot={snapshot} />
          <ControllersTable snapshot={snapshot} />
          <PartitionsTable snapshot={snapshot} topic={topic} />
        </div>
      );
    case 'request':
      return <RequestLifecycleView requests={requestsFromEvents(events)} />;
    case 'group': {
      const groupId = latest(events, 'groupId');
      if (!groupId) return <Waiting text="No consumer group yet. Start one with: clients consumers --group demo --topic orders --count 3" />;
      return <GroupView model={groupModelFromEvents(events, groupId)} title={`Group ${groupId}`} />;
    }
    case 'transactions': {
      const transactionalId = latest(events, 'transactionalId');
      if (!transactionalId) return <Waiting text="No transaction yet. Start a transactional producer: clients producer --topic orders --rate 5 --transactional-id tx-1" />;
      const offsets = (t: string, p: number) => {
        const part = snapshot.topics.find((x) => x.name === t)?.partitions.find((x) => x.partition === p);
        return { lastStableOffset: part?.lastStableOffset ?? 0, highWatermark: part?.highWatermark ?? 0 };
      };
      return <TransactionView model={transactionModelFromEvents(events, transactionalId, offsets)} />;
    }
    case 'tiering': {
      if (!chosenTopic) return <Waiting text="No topic yet." />;
      const part = snapshot.topics.find((t) => t.name === chosenTopic)?.partitions.find((p) => p.partition === chosenPartition);
      return <TieringView model={tieringModelFromEvents(events, chosenTopic, chosenPartition, part?.logEndOffset ?? 0, part?.leader)} />;
    }
    case 'reassignment':
      return <ReassignmentView models={reassignmentsFromSnapshot(snapshot, topic)} />;
    case 'mirroring': {
      if (!secondary) return <Waiting text="This lab has one cluster. The geo-replication exercise starts a lab with two: us-east (localhost:9092) and eu-west (localhost:9192)." />;
      return (
        <div className="space-y-3">
          <Regions geo={secondary} />
          {mirroringModelsFromGeo(snapshot, secondary).map((model, i) => (
            <MirroringView key={`${i}-${model.sourceAlias}-${model.targetAlias}`} model={model} />
          ))}
          <EventTimeline events={events} filter={{ categories: [categoryOf[kind]!] }} onSeek={onSeek} />
        </div>
      );
    }
    default:
      return (
        <div className="space-y-3">
          <ClusterView snapshot={snapshot} topic={topic} onAction={onAction} />
          <EventTimeline events={events} filter={categoryOf[kind] ? { categories: [categoryOf[kind]] } : {}} onSeek={onSeek} />
        </div>
      );
  }
}
