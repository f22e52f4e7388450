import { describe, expect, it } from 'vitest';
import { compareControllers, formatModelDuration } from '@kil/engine';
import { newTestLab } from '../testing';

/** The table rows of a report: lines that start with a partition count. */
function tableRows(output: string): string[][] {
  return output
    .split('\n')
    .filter((line) => /^\d[\d,]* /.test(line))
    .map((line) => line.trim().split(/\s{1,}(?=\S)/));
}

describe('compare-controllers', () => {
  it('prints ZooKeeper and KRaft failover for the default partition counts, with the model numbers', async () => {
    const lab = await newTestLab();
    const { code, output } = await lab.run('compare-controllers');
    expect(code).toBe(0);
    expect(output).toMatch(/^Controller failover after a crash: 30 brokers, replication factor 3/);
    expect(output).toContain('PARTITIONS ZOOKEEPER FAILOVER KRAFT FAILOVER RATIO');
    const expected = compareControllers().rows;
    const rows = output.split('\n').filter((line) => /^\d[\d,]* +\d/.test(line));
    expect(rows.map((r) => r.split(/ +/)[0])).toEqual(['1,000', '10,000', '50,000', '100,000', '200,000']);
    const last = rows.at(-1)!;
    expect(last).toContain(formatModelDuration(expected.at(-1)!.zookeeper.totalMs));
    expect(last).toContain(formatModelDuration(expected.at(-1)!.kraft.totalMs));
    expect(last).toContain(`${expected.at(-1)!.ratio.toFixed(1)}x`);
    expect(output).toContain('zookeeperSessionTimeoutMs');
    expect(output).toContain('controller.quorum.fetch.timeout.ms');
    expect(output).toMatch(/reloads metadata for [\d.]+ s/);
  });

  it('passes partition counts, brokers and single assumptions to the model', async () => {
    const lab = await newTestLab();
    const base = await lab.run('compare-controllers --partitions 100000');
    const slowReads = await lab.run('compare-controllers --partitions 100000 --zk-read-ms 3 --brokers 60');
    const expected = compareControllers({ partitionCounts: [100_000], assumptions: { zkReadLatencyMs: 3, brokerCount: 60 } }).rows[0]!;
    expect(slowReads.output).toContain('60 brokers');
    expect(slowReads.output).toContain(formatModelDuration(expected.zookeeper.totalMs));
    expect(tableRows(base.output)).toHaveLength(1);
    expect(base.output).not.toContain(formatModelDuration(expected.zookeeper.totalMs));
    const viaSet = await lab.run('compare-controllers --partitions 100000 --set zkReadLatencyMs=3 --set brokerCount=60');
    expect(viaSet.output).toBe(slowReads.output);
  });

  it('models a clean stop, controlled shutdown and a cold standby', async () => {
    const lab = await newTestLab();
    const graceful = await lab.run('compare-controllers --partitions 10000 --graceful');
    expect(graceful.output).toMatch(/^Controller failover after a clean stop/);
    const shutdown = await lab.run('compare-controllers --partitions 200000 --scenario controlled-shutdown');
    expect(shutdown.output).toContain('ZOOKEEPER CONTROLLED SHUTDOWN');
    expect(shutdown.output).toMatch(/writes 20,000 state znodes/);
    expect(shutdown.output).toMatch(/KRaft would handle [\d,]+ partitions \((\d+)x as many\)/);
    const times = Number(/\((\d+)x as many\)/.exec(shutdown.output)![1]);
    expect(times).toBeGreaterThanOrEqual(10);
    const cold = await lab.run('compare-controllers --partitions 200000 --cold-standby');
    const expected = compareControllers({ partitionCounts: [200_000], assumptions: { standbyReplaysSnapshot: true } }).rows[0]!;
    expect(cold.output).toContain(formatModelDuration(expected.kraft.totalMs));
    expect(cold.output).toMatch(/standbyReplaysSnapshot +yes/);
  });

  it('prints both metadata paths and every assumption with its source on request', async () => {
    const lab = await newTestLab();
    const { output } = await lab.run('compare-controllers --partitions 1000 --paths --assumptions');
    expect(output).toContain('ZooKeeper mode metadata path (Kafka brokers (one of them is the controller) + ZooKeeper ensemble):');
    expect(output).toContain('controller → ZooKeeper: getData /brokers/topics/<t>/partitions/<p>/state [read] × 1,000');
    expect(output).toContain('controller → every broker: UpdateMetadata (all partitions) [push] × 30');
    expect(output).toContain('every broker → new leader: Fetch __cluster_metadata (new records only) [pull] × 30');
    expect(output).toContain('KIP-537');
    expect(output).toMatch(/brokerApplyUsPerPartition +40 µs +Tencent/);
  });

  it('explains wrong input and what to type instead', async () => {
    const lab = await newTestLab();
    const typo = await lab.run('compare-controllers --set znodeDecode=30');
    expect(typo.code).toBe(1);
    expect(typo.output).toContain("no assumption named 'znodeDecode'");
    expect(typo.output).toContain('Did you mean --set znodeDecodeUs=');
    expect((await lab.run('compare-controllers --partitions 0')).output).toContain('each partition count must be a whole number between 1 and 10000000');
    expect((await lab.run('compare-controllers --scenario reboot')).output).toContain("unknown scenario 'reboot'");
    const badConfig = await lab.run('compare-controllers --brokers 2');
    expect(badConfig.output).toContain('INVALID_REPLICATION_FACTOR');
    expect((await lab.run('compare-controllers --help')).output).toContain('--zk-read-ms');
    expect((await lab.run('help')).output).toContain('compare-controllers');
  });
});
