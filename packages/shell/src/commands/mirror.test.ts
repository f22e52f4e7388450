import { MultiCluster, runUntil, settle } from '@kil/engine';
import { describe, expect, it } from 'vitest';
import { Shell } from '../shell';
import type { ShellIO } from '../types';

/** A geo lab: two regions on one clock, the terminal's tools pointed at the primary. */
async function geoLab() {
  const multi = new MultiCluster({ linkLatencyMs: 50, primary: { seed: 5 }, secondary: { seed: 6 } });
  await runUntil(multi, () => multi.regions.every((r) => r.cluster.snapshot().brokers.every((b) => b.state === 'running')));
  const shell = new Shell({ cluster: multi.primary, geo: multi });
  const run = async (line: string): Promise<{ code: number; output: string }> => {
    let output = '';
    const io: ShellIO = { write: (t) => (output += t), signal: new AbortController().signal };
    const code = await settle(multi, shell.execute(line, io));
    return { code, output };
  };
  return { multi, run };
}

describe('mirror and region (geo labs)', () => {
  it('mirrors a topic with MirrorMaker 2, shows the lag closing, and fails a group over', async () => {
    const { multi, run } = await geoLab();
    expect((await run('kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 1 --replication-factor 3')).code).toBe(0);
    expect((await run('mirror')).output).toMatch(/^No mirror flows are running\./);
    expect((await run('mirror start --topics orders --groups billing')).output).toBe('MirrorMaker 2 replicates orders from us-east to eu-west as us-east.orders.\n');
    await run('kafka-console-producer --bootstrap-server localhost:9092 --topic orders --message a --message b --message c');
    await runUntil(multi, () => false, 5_000);
    const status = await run('mirror status');
    expect(status.output).toMatch(/^FLOW +MODE +STATE +SOURCE-TOPIC +TARGET-TOPIC +PARTITION +SOURCE-HW +MIRRORED +LAG\nus-east->eu-west +mm2 +running +orders +us-east\.orders +0 +3 +3 +0\n$/);
    const failover = await run('mirror failover --group billing --topic orders');
    expect(failover.code).toBe(0);
    expect(failover.output).toMatch(/^Failed group billing over from us-east to eu-west: it now reads us-east\.orders\.\nPARTITION +ACKNOWLEDGED +MIRRORED +LOST +COMMITTED +RESUME-AT +DUPLICATED\n0 +3 +3 +0 /);
    expect((await run('region up us-east')).output).toBe('Region us-east is reachable again.\n');
  });

  it('keeps offsets with a linked mirror topic, and stops every flow', async () => {
    const { multi, run } = await geoLab();
    await run('kafka-topics --bootstrap-server localhost:9092 --create --topic carts --partitions 1 --replication-factor 3');
    await run('kafka-console-producer --bootstrap-server localhost:9092 --topic carts --message x');
    expect((await run('mirror start --link --topics carts')).code).toBe(0);
    await runUntil(multi, () => false, 5_000);
    expect((await run('mirror status')).output).toMatch(/\nus-east->eu-west +link +mirroring +carts +carts +0 +1 +1 +0\n$/);
    expect((await run('mirror stop')).output).toBe('Stopped 1 mirror flow(s).\n');
    expect((await run('region down mars')).output).toMatch(/^There is no region mars\./);
  });

  it('explains that a one-cluster lab has no regions to mirror between', async () => {
    const multi = new MultiCluster();
    const shell = new Shell({ cluster: multi.primary });
    let output = '';
    const code = await shell.execute('mirror status', { write: (t) => (output += t), signal: new AbortController().signal });
    expect(code).toBe(1);
    expect(output).toMatch(/^This lab has one cluster; mirroring needs a geo-replication lab with two regions\./);
  });
});
