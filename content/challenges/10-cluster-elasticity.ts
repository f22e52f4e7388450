/**
 * Module 10 challenge: retire broker 1 the safe way (KIP-455 reassignment, KIP-73
 * throttles): add a broker, move every replica off broker 1 with a throttled
 * reassignment, clear the throttles, and only then stop broker 1. Judged from the
 * snapshot (replicas, ISRs, topic overrides) and from the trace: reassignment and
 * config-change events, and the ISR events after broker 1 stopped.
 */
import { criterion, dataOf, findTopic, type LabView } from '@kil/grader';
import type { TraceEvent } from '@kil/engine';
import { defineChallenge } from './define';
import { listOf } from './criteria';

const retired = 1;
const topics = ['orders', 'carts'];
const throttleRates = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'];
const throttleReplicas = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];

/** `name=value` pairs of a config-changed event, from its data when it has them, else from its sentence. */
function configChanges(event: TraceEvent): { name: string; value: string | null }[] {
  const changes = dataOf(event, 'changes');
  if (Array.isArray(changes)) return changes as { name: string; value: string | null }[];
  const list = event.message.slice(event.message.indexOf(': ') + 2).replace(/\.$/, '');
  return list.split(/, (?=[a-z.]+=)/).map((pair) => {
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1);
    return { name: pair.slice(0, eq), value: value === '(deleted)' ? null : value };
  });
}

/** Broker-level throttle rates in force after the events up to `beforeSeq` (broker name → names set). */
function ratesInForce(view: LabView, beforeSeq: number): Map<string, Set<string>> {
  const inForce = new Map<string, Set<string>>();
  for (const e of view.events) {
    if (e.seq >= beforeSeq || e.type !== 'config-changed' || e.topic !== undefined) continue;
    const broker = /of broker (\S+?):/.exec(e.message)?.[1] ?? '?';
    const set = inForce.get(broker) ?? new Set<string>();
    for (const c of configChanges(e)) {
      if (!throttleRates.includes(c.name)) continue;
      if (c.value === null) set.delete(c.name);
      else set.add(c.name);
    }
    inForce.set(broker, set);
  }
  return new Map([...inForce].filter(([, s]) => s.size > 0));
}

function movesOffRetired(view: LabView): TraceEvent[] {
  return view.events.filter((e) => e.type === 'reassignment-started' && topics.includes(e.topic ?? '') && listOf(dataOf(e, 'removingReplicas')).includes(retired));
}

function retiredStop(view: LabView): TraceEvent | undefined {
  return view.events.find((e) => (e.type === 'node-stop-requested' || e.type === 'node-crashed') && e.node === retired);
}

export const retireBroker = defineChallenge({
  id: '10-cluster-elasticity-retire-broker',
  title: 'Retire broker 1 without losing redundancy',
  module: '10-cluster-elasticity',
  lab: {
    brokers: 3,
    controllers: 3,
    topics: [
      { name: 'orders', numPartitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      { name: 'carts', numPartitions: 3, replicationFactor: 3 },
    ],
  },
  tasks: [
    {
      id: 'retire-broker',
      title: 'Move everything off broker 1 with a throttle, clear it, then stop broker 1',
      description: 'No partition of `orders` or `carts` lists broker 1; every partition keeps 3 replicas and a full ISR; a replication throttle was set while replicas moved and none remains; nothing was under-replicated or offline once broker 1 stopped.',
      criteria: [
        criterion('no partition of orders or carts lists broker 1 as a replica', (view) => {
          const holding = topics.flatMap((t) => (findTopic(view, t)?.partitions ?? []).filter((p) => p.replicas.includes(retired)).map((p) => `${t}-${p.partition} [${p.replicas.join(',')}]`));
          return holding.length === 0 ? { passed: true, observed: 'broker 1 holds no replica of orders or carts' } : { passed: false, observed: `broker 1 is still a replica of ${holding.join(', ')}` };
        }),
        criterion('every partition of orders and carts has 3 replicas, all in the ISR', (view) => {
          const bad = topics.flatMap((t) => (findTopic(view, t)?.partitions ?? []).filter((p) => p.replicas.length !== 3 || p.isr.length !== 3).map((p) => `${t}-${p.partition}: replicas [${p.replicas.join(',')}], ISR [${p.isr.join(',')}]`));
          return bad.length === 0 ? { passed: true, observed: 'every partition has 3 replicas in sync' } : { passed: false, observed: bad.join('; ') };
        }),
        criterion('a replication throttle was in force while replicas moved off broker 1', (view) => {
          const moves = movesOffRetired(view);
          if (moves.length === 0) return { passed: false, observed: 'no reassignment moved a replica off broker 1' };
          const inForce = ratesInForce(view, moves[0]!.seq);
          return inForce.size > 0
            ? { passed: true, observed: `throttle rates were set on broker(s) ${[...inForce.keys()].join(', ')} when the moves started` }
            : { passed: false, observed: 'no replication throttle rate was set when the replicas started to move' };
        }),
        criterion('no throttle configuration remains on any broker or topic', (view) => {
          const rates = ratesInForce(view, Number.MAX_SAFE_INTEGER);
          const topicThrottles = view.snapshot.topics.filter((t) => throttleReplicas.some((k) => t.configs[k] !== undefined)).map((t) => t.name);
          if (rates.size === 0 && topicThrottles.length === 0) return { passed: true, observed: 'no throttle is configured' };
          return { passed: false, observed: [...(rates.size ? [`rates still set on broker(s) ${[...rates.keys()].join(', ')}`] : []), ...(topicThrottles.length ? [`throttled replicas still listed on ${topicThrottles.join(', ')}`] : [])].join('; ') };
        }),
        criterion('broker 1 stopped, and afterwards no partition of orders or carts was under-replicated or offline', (view) => {
          const stop = retiredStop(view);
          if (!stop) return { passed: false, observed: 'broker 1 has not been stopped' };
          const hurt = view.events.find((e) => e.seq > stop.seq && topics.includes(e.topic ?? '') && (e.type === 'isr-shrunk' || e.type === 'partition-offline' || (e.type === 'leader-elected' && listOf(dataOf(e, 'isr')).length < 3)));
          return hurt ? { passed: false, observed: hurt.message } : { passed: true, observed: `${stop.message} No ISR of orders or carts shrank afterwards.` };
        }),
      ],
      hints: [
        'Add a broker first (`broker add`), so there are three others to hold the replicas.',
        "Write a topics file (`write topics.json '{\"version\":1,\"topics\":[{\"topic\":\"orders\"},{\"topic\":\"carts\"}]}'`), generate a plan for brokers 2,3,4 with `--output-file plan.json`, and run it with `--execute --throttle 1000000`.",
        'Run `--verify` until every move is complete: that also removes the throttles. Only then `broker stop 1`.',
      ],
      solution: [
        { kind: 'shell', line: 'broker add' },
        { kind: 'shell', line: `write topics.json '{"version":1,"topics":[{"topic":"orders"},{"topic":"carts"}]}'` },
        { kind: 'shell', line: 'kafka-reassign-partitions --bootstrap-server localhost:9092 --generate --topics-to-move-json-file topics.json --broker-list 2,3,4 --output-file plan.json' },
        { kind: 'shell', line: 'kafka-reassign-partitions --bootstrap-server localhost:9092 --execute --reassignment-json-file plan.json --throttle 1000000' },
        { kind: 'advance', ms: 30_000 },
        { kind: 'shell', line: 'kafka-reassign-partitions --bootstrap-server localhost:9092 --verify --reassignment-json-file plan.json' },
        { kind: 'shell', line: 'broker stop 1' },
        { kind: 'advance', ms: 10_000 },
        { kind: 'shell', line: 'kafka-topics --bootstrap-server localhost:9093 --describe' },
      ],
    },
  ],
});
