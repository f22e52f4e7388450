import { describe, expect, it } from 'vitest';
import { Cluster, settle, type ClusterApi } from '@kil/engine';
import { LabFiles } from '../files';
import { Shell } from '../shell';
import { newTestLab } from '../testing';
import type { LabControls, LabTimeState, ShellContext } from '../types';
import { parseRewindTarget } from './time';

/** A host clock like the lab's scheduler: it advances the cluster when stepped. */
function hostClock(advance: (ms: number) => void, now: () => number): NonNullable<LabControls['time']> {
  let paused = false;
  let speed = 1;
  return {
    state: (): LabTimeState => ({ paused, speed, nowMs: now() }),
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    step: (ms) => advance(ms),
    setSpeed: (x) => void (speed = x),
  };
}

describe('time', () => {
  it('pauses, steps the cluster clock, changes speed and resumes', async () => {
    // The host clock needs the cluster, which exists only once the lab has started.
    const host: { cluster?: { advanceBy(ms: number): void; nowMs(): number } } = {};
    const lab = await newTestLab({}, { time: hostClock((ms) => host.cluster?.advanceBy(ms), () => host.cluster?.nowMs() ?? 0) });
    host.cluster = lab.cluster;
    const start = lab.cluster.nowMs();
    expect((await lab.run('time pause')).output).toMatch(/^Time paused at \d+\.\d{3}s\./);
    expect(await lab.run('time step 250')).toEqual({ code: 0, output: `Stepped 250 ms; virtual time is now ${((start + 250) / 1000).toFixed(3)}s.\n` });
    expect(lab.cluster.nowMs()).toBe(start + 250);
    await lab.run('time step');
    expect(lab.cluster.nowMs()).toBe(start + 350);
    expect((await lab.run('time speed 4x')).output).toBe(`Virtual time ${((start + 350) / 1000).toFixed(3)}s, paused at 4x.\n`);
    expect((await lab.run('time resume')).output).toMatch(/, running at 4x\.\n$/);
    expect((await lab.run('time step 10')).output).toBe('Time is running; stepping needs a paused clock.\nhint: `time pause` first, then `time step`\n');
    expect((await lab.run('time speed 1000')).code).toBe(1);
  });

  it('says so when the terminal has no lab clock', async () => {
    const lab = await newTestLab();
    expect(await lab.run('time pause')).toEqual({
      code: 1,
      output: 'Time control is not available in this terminal.\nhint: it works in a lab terminal, where a scheduler drives the cluster\n',
    });
  });
});

/**
 * A small stand-in for the lab's time travel (packages/lab does the real one): it records
 * the fault calls the shell makes, and rewinding builds a fresh cluster from the same seed
 * and replays the calls made before the chosen event.
 */
async function rewindableLab(refuse?: string) {
  const calls: Array<{ timeMs: number; afterSeq: number; method: string; args: unknown[] }> = [];
  const base = await newTestLab();
  const record = (cluster: Cluster): ClusterApi =>
    new Proxy(cluster, {
      get(target, key, receiver) {
        if (key !== 'faults') return Reflect.get(target, key, receiver) as unknown;
        return new Proxy(target.faults, {
          get(faults, method) {
            const fn = Reflect.get(faults, method) as (...a: unknown[]) => unknown;
            return (...args: unknown[]) => {
              calls.push({ timeMs: target.nowMs(), afterSeq: target.events().at(-1)?.seq ?? -1, method: String(method), args });
              return fn.apply(faults, args);
            };
          },
        });
      },
    });
  let current: Cluster = base.cluster;
  const time: NonNullable<LabControls['time']> = {
    ...hostClock((ms) => current.advanceBy(ms), () => current.nowMs()),
    rewind(seq) {
      if (refuse) return refuse;
      const event = current.events().find((e) => e.seq === seq);
      if (!event) return 'older than the trace';
      const rebuilt = new Cluster({ seed: 7 });
      for (const call of calls.filter((c) => c.timeMs <= event.timeMs && c.afterSeq < seq)) {
        rebuilt.advanceTo(call.timeMs);
        (rebuilt.faults[call.method as keyof typeof rebuilt.faults] as (...a: unknown[]) => unknown)(...call.args);
      }
      rebuilt.advanceTo(event.timeMs);
      current = rebuilt;
      context.cluster = record(rebuilt);
      return null;
    },
  };
  const context: ShellContext = { cluster: record(base.cluster), lab: { time }, files: new LabFiles() };
  const shell = new Shell(context);
  const run = async (line: string) => {
    let output = '';
    const code = await settle(current, shell.execute(line, { write: (t) => (output += t), signal: new AbortController().signal }));
    return { code, output };
  };
  return { run, cluster: () => current };
}

describe('time rewind', () => {
  it('brings a stopped broker back by rewinding to an event before the stop', async () => {
    const lab = await rewindableLab();
    expect((await lab.run('broker stop 2')).code).toBe(0);
    const stop = lab.cluster().events().find((e) => e.type === 'node-stop-requested');
    expect(stop).toBeDefined();
    const before = lab.cluster().events().filter((e) => e.seq < (stop?.seq ?? 0)).at(-1)!;
    lab.cluster().advanceBy(5_000);
    expect(lab.cluster().snapshot().brokers.find((b) => b.id === 2)?.state).not.toBe('running');

    const { code, output } = await lab.run(`time rewind #${before.seq}`);
    expect(code).toBe(0);
    expect(output).toBe(
      `Rewound to ${(before.timeMs / 1000).toFixed(3)}s, right after event #${before.seq} ${before.type}: ${before.message}\n` +
        'Time is paused here. `time resume` goes on from this moment; what happened after it is forgotten.\n',
    );
    expect(lab.cluster().snapshot().brokers.find((b) => b.id === 2)?.state).toBe('running');
    expect(lab.cluster().events().some((e) => e.type === 'node-stop-requested')).toBe(false);
  });

  it('picks the last event at or before a virtual time, absolute or relative', async () => {
    const lab = await rewindableLab();
    lab.cluster().advanceBy(2_000);
    const quietMs = lab.cluster().nowMs() - 1_000;
    await lab.run('broker stop 2');
    lab.cluster().advanceBy(10_000);
    const expected = lab.cluster().events().filter((e) => e.timeMs <= quietMs).at(-1)!;
    expect((await lab.run(`time rewind ${quietMs}ms`)).output).toContain(`right after event #${expected.seq} `);
    expect(lab.cluster().snapshot().brokers.find((b) => b.id === 2)?.state).toBe('running');

    const again = await rewindableLab();
    await again.run('broker stop 2');
    again.cluster().advanceBy(20_000);
    const tenSecondsAgo = again.cluster().nowMs() - 10_000;
    const target = again.cluster().events().filter((e) => e.timeMs <= tenSecondsAgo).at(-1)!;
    expect((await again.run('time rewind -10s')).output).toContain(`right after event #${target.seq} `);
  });

  it('reads moments in Kafka-ish units and refuses what it cannot use', async () => {
    expect(parseRewindTarget('#123')).toEqual({ kind: 'seq', seq: 123 });
    expect(parseRewindTarget('1m30s')).toEqual({ kind: 'time', ms: 90_000, relative: false });
    expect(parseRewindTarget('1500ms')).toEqual({ kind: 'time', ms: 1500, relative: false });
    expect(parseRewindTarget('-2.5s')).toEqual({ kind: 'time', ms: 2500, relative: true });
    expect(() => parseRewindTarget('42')).toThrow(/cannot read '42'/);
    const lab = await rewindableLab();
    const last = lab.cluster().events().at(-1)!.seq;
    expect(await lab.run(`time rewind #${last + 50}`)).toEqual({ code: 1, output: expect.stringMatching(new RegExp(`^There is no event #${last + 50} yet\\.\\nhint: the trace the lab keeps runs from #`)) as unknown as string });
    expect((await lab.run('time rewind 1h')).output).toMatch(/^3600\.000s is in the future: the lab's clock is at \d+\.\d{3}s\./);
    expect((await lab.run('time rewind 42')).output).toBe("time rewind: cannot read '42' as a moment\nhint: add a unit: `time rewind 42s` for seconds, or `#42` for an event number\n");
    expect((await lab.run('time rewind')).output).toMatch(/^time rewind: missing the moment to go back to\nhint: for example/);
  });

  it('prints the lab\'s reason when it refuses, and says when there is no rewind at all', async () => {
    const refusing = await rewindableLab('Rewind is not available once producers or consumers have run in this lab; use "lab reset" to start again.');
    expect(await refusing.run('time rewind -1s')).toEqual({
      code: 1,
      output: 'Cannot rewind: Rewind is not available once producers or consumers have run in this lab; use "lab reset" to start again.\n',
    });
    const plain = await newTestLab();
    expect((await plain.run('time rewind -1s')).output).toBe('Time control is not available in this terminal.\nhint: it works in a lab terminal, where a scheduler drives the cluster\n');
    const noRewind = await newTestLab({}, { time: hostClock(() => undefined, () => 0) });
    expect((await noRewind.run('time rewind #1')).output).toBe('Rewind is not available in this terminal.\nhint: it works in a lab terminal, where the lab records what happens\n');
  });

  it('waits for a lab whose rewind replays asynchronously, and reports its answer', async () => {
    const asked: number[] = [];
    let answer: string | null = null;
    // Answers only after a few turns of the microtask queue, as a replay that lets clients' continuations run does.
    const rewind = async (seq: number): Promise<string | null> => {
      for (let turn = 0; turn < 3; turn++) await Promise.resolve();
      asked.push(seq);
      return answer;
    };
    const time = { ...hostClock(() => undefined, () => 0), rewind };
    const lab = await newTestLab({}, { time });
    const last = lab.cluster.events().at(-1)!;
    const done = await lab.run(`time rewind #${last.seq}`);
    expect(asked).toEqual([last.seq]);
    expect(done).toEqual({ code: 0, output: expect.stringContaining(`right after event #${last.seq} ${last.type}`) as unknown as string });
    answer = 'This lab cannot be rewound.';
    expect(await lab.run(`time rewind #${last.seq}`)).toEqual({ code: 1, output: 'Cannot rewind: This lab cannot be rewound.\n' });
  });
});
