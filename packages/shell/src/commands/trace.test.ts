import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('trace', () => {
  it('prints recent events filtered by type and topic', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 2 --replication-factor 3`);
    const { code, output } = await lab.run('trace --topic orders --last 100');
    expect(code).toBe(0);
    const lines = output.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\[ *\d+\.\d{3}s\] #\d+ [a-z-]+ \(.*orders.*\): .+$/);
    const all = lab.cluster.events().filter((e) => e.topic === 'orders');
    expect(lines).toHaveLength(Math.min(100, all.length));
    const type = all[0]?.type as string;
    const byType = (await lab.run(`trace --topic orders --type ${type} --last 100`)).output.trimEnd().split('\n');
    expect(byType).toHaveLength(all.filter((e) => e.type === type).length);
    expect((await lab.run('trace --type no-such-event')).output).toBe('hint: no event matches these filters\n');
  });

  it('--follow streams new events until Ctrl-C', async () => {
    const lab = await newTestLab();
    const following = lab.start('trace --follow --last 0 --topic payments');
    await lab.run(`kafka-topics ${BS} --create --topic payments --partitions 1 --replication-factor 1`);
    lab.advance(1_000);
    following.interrupt();
    expect(await following.done).toBe(0);
    const streamed = following.output().trimEnd().split('\n');
    expect(streamed.length).toBe(lab.cluster.events().filter((e) => e.topic === 'payments').length);
    expect(streamed.length).toBeGreaterThan(0);
  });
});
