'use client';
/**
 * Frame-time benchmark for ClusterView: a cluster of 6 brokers and 100 partitions whose
 * snapshot changes on every animation frame (offsets move everywhere, and now and then a
 * leader changes and a replica drops out of the ISR), which is far more often than a lab
 * pushes snapshots (every 150 ms). Each frame's update is rendered synchronously and laid
 * out, and the time that takes is recorded; the results land on `window.__clusterViewBench`.
 */
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ClusterSnapshot, PartitionSnapshot } from '@kil/engine';
import { ClusterView } from '@kil/ui';

const brokerCount = 6;
const partitionCount = 100;

function initial(): ClusterSnapshot {
  const brokers = Array.from({ length: brokerCount }, (_, i) => ({ id: i + 1, rack: null, state: 'running' as const, host: 'localhost', port: 9092 + i, brokerEpoch: 1, metadataOffset: 100 }));
  const controllers = [101, 102, 103].map((id) => ({ id, state: 'running' as const, role: id === 101 ? ('leader' as const) : ('follower' as const), epoch: 1, leaderId: 101, votedFor: 101, logEndOffset: 100, highWatermark: 100 }));
  const partitions: PartitionSnapshot[] = Array.from({ length: partitionCount }, (_, p) => {
    const replicas = [0, 1, 2].map((k) => ((p + k) % brokerCount) + 1);
    return {
      topic: p < 50 ? 'orders' : 'payments',
      partition: p % 50,
      leader: replicas[0]!,
      leaderEpoch: 0,
      partitionEpoch: 0,
      replicas,
      isr: replicas,
      addingReplicas: [],
      removingReplicas: [],
      logStartOffset: 0,
      logEndOffset: 0,
      highWatermark: 0,
      lastStableOffset: 0,
      replicaStates: replicas.map((brokerId) => ({ brokerId, logStartOffset: 0, logEndOffset: 0, highWatermark: 0, lastCaughtUpTimeMs: 0, online: true })),
    };
  });
  const topic = (name: string) => ({ name, topicId: name, internal: false, configs: {}, partitions: partitions.filter((p) => p.topic === name) });
  return { timeMs: 0, clusterId: 'bench', activeControllerId: 101, brokers, controllers, topics: [topic('orders'), topic('payments')] };
}

/** The next snapshot: every partition grows; every 30th frame one leader moves and its old leader leaves the ISR. */
function next(snapshot: ClusterSnapshot, frame: number): ClusterSnapshot {
  const moved = frame % 30 === 0 ? frame % partitionCount : -1;
  let index = 0;
  const topics = snapshot.topics.map((topic) => ({
    ...topic,
    partitions: topic.partitions.map((p) => {
      const i = index++;
      const end = p.logEndOffset + 1 + (i % 3);
      const leader = i === moved ? p.replicas[(p.replicas.indexOf(p.leader) + 1) % p.replicas.length]! : p.leader;
      const isr = i === moved ? p.replicas.filter((b) => b !== p.leader) : i === moved - 1 ? p.replicas : p.isr;
      return {
        ...p,
        leader,
        leaderEpoch: p.leaderEpoch + (i === moved ? 1 : 0),
        isr,
        logEndOffset: end,
        highWatermark: end - 1,
        lastStableOffset: end - 1,
        replicaStates: p.replicaStates.map((r) => ({ ...r, logEndOffset: isr.includes(r.brokerId) ? end - 1 : r.logEndOffset, highWatermark: end - 1 })),
      };
    }),
  }));
  return { ...snapshot, timeMs: snapshot.timeMs + 16, topics };
}

declare global {
  interface Window {
    __clusterViewBench?: { updatesMs: number[]; intervalsMs: number[]; partitionRows: number };
  }
}

export function ClusterViewBench() {
  const [snapshot, setSnapshot] = useState(initial);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const frames = Number(new URLSearchParams(window.location.search).get('frames') ?? 300);
    const updatesMs: number[] = [];
    const intervalsMs: number[] = [];
    let current = initial();
    let frame = 0;
    let last = performance.now();
    let handle = 0;
    const tick = (now: number) => {
      intervalsMs.push(now - last);
      last = now;
      const started = performance.now();
      current = next(current, ++frame);
      flushSync(() => setSnapshot(current));
      // Force style and layout so the figure includes the browser's work, not only React's.
      void root.current?.getBoundingClientRect().height;
      updatesMs.push(performance.now() - started);
      if (frame < frames) handle = requestAnimationFrame(tick);
      else window.__clusterViewBench = { updatesMs, intervalsMs: intervalsMs.slice(1), partitionRows: root.current?.querySelectorAll('.kil-row-bg').length ?? 0 };
    };
    // Let the first paint settle before measuring.
    const start = setTimeout(() => (handle = requestAnimationFrame(tick)), 500);
    return () => {
      clearTimeout(start);
      cancelAnimationFrame(handle);
    };
  }, []);
  return (
    <div ref={root} data-testid="cluster-view-bench">
      <ClusterView snapshot={snapshot} partitionRowsMax={partitionCount} />
    </div>
  );
}
