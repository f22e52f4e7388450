import { describe, expect, it } from 'vitest';
import { newTestLab } from '../testing';
import type { LabControls, LabTimeState } from '../types';

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
