/**
 * A thin writer over ShellIO: plain lines, red errors and dim hints. Colour is ANSI SGR
 * and only when the context asks for it, so transcripts and tests stay plain text.
 */
import type { ShellIO } from './types';

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export class Output {
  constructor(
    private readonly io: ShellIO,
    readonly color: boolean,
  ) {}

  write(text: string): void {
    this.io.write(text);
  }

  line(text = ''): void {
    this.io.write(`${text}\n`);
  }

  error(text: string): void {
    this.line(this.color ? `${RED}${text}${RESET}` : text);
  }

  /** One line that tells the learner what to try; prefixed so it reads apart from Kafka's own output. */
  hint(text: string): void {
    const line = `hint: ${text}`;
    this.line(this.color ? `${DIM}${line}${RESET}` : line);
  }
}

/** Left-aligned columns padded to the widest cell and separated by one space, as Kafka's tools print tables. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join(' ')
        .trimEnd(),
    )
    .join('\n');
}
