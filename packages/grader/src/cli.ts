/**
 * The grading CLI behind `npm run grade -- <exercise-id> --solution|--starter|--transcript <file>`.
 * Prints each task's result and returns exit code 0 only when every check passes (1 when
 * some fail, 2 for a usage error), so CI and instructors can rely on it.
 */
import { formatResult } from './grade';
import { parseTranscript, runExercise, type RunMode } from './runner';
import type { ExerciseManifest } from './types';

export const usage = 'usage: npm run grade -- <exercise-id> --solution | --starter | --transcript <file>';

export interface CliIo {
  out(text: string): void;
  readFile(path: string): string;
}

export function parseArgs(argv: readonly string[]): { id: string; mode: 'solution' | 'starter' | 'transcript'; file?: string } | string {
  const id = argv.find((a) => !a.startsWith('--'));
  const modes = argv.filter((a) => ['--solution', '--starter', '--transcript'].includes(a));
  if (!id || modes.length !== 1) return usage;
  const mode = modes[0]!.slice(2) as 'solution' | 'starter' | 'transcript';
  if (mode !== 'transcript') return { id, mode };
  const file = argv[argv.indexOf('--transcript') + 1];
  if (!file || file.startsWith('--')) return `${usage}\n--transcript needs a file of commands, one per line`;
  // The id is the first bare word that is not the transcript's file name.
  const bare = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--transcript');
  return bare[0] ? { id: bare[0], mode, file } : usage;
}

export async function gradeCli(argv: readonly string[], exercises: readonly ExerciseManifest[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.out(`${args}\n`);
    return 2;
  }
  const manifest = exercises.find((e) => e.id === args.id);
  if (!manifest) {
    io.out(`unknown exercise ${args.id}; known: ${exercises.map((e) => e.id).join(', ')}\n`);
    return 2;
  }
  let mode: RunMode;
  if (args.mode === 'transcript') mode = { kind: 'transcript', lines: parseTranscript(io.readFile(args.file!)) };
  else mode = { kind: args.mode };
  const report = await runExercise(manifest, mode);
  io.out(`${manifest.id} (${args.mode})\n`);
  for (const step of report.steps) {
    io.out(`${step.ok ? '  ' : '! '}${step.step}\n`);
    if (!step.ok && step.output) io.out(step.output.replace(/^/gm, '    ') + '\n');
  }
  io.out(formatResult(report.result));
  return report.result.passed ? 0 : 1;
}
