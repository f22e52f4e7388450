/**
 * time: control the lab's virtual clock. The cluster only moves when its scheduler
 * advances time; pausing freezes every timer (elections, ISR checks, retries), stepping
 * moves it by a chosen amount, and speed scales virtual against real time.
 */
import type { CommandEnv } from '../command';
import { ShellError } from '../errors';
import { labCommand, parseNumber } from '../lab-command';
import type { LabControls } from '../types';

const USAGE = `Usage:
  time                 show the virtual time, whether it runs, and its speed
  time pause           freeze the cluster's clock
  time resume          let it run again
  time step [ms]       while paused, move the clock forward (default 100 ms)
  time speed <x>       virtual ms per real ms, from 0.01 to 100 (1 = real time)
`;

export const DEFAULT_STEP_MS = 100;

function clock(env: CommandEnv): NonNullable<LabControls['time']> {
  const time = env.lab?.time;
  if (!time) throw new ShellError('Time control is not available in this terminal.', 'it works in a lab terminal, where a scheduler drives the cluster');
  return time;
}

export function formatTimeMs(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

function show(env: CommandEnv): number {
  const state = clock(env).state();
  env.out.line(`Virtual time ${formatTimeMs(state.nowMs)}, ${state.paused ? 'paused' : 'running'} at ${state.speed}x.`);
  return 0;
}

export const time = labCommand({
  name: 'time',
  summary: 'Pause, resume, step or speed up the cluster clock',
  usage: USAGE,
  defaultSubcommand: 'status',
  subcommands: {
    status: { run: (_args, env) => show(env) },
    pause: {
      run(_args, env) {
        clock(env).pause();
        env.out.line(`Time paused at ${formatTimeMs(clock(env).state().nowMs)}. \`time step [ms]\` moves it forward, \`time resume\` lets it run.`);
        return 0;
      },
    },
    resume: {
      run(_args, env) {
        clock(env).resume();
        return show(env);
      },
    },
    step: {
      run(args, env) {
        const ms = args[0] === undefined ? DEFAULT_STEP_MS : parseNumber(args[0], 'the step in ms', { min: 1, max: 3_600_000 });
        const time = clock(env);
        if (!time.state().paused) throw new ShellError('Time is running; stepping needs a paused clock.', '`time pause` first, then `time step`');
        time.step(ms);
        env.out.line(`Stepped ${ms} ms; virtual time is now ${formatTimeMs(time.state().nowMs)}.`);
        return 0;
      },
    },
    speed: {
      run(args, env) {
        const speed = parseNumber(args[0]?.replace(/x$/, ''), 'the speed', { min: 0.01, max: 100 });
        clock(env).setSpeed(speed);
        return show(env);
      },
      complete: () => ['0.5', '1', '2', '5', '10'],
    },
  },
});
