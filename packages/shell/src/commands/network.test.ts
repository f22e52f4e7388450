import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';

const BS = '--bootstrap-server localhost:9092';

describe('network', () => {
  it('isolating a broker drops it from the ISR; heal brings it back', async () => {
    const lab = await newTestLab();
    await lab.run(`kafka-topics ${BS} --create --topic orders --partitions 3 --replication-factor 3`);
    expect(await lab.run('network partition 3')).toEqual({ code: 0, output: 'Network partitioned: {3} cannot reach {1,2,101,102,103} (both directions).\n' });
    lab.advance(60_000);
    for (const p of lab.cluster.snapshot().topics.find((t) => t.name === 'orders')?.partitions ?? []) expect(p.isr).not.toContain(3);
    expect(await lab.run('net heal')).toEqual({ code: 0, output: 'Network healed: every node can reach every other node again.\n' });
    lab.advance(60_000);
    for (const p of lab.cluster.snapshot().topics.find((t) => t.name === 'orders')?.partitions ?? []) expect([...p.isr].sort()).toEqual([1, 2, 3]);
  });

  it('partitions two explicit groups, and checks the groups', async () => {
    const lab = await newTestLab();
    expect((await lab.run('network partition 1,101 --from 2,3,102,103')).output).toBe('Network partitioned: {1,101} cannot reach {2,3,102,103} (both directions).\n');
    expect((await lab.run('network partition 1 --from 1,2')).output).toBe('node 1 cannot be on both sides of a partition\nhint: `help network` shows how to use it\n');
    expect((await lab.run('network partition 9')).output).toBe('There is no node 9 in this lab.\nhint: node ids in this lab: 1, 2, 3, 101, 102, 103\n');
  });

  it('sets delay and drop on a link', async () => {
    const lab = await newTestLab();
    expect((await lab.run('network delay 1 2 250')).output).toBe('Messages between 1 and 2 now take 250 ms longer, both ways.\n');
    expect((await lab.run('network drop 1 101 30%')).output).toBe('Dropping 30% of the messages between 1 and 101, both ways.\n');
    const bad = await lab.run('network drop 1 2 150');
    expect(bad).toEqual({ code: 1, output: "the drop percentage must be a number between 0 and 100, not '150'\nhint: `help network` shows how to use it\n" });
  });
});
