/**
 * An exercise's set-up: terminal lines run on a fresh lab, in order, before the learner
 * starts. The grading lab (runner.ts) and the live lab (@kil/lab's Lab, on start and on
 * `lab reset`) both run them through `runSetup`, so the lab a learner works in and the
 * lab their work is graded in start from the same state. A line that fails stops the
 * set-up with its output: a broken manifest must not hand a learner a half-built lab.
 */
import type { Shell } from '@kil/shell';

/** Bounds on a set-up, checked before any line runs (a lab shape comes from content files). */
export const setupLimits = { linesMax: 50, lineCharsMax: 4096 } as const;

/** The outcome of one set-up line. */
export interface SetupLineOutcome {
  readonly ok: boolean;
  readonly output: string;
}

/** Runs one terminal line to completion on the lab being set up. */
export type SetupLineRunner = (line: string) => Promise<SetupLineOutcome>;

export class SetupError extends Error {
  override name = 'SetupError';
  constructor(
    readonly line: string,
    readonly output: string,
  ) {
    super(`set-up line failed: ${line}\n${output}`);
  }
}

/** Throws a SetupError when the set-up is larger than a lab takes. */
export function checkSetup(setup: readonly string[]): void {
  if (setup.length > setupLimits.linesMax) throw new SetupError(`(${setup.length} lines)`, `A set-up may have at most ${setupLimits.linesMax} lines.`);
  const long = setup.find((line) => line.length > setupLimits.lineCharsMax);
  if (long !== undefined) throw new SetupError(long.slice(0, 80), `A set-up line may be at most ${setupLimits.lineCharsMax} characters.`);
}

/** Runs every set-up line in order; the first that fails throws a SetupError with its output. */
export async function runSetup(setup: readonly string[], runLine: SetupLineRunner): Promise<void> {
  checkSetup(setup);
  for (const line of setup) {
    const outcome = await runLine(line);
    if (!outcome.ok) throw new SetupError(line, outcome.output);
  }
}

/**
 * A line runner over a Shell whose cluster is advanced by `drive` until the line's
 * command settles (fast-forward when a live lab boots; the grader has its own runLine).
 */
export function shellLineRunner(shell: Shell, drive: (running: Promise<number>) => Promise<number>): SetupLineRunner {
  return async (line) => {
    let output = '';
    const code = await drive(shell.execute(line, { write: (text) => (output += text), signal: new AbortController().signal }));
    return { ok: code === 0, output };
  };
}
