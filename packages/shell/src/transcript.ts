/**
 * Transcript tests: a text file of command lines and the output they must print, run
 * against a seeded lab. They read like a terminal session, so they double as examples.
 *
 * Format, line by line:
 *   # comment                    ignored
 *   @lab brokers=3 controllers=1 cluster shape for the file (first directive only); `host=1`
 *                                adds a lab host (time, lab status/reset, rewind), `geo=1`
 *                                makes a two-region lab
 *   @advance <ms>                advance virtual time
 *   @file <name> <text>          put a file into the lab's files (text to the end of the line)
 *   $ <command line>             run a command; the lines after it are its expected output
 *   [exit <n>]                   expected exit code (0 when absent)
 * In expected output, `<any>` matches any text within the line and a line `...` matches
 * any number of lines (including none).
 */

export type Step =
  | { readonly kind: 'advance'; readonly ms: number; readonly line: number }
  | { readonly kind: 'file'; readonly name: string; readonly text: string; readonly line: number }
  | { readonly kind: 'command'; readonly command: string; readonly expected: string[]; readonly exit: number; readonly line: number };

export interface Transcript {
  readonly lab: Record<string, number>;
  readonly steps: Step[];
}

export function parseTranscript(text: string): Transcript {
  const lab: Record<string, number> = {};
  const steps: Step[] = [];
  let current: { command: string; expected: string[]; exit: number; line: number } | undefined;
  const flush = (): void => {
    if (current) steps.push({ kind: 'command', ...current });
    current = undefined;
  };
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('#')) return;
    if (line.startsWith('@lab ')) {
      for (const pair of line.slice(5).trim().split(/\s+/)) {
        const [key, value] = pair.split('=');
        if (key) lab[key] = Number(value);
      }
      return;
    }
    if (line.startsWith('@advance ')) {
      flush();
      steps.push({ kind: 'advance', ms: Number(line.slice(9)), line: index + 1 });
      return;
    }
    if (line.startsWith('@file ')) {
      flush();
      const [name = '', ...rest] = line.slice(6).split(' ');
      steps.push({ kind: 'file', name, text: rest.join(' '), line: index + 1 });
      return;
    }
    if (line.startsWith('$ ')) {
      flush();
      current = { command: line.slice(2), expected: [], exit: 0, line: index + 1 };
      return;
    }
    const exit = /^\[exit (\d+)\]$/.exec(line);
    if (exit && current) current.exit = Number(exit[1]);
    else if (current) current.expected.push(line);
  });
  flush();
  for (const step of steps) if (step.kind === 'command') while (step.expected.at(-1) === '') step.expected.pop();
  return { lab, steps };
}

function lineMatches(pattern: string, actual: string): boolean {
  if (!pattern.includes('<any>')) return pattern === actual;
  const regex = pattern
    .split('<any>')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`).test(actual);
}

/** Whether `actual` lines fit the `expected` pattern lines (with `...` wildcards). */
export function outputMatches(expected: readonly string[], actual: readonly string[]): boolean {
  const [head, ...rest] = expected;
  if (head === undefined) return actual.length === 0;
  if (head === '...') {
    for (let skip = 0; skip <= actual.length; skip++) if (outputMatches(rest, actual.slice(skip))) return true;
    return false;
  }
  const [first, ...others] = actual;
  return first !== undefined && lineMatches(head, first) && outputMatches(rest, others);
}
