import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';

describe('lab', () => {
  it('status summarises the cluster and what the host adds', async () => {
    const lab = await newTestLab({}, { status: () => ['Lab:         replication (module 3)'] });
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 3');
    await lab.run('broker crash 3');
    lab.advance(30_000);
    const { code, output } = await lab.run('lab status');
    expect(code).toBe(0);
    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toBe('Lab:         replication (module 3)');
    expect(lines[1]).toMatch(/^Cluster: {5}\S+, virtual time \d+\.\d{3}s$/);
    expect(lines[2]).toBe('Brokers:     1 running, 2 running, 3 crashed');
    expect(lines[3]).toMatch(/^Controllers: 101 \w+, 102 \w+, 103 \w+; active controller 10[123]$/);
    expect(lines[4]).toMatch(/^Topics: {6}1 \(\+\d+ internal\), \d+ partitions, 3 under-replicated, 0 offline$/);
  });

  it('reset goes through the host', async () => {
    const resets: (string | undefined)[] = [];
    const lab = await newTestLab({}, { reset: async (scenario) => void resets.push(scenario) });
    expect(await lab.run('lab reset')).toEqual({ code: 0, output: 'Lab reset: a fresh cluster is starting.\n' });
    expect(await lab.run('lab reset unclean-election')).toEqual({ code: 0, output: 'Lab reset to scenario unclean-election: a fresh cluster is starting.\n' });
    expect(resets).toEqual([undefined, 'unclean-election']);
    const bare = await newTestLab();
    expect((await bare.run('lab reset')).output).toBe('Reset is not available in this terminal.\nhint: it works in a lab terminal\n');
  });
});
