import { describe, expect, it } from 'vitest';
import type { KafkaError } from '../errors';
import {
  CONTROLLER_ASSUMPTION_DOCS,
  DEFAULT_CONTROLLER_ASSUMPTIONS,
  DEFAULT_PARTITION_COUNTS,
  compareControllers,
  formatModelDuration,
  modelController,
  partitionsWithinBudget,
  phaseTotalMs,
  resolveControllerAssumptions,
  type ControllerModelAssumptions,
  type ControllerScenario,
  type ModeOutcome,
} from './index';

const a = DEFAULT_CONTROLLER_ASSUMPTIONS;
const failover = (mode: 'zookeeper' | 'kraft', partitions: number, overrides: Partial<ControllerModelAssumptions> = {}, failure: 'crash' | 'graceful' = 'crash'): ModeOutcome =>
  modelController(mode, 'failover', partitions, resolveControllerAssumptions(overrides), failure);
const dense = [1, 500, 1000, 2500, 10_000, 33_333, 50_000, 100_000, 150_000, 200_000, 400_000];

describe('controller comparison: the table', () => {
  it('has one row per default partition count, and the same numbers every time', () => {
    const first = compareControllers();
    expect(first.rows.map((r) => r.partitions)).toEqual([...DEFAULT_PARTITION_COUNTS]);
    expect(compareControllers()).toEqual(first);
    for (const row of first.rows) expect(row.ratio).toBeCloseTo(row.zookeeper.totalMs / row.kraft.totalMs, 9);
  });

  it('lays phases end to end from the failure at 0 ms, and the total is where the last one ends', () => {
    for (const row of compareControllers().rows) {
      for (const outcome of [row.zookeeper, row.kraft]) {
        expect(outcome.phases[0]!.startMs).toBe(0);
        for (let i = 1; i < outcome.phases.length; i++) expect(outcome.phases[i]!.startMs).toBeGreaterThanOrEqual(outcome.phases[i - 1]!.endMs);
        expect(outcome.totalMs).toBe(outcome.phases.at(-1)!.endMs);
      }
    }
  });
});

describe('controller failover against partition count', () => {
  it('never gets faster with more partitions, in either mode or scenario', () => {
    for (const scenario of ['failover', 'controlled-shutdown'] as ControllerScenario[]) {
      for (const mode of ['zookeeper', 'kraft'] as const) {
        const totals = dense.map((n) => modelController(mode, scenario, n, a).totalMs);
        for (let i = 1; i < totals.length; i++) expect(totals[i]!).toBeGreaterThanOrEqual(totals[i - 1]!);
      }
    }
  });

  it('grows linearly in ZooKeeper mode, and the metadata reload is most of the growth', () => {
    const [t50, t100, t200] = [50_000, 100_000, 200_000].map((n) => failover('zookeeper', n));
    const slope1 = (t100!.totalMs - t50!.totalMs) / 50_000;
    const slope2 = (t200!.totalMs - t100!.totalMs) / 100_000;
    expect(slope2 / slope1).toBeCloseTo(1, 1);
    const small = failover('zookeeper', 1000);
    const growthMs = t200!.totalMs - small.totalMs;
    const reloadGrowthMs = phaseTotalMs(t200!, 'reload') - phaseTotalMs(small, 'reload');
    expect(reloadGrowthMs / growthMs).toBeGreaterThan(0.6);
    // At 200,000 partitions no phase is longer than the reload of every partition state.
    const longest = [...t200!.phases].sort((x, y) => y.endMs - y.startMs - (x.endMs - x.startMs))[0]!;
    expect(longest.id).toBe('reload-partitions');
  });

  it('stays flat in KRaft mode: the standby already holds the log and brokers hold the image', () => {
    const totals = dense.map((n) => failover('kraft', n).totalMs);
    expect(Math.max(...totals) - Math.min(...totals)).toBeLessThan(1);
    expect(totals[0]!).toBeGreaterThanOrEqual(a.controllerQuorumFetchTimeoutMs);
    expect(totals[0]!).toBeLessThan(a.controllerQuorumFetchTimeoutMs + 200);
    expect(phaseTotalMs(failover('kraft', 200_000), 'reload')).toBe(0);
  });

  it('at 200,000 partitions ZooKeeper takes about a minute and KRaft about two seconds: an order of magnitude or more', () => {
    const row = compareControllers({ partitionCounts: [200_000] }).rows[0]!;
    expect(row.zookeeper.totalMs).toBeGreaterThan(40_000);
    expect(row.zookeeper.totalMs).toBeLessThan(80_000);
    expect(row.kraft.totalMs).toBeLessThan(3000);
    expect(row.ratio).toBeGreaterThan(10);
    expect(row.ratio).toBeLessThan(100);
  });

  it('at the two million partitions of the KIP-500 early-access test, ZooKeeper takes minutes and KRaft seconds', () => {
    expect(failover('zookeeper', 2_000_000).totalMs).toBeGreaterThan(180_000);
    expect(failover('kraft', 2_000_000).totalMs).toBeLessThan(10_000);
  });

  it('the new KRaft leader is ready before the brokers give up on the old one, so they wait in parallel, not in series', () => {
    const kraft = failover('kraft', 10_000);
    const brokers = kraft.phases.find((p) => p.id === 'brokers-follow')!;
    expect(brokers.startMs).toBe(a.controllerQuorumFetchTimeoutMs + phaseTotalMs(kraft, 'elect') + phaseTotalMs(kraft, 'catch-up') + phaseTotalMs(kraft, 'commit'));
    const slowBrokers = failover('kraft', 10_000, { controllerQuorumRequestTimeoutMs: 5000 });
    expect(slowBrokers.phases.find((p) => p.id === 'brokers-follow')!.startMs).toBe(5000);
  });
});

describe('changing one assumption moves the result as expected', () => {
  it('the ZooKeeper session timeout shifts ZooKeeper failover by exactly its change and leaves KRaft alone', () => {
    expect(failover('zookeeper', 50_000, { zookeeperSessionTimeoutMs: 6000 }).totalMs).toBeCloseTo(failover('zookeeper', 50_000).totalMs - 12_000, 6);
    expect(failover('kraft', 50_000, { zookeeperSessionTimeoutMs: 6000 }).totalMs).toBe(failover('kraft', 50_000).totalMs);
  });

  it('doubling ZooKeeper read latency nearly doubles the reload', () => {
    const base = phaseTotalMs(failover('zookeeper', 100_000), 'reload');
    const slow = phaseTotalMs(failover('zookeeper', 100_000, { zkReadLatencyMs: 2 }), 'reload');
    expect(slow / base).toBeGreaterThan(1.7);
    expect(slow / base).toBeLessThan(2);
  });

  it('pipelining reads helps until ZooKeeper read throughput is the limit', () => {
    const reload = (inFlight: number) => phaseTotalMs(failover('zookeeper', 100_000, { zookeeperMaxInFlightRequests: inFlight }), 'reload');
    expect(reload(1) / reload(10)).toBeGreaterThan(6);
    const capped = reload(1000);
    const floorMs = ((100_000 + 10_000 + a.brokerCount + 2) / a.zkReadsPerSec) * 1000;
    expect(capped).toBeGreaterThan(floorMs);
    expect(capped).toBeLessThan(reload(10));
    expect(reload(10_000)).toBeCloseTo(capped, 0);
  });

  it('cheaper broker apply or a faster network shortens only the ZooKeeper push', () => {
    const base = failover('zookeeper', 200_000);
    const cheap = failover('zookeeper', 200_000, { brokerApplyUsPerPartition: 4 });
    expect(phaseTotalMs(cheap, 'reload')).toBe(phaseTotalMs(base, 'reload'));
    expect(phaseTotalMs(cheap, 'propagate')).toBeLessThan(phaseTotalMs(base, 'propagate') / 3);
    const slowLink = failover('zookeeper', 200_000, { networkBytesPerSec: 125_000_000 });
    expect(phaseTotalMs(slowLink, 'propagate') - phaseTotalMs(base, 'propagate')).toBeGreaterThan(1000);
    expect(failover('kraft', 200_000, { networkBytesPerSec: 125_000_000 }).totalMs).toBeCloseTo(failover('kraft', 200_000).totalMs, 6);
  });

  it('unbatched controller requests pay a round trip per partition state', () => {
    const batched = phaseTotalMs(failover('zookeeper', 10_000), 'propagate');
    const unbatched = phaseTotalMs(failover('zookeeper', 10_000, { controllerRequestBatchPartitions: 1 }), 'propagate');
    const statesPerBroker = 10_000 + Math.ceil((10_000 * 3) / a.brokerCount);
    expect(unbatched - batched).toBeCloseTo((statesPerBroker - 2) * a.networkRttMs, 6);
  });

  it('each split vote costs an election timeout plus the mean back-off; a longer fetch timeout delays detection', () => {
    expect(failover('kraft', 1000, { splitVoteRounds: 2 }).totalMs - failover('kraft', 1000).totalMs).toBeCloseTo(2 * (1000 + 500), 6);
    expect(failover('kraft', 1000, { controllerQuorumFetchTimeoutMs: 5000, controllerQuorumRequestTimeoutMs: 5000 }).totalMs - failover('kraft', 1000).totalMs).toBeCloseTo(3000, 6);
  });

  it('a standby that must rebuild from a snapshot makes KRaft failover grow with partitions, still far below ZooKeeper', () => {
    const cold = (n: number) => failover('kraft', n, { standbyReplaysSnapshot: true }).totalMs;
    expect(cold(200_000) - cold(1000)).toBeGreaterThan(300);
    expect(cold(200_000)).toBeGreaterThan(failover('kraft', 200_000).totalMs);
    expect(failover('zookeeper', 200_000).totalMs / cold(200_000)).toBeGreaterThan(10);
  });

  it('a clean stop removes the detection timeouts from both, and ZooKeeper is left with pure reload and push', () => {
    const zk = failover('zookeeper', 100_000, {}, 'graceful');
    expect(zk.totalMs).toBeCloseTo(failover('zookeeper', 100_000).totalMs - a.zookeeperSessionTimeoutMs, 6);
    expect(failover('kraft', 100_000, {}, 'graceful').totalMs).toBeLessThan(100);
    expect(phaseTotalMs(zk, 'reload') + phaseTotalMs(zk, 'propagate')).toBeGreaterThan(0.99 * zk.totalMs);
  });
});

describe('controlled shutdown', () => {
  const shutdown = (mode: 'zookeeper' | 'kraft', n: number, overrides: Partial<ControllerModelAssumptions> = {}) => modelController(mode, 'controlled-shutdown', n, resolveControllerAssumptions(overrides));

  it('is an order of magnitude faster in KRaft at 200,000 partitions, and KRaft fits ten times the partitions in the same time', () => {
    const zk = shutdown('zookeeper', 200_000).totalMs;
    expect(zk / shutdown('kraft', 200_000).totalMs).toBeGreaterThan(10);
    const kraftFits = partitionsWithinBudget('kraft', zk, { scenario: 'controlled-shutdown' });
    expect(kraftFits.partitions).toBeGreaterThanOrEqual(10 * 200_000);
  });

  it('the pre-1.1 controller (synchronous ZooKeeper writes, one request per partition) is many times slower', () => {
    const old = shutdown('zookeeper', 200_000, { zookeeperMaxInFlightRequests: 1, controllerRequestBatchPartitions: 1 }).totalMs;
    expect(old / shutdown('zookeeper', 200_000).totalMs).toBeGreaterThan(5);
  });
});

describe('budgets, paths and validation', () => {
  it('finds the largest partition count that fits a failover budget', () => {
    const budget = partitionsWithinBudget('zookeeper', 30_000);
    expect(budget.atLimit).toBe(false);
    expect(failover('zookeeper', budget.partitions).totalMs).toBeLessThanOrEqual(30_000);
    expect(failover('zookeeper', budget.partitions + 1).totalMs).toBeGreaterThan(30_000);
    expect(partitionsWithinBudget('kraft', 30_000)).toEqual({ partitions: 10_000_000, atLimit: true });
    expect(partitionsWithinBudget('zookeeper', 1000)).toEqual({ partitions: 0, atLimit: false });
  });

  it('shows ZooKeeper reading every znode and pushing to every broker, and KRaft brokers pulling', () => {
    const row = compareControllers({ partitionCounts: [10_000] }).rows[0]!;
    const reads = row.zookeeper.path.filter((s) => s.style === 'read').reduce((n, s) => n + s.count, 0);
    expect(reads).toBe(a.brokerCount + 1 + 1000 + 1 + 10_000);
    expect(row.zookeeper.path.filter((s) => s.style === 'push').every((s) => s.count === a.brokerCount)).toBe(true);
    expect(row.zookeeper.path.find((s) => s.message.startsWith('UpdateMetadata'))!.bytes).toBe(a.brokerCount * (10_000 * (24 + 3 * 8) + 1000 * (20 + 21)));
    const brokerStep = row.kraft.path.find((s) => s.from === 'every broker')!;
    expect(brokerStep.style).toBe('pull');
    expect(row.kraft.path.some((s) => s.style === 'push' && s.to.includes('broker'))).toBe(false);
    expect(row.zookeeper.systems).toHaveLength(2);
    expect(row.kraft.systems).toHaveLength(1);
  });

  it('documents every assumption with a unit and a source, and only those', () => {
    expect(CONTROLLER_ASSUMPTION_DOCS.map((d) => d.key).sort()).toEqual(Object.keys(DEFAULT_CONTROLLER_ASSUMPTIONS).sort());
    for (const doc of CONTROLLER_ASSUMPTION_DOCS) {
      expect(doc.unit.length).toBeGreaterThan(0);
      expect(doc.source.length).toBeGreaterThan(5);
    }
    const kafkaDefaults = { 'zookeeper.session.timeout.ms': 18_000, 'zookeeper.max.in.flight.requests': 10, 'controller.quorum.fetch.timeout.ms': 2000, 'controller.quorum.election.timeout.ms': 1000 };
    for (const [config, value] of Object.entries(kafkaDefaults)) {
      const doc = CONTROLLER_ASSUMPTION_DOCS.find((d) => d.kafkaConfig === config)!;
      expect(DEFAULT_CONTROLLER_ASSUMPTIONS[doc.key]).toBe(value);
    }
  });

  it('refuses impossible inputs with a Kafka error name and a suggestion', () => {
    const caught = (f: () => unknown): KafkaError => {
      try {
        f();
      } catch (error) {
        return error as KafkaError;
      }
      throw new Error('expected an error');
    };
    expect(caught(() => compareControllers({ partitionCounts: [0] })).errorName).toBe('INVALID_PARTITIONS');
    const negative = caught(() => compareControllers({ assumptions: { zkReadLatencyMs: -1 } }));
    expect(negative.errorName).toBe('INVALID_CONFIG');
    expect(negative.suggestion).toContain('default');
    expect(caught(() => compareControllers({ assumptions: { brokerCount: 2 } })).errorName).toBe('INVALID_REPLICATION_FACTOR');
    expect(caught(() => compareControllers({ assumptions: { zookeeperMaxInFlightRequests: 0 } })).errorName).toBe('INVALID_CONFIG');
  });

  it('formats virtual durations for people', () => {
    expect([4.25, 49, 2050, 53_712, 378_000].map(formatModelDuration)).toEqual(['4.3 ms', '49 ms', '2.05 s', '53.7 s', '6.3 min']);
  });
});
