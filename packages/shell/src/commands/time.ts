/**
 * time: control the lab's virtual clock. The cluster only moves when its scheduler
 * advances time; pausing freezes every timer (elections, ISR checks, retries), stepping
 * moves it by a chosen amount, and speed scales virtual against real time. `time rewind`
 * goes back to a moment of the trace: the lab rebuilds its cluster by replaying what it
 * recorded (docs/adr/0004-time-travel-by-replay.md), so the past can be continued from.
 */
import type { TraceEvent } from '@kil/engine';
import type { CommandEnv } from '../command';
import { ShellError, UsageError } from '../errors';
import { labCommand, parseNumber } from '../lab-command';
import type { LabControls } from '../types';

const USAGE = `Usage:
  time                 show the virtual time, whether it runs, and its speed
  time pause           freeze the cluster's clock
  time resume          let it run again
  time step [ms]       while paused, move the clock forward (default 100 ms)
  time speed <x>       virtual ms per real ms, from 0.01 to 100 (1 = real time)
  time rewind <t>      go back to a moment and pause there; <t> is a virtual time
                       (42s, 1m30s, 1500ms), a time before now (-10s), or an event
                       number as \`events\` prints it (#123)
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

/** What `time rewind` was asked to go back to. */
export type RewindTarget = { readonly kind: 'seq'; readonly seq: number } | { readonly kind: 'time'; readonly ms: number; readonly relative: boolean };

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `#123`, `42s`, `1m30s`, `1500ms`, `42.5s` or `-10s` (relative to now). */
export function parseRewindTarget(text: string | undefined): RewindTarget {
  const example = 'for example `time rewind 42s`, `time rewind -10s` or `time rewind #123` (`events` shows the numbers)';
  if (text === undefined) throw new UsageError('time rewind: missing the moment to go back to', example);
  const seq = /^#(\d+)$/.exec(text);
  if (seq) return { kind: 'seq', seq: Number(seq[1]) };
  const duration = /^(-?)((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)$/.exec(text);
  if (!duration) {
    const hint = /^-?\d+(\.\d+)?$/.test(text) ? `add a unit: \`time rewind ${text}s\` for seconds, or \`#${text.replace(/^-/, '')}\` for an event number` : example;
    throw new UsageError(`time rewind: cannot read '${text}' as a moment`, hint);
  }
  let ms = 0;
  for (const part of (duration[2] ?? '').matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) ms += Number(part[1]) * (UNIT_MS[part[2] ?? 's'] ?? 1000);
  return { kind: 'time', ms: Math.round(ms), relative: duration[1] === '-' };
}

/** The trace event a target names: that event, or the last one at or before that time. */
function eventFor(target: RewindTarget, env: CommandEnv): TraceEvent {
  const events = env.cluster.events();
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) throw new ShellError('There is nothing to rewind to yet: the trace is empty.');
  const kept = `the trace the lab keeps runs from #${first.seq} (${formatTimeMs(first.timeMs)}) to #${last.seq} (${formatTimeMs(last.timeMs)})`;
  if (target.kind === 'seq') {
    const found = events.find((e) => e.seq === target.seq);
    if (!found) throw new ShellError(target.seq > last.seq ? `There is no event #${target.seq} yet.` : `Event #${target.seq} is older than the trace the lab keeps.`, kept);
    return found;
  }
  const nowMs = env.cluster.nowMs();
  const atMs = target.relative ? nowMs - target.ms : target.ms;
  if (atMs > nowMs) throw new ShellError(`${formatTimeMs(atMs)} is in the future: the lab's clock is at ${formatTimeMs(nowMs)}.`, 'pick an earlier moment, or `time rewind -10s` for ten seconds ago');
  const found = events.filter((e) => e.timeMs <= atMs).at(-1);
  if (!found) throw new ShellError(`${formatTimeMs(Math.max(0, atMs))} is older than the trace the lab keeps.`, kept);
  return found;
}

async function rewind(args: readonly string[], env: CommandEnv): Promise<number> {
  const target = parseRewindTarget(args[0]);
  if (args.length > 1) throw new UsageError(`time rewind: unexpected '${args[1]}'`, 'give one moment, e.g. `time rewind 42s`');
  const time = clock(env);
  if (!time.rewind) throw new ShellError('Rewind is not available in this terminal.', 'it works in a lab terminal, where the lab records what happens');
  const event = eventFor(target, env);
  // Not through env.wait: a rewind stops every running command, this one included, and
  // must still report where it went.
  const refused = await time.rewind(event.seq);
  if (refused !== null) throw new ShellError(`Cannot rewind: ${refused}`);
  env.out.line(`Rewound to ${formatTimeMs(time.state().nowMs)}, right after event #${event.seq} ${event.type}: ${event.message}`);
  env.out.line('Time is paused here. `time resume` goes on from this moment; what happened after it is forgotten.');
  return 0;
}

export const time = labCommand({
  name: 'time',
  summary: 'Pause, resume, step, speed up or rewind the cluster clock',
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
    rewind: { run: (args, env) => rewind(args, env), complete: () => ['-10s', '-1m'] },
  },
});
