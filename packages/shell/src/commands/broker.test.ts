import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';

describe('broker', () => {
  it('lists brokers with their state and address', async () => {
    const lab = await newTestLab();
    const { code, output } = await lab.run('broker list');
    expect(code).toBe(0);
    const [header, ...rows] = output.trimEnd().split('\n');
    expect(header).toMatch(/^ID +STATE +ADDRESS +RACK +EPOCH +METADATA-OFFSET +LEADERS +REPLICAS$/);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^2 +running +localhost:9093 +- +\d+ +\d+ +0 +0$/);
    expect((await lab.run('broker')).output).toBe(output);
  });

  it('stops, crashes and starts brokers, and the cluster sees it', async () => {
    const lab = await newTestLab();
    expect(await lab.run('broker stop 2')).toEqual({ code: 0, output: 'Stopping broker 2: controlled shutdown, its leaderships move to other in-sync replicas first.\n' });
    lab.advance(20_000);
    expect(lab.cluster.snapshot().brokers.find((b) => b.id === 2)?.state).toBe('stopped');
    const again = await lab.run('broker stop 2');
    expect(again).toEqual({ code: 1, output: 'Broker 2 is already stopped.\nhint: `broker start 2` brings it back\n' });

    expect((await lab.run('broker crash 3')).output).toMatch(/^Broker 3 crashed/);
    lab.advance(1_000);
    expect(lab.cluster.snapshot().brokers.find((b) => b.id === 3)?.state).toBe('crashed');

    expect((await lab.run('broker start 2')).code).toBe(0);
    lab.advance(20_000);
    expect(lab.cluster.snapshot().brokers.find((b) => b.id === 2)?.state).toBe('running');
    expect((await lab.run('broker start 2')).output).toMatch(/^Broker 2 is already running\./);
  });

  it('changes several brokers at once, skipping those already in that state', async () => {
    const lab = await newTestLab();
    expect((await lab.run('broker stop 2 3')).output).toBe(
      'Stopping broker 2: controlled shutdown, its leaderships move to other in-sync replicas first.\nStopping broker 3: controlled shutdown, its leaderships move to other in-sync replicas first.\n',
    );
    lab.advance(20_000);
    expect(lab.cluster.snapshot().brokers.map((b) => b.state)).toEqual(['running', 'stopped', 'stopped']);
    // A bad id anywhere in the list changes nothing.
    expect((await lab.run('broker start 2 9')).code).toBe(1);
    lab.advance(5_000);
    expect(lab.cluster.snapshot().brokers.map((b) => b.state)).toEqual(['running', 'stopped', 'stopped']);
    const started = await lab.run('broker start 1 2 3');
    expect(started.code).toBe(0);
    expect(started.output).toMatch(/^Broker 1 is already running; leaving it\.\nStarting broker 2: .*\nStarting broker 3: /);
    lab.advance(20_000);
    expect(lab.cluster.snapshot().brokers.map((b) => b.state)).toEqual(['running', 'running', 'running']);
    expect(await lab.run('broker stop 2 2')).toMatchObject({ code: 0, output: expect.stringMatching(/^Stopping broker 2: [^\n]*\n$/) });
    expect((await lab.run('broker start 1 3')).output).toBe('Brokers 1, 3 are already running.\nhint: `broker stop 1` or `broker crash 1` takes it down\n');
  });

  it('explains ids that are not brokers', async () => {
    const lab = await newTestLab();
    expect(await lab.run('broker stop 7')).toEqual({ code: 1, output: 'There is no broker 7 in this lab.\nhint: broker ids in this lab: 1, 2, 3\n' });
    expect((await lab.run('broker crash 101')).output).toBe('There is no broker 101 in this lab (101 is a controller: use `controller` commands).\nhint: broker ids in this lab: 1, 2, 3\n');
    expect(await lab.run('broker stp 1')).toEqual({ code: 1, output: "broker: unknown subcommand 'stp'\nhint: Did you mean `broker stop`?\n" });
  });

  it('adds an empty broker in a rack, then retires one by moving its replicas away', async () => {
    const lab = await newTestLab({ brokers: 3 });
    await lab.run('kafka-topics --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 2');
    const added = await lab.run('broker add --rack r4');
    expect(added).toEqual({ code: 0, output: 'Added broker 4 in rack r4. It owns no partitions until you create topics or reassign some.\n' });
    const four = lab.cluster.snapshot().brokers.find((b) => b.id === 4);
    expect(four).toMatchObject({ state: 'running', rack: 'r4' });
    const held = lab.cluster.snapshot().topics[0]!.partitions.filter((p) => p.replicas.includes(3)).length;
    const removed = await lab.run('broker remove 3');
    expect(removed.code).toBe(0);
    const lines = removed.output.trimEnd().split('\n');
    expect(lines[0]).toBe('Retiring broker 3: its replicas move to other brokers first.');
    expect(lines.filter((l) => /^ {2}orders-\d: \[[\d,]+\] -> \[[\d,]+\]$/.test(l))).toHaveLength(held);
    expect(lines.at(-1)).toMatch(/^Broker 3 removed: \d+ replica move\(s\), \d+ bytes copied; it was stopped and unregistered\.$/);
    expect(lab.cluster.snapshot().topics[0]!.partitions.every((p) => !p.replicas.includes(3) && p.replicas.length === 2)).toBe(true);
  });
});
