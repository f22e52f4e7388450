/**
 * The course's modules as the browser tests see them: the module folders on disk, each
 * module's "Try it" commands read from its MDX, and what one command printed in the
 * learner's terminal.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const modulesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'content', 'modules');

/** Every module folder (`NN-slug`), in course order. */
export function moduleFolders(): string[] {
  return readdirSync(modulesDir)
    .filter((name) => /^\d\d-/.test(name))
    .sort();
}

/** The page address of a module: its folder without the order prefix, as the site routes it. */
export function moduleSlug(folder: string): string {
  return folder.replace(/^\d\d-/, '');
}

/**
 * The `command` of every `<TryIt>` in a module's MDX, in order. This reads the attribute
 * the same way the lesson sweep in packages/shell/src/lessons.test.ts does, so the browser
 * test and the sweep run the same commands.
 */
export function tryItCommands(mdx: string): string[] {
  return [...mdx.matchAll(/<TryIt\b[^>]*\bcommand="([^"]*)"/g)].map((m) => (m[1] as string).replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

export function moduleTryItCommands(folder: string): string[] {
  return tryItCommands(readFileSync(path.join(modulesDir, folder, 'index.mdx'), 'utf8'));
}

/** What one command printed, read back from the terminal's screen. */
export interface StepOutput {
  /** The output's lines as the shell printed them (a line that wrapped on screen is one line), trailing spaces trimmed. */
  readonly text: string;
  /** True once the shell has printed a fresh prompt after the output: the command has finished. */
  readonly finished: boolean;
}

/**
 * The terminal's screen as the lines the shell printed. xterm draws one element per
 * screen row, so a long line spans several rows; a row that fills the terminal's whole
 * width runs on into the next. The width in columns is the row's width over one cell's
 * width (every character takes one cell; a span's width over its length gives a cell).
 * Rows are read untrimmed so that a space falling at a wrap survives.
 */
export async function terminalLines(page: Page): Promise<string[]> {
  const screen = await page.locator('[data-testid="terminal"] .xterm-rows').evaluate((element) => {
    const rows = [...element.children];
    let cellPx = 0;
    for (const span of element.querySelectorAll('span')) {
      const length = span.textContent?.length ?? 0;
      if (length > 0) cellPx = Math.max(cellPx, span.getBoundingClientRect().width / length);
    }
    const rowPx = rows[0]?.getBoundingClientRect().width ?? 0;
    return { rows: rows.map((row) => row.textContent ?? ''), columns: cellPx > 0 ? Math.round(rowPx / cellPx) : 0 };
  });
  const rows = screen.rows.map((row) => row.replace(/\u00a0/g, ' '));
  const columns = Math.max(screen.columns, ...rows.map((row) => row.length));
  const lines: string[] = [];
  let current = '';
  for (const row of rows) {
    current += row;
    if (row.length < columns) {
      lines.push(current.trimEnd());
      current = '';
    }
  }
  if (current !== '') lines.push(current.trimEnd());
  return lines;
}

/**
 * The output of the last run of `command` on the terminal's screen, or null when its echo
 * (`$ command`) is not on the screen: not run yet, or scrolled away.
 */
export async function stepOutput(page: Page, command: string): Promise<StepOutput | null> {
  const lines = await terminalLines(page);
  const echo = `$ ${command}`;
  const start = lines.lastIndexOf(echo);
  if (start === -1) return null;
  const after = lines.slice(start + 1);
  // The fresh prompt is a line holding only "$" (its trailing space trimmed), or the next command's echo.
  const promptAt = after.findIndex((line) => line === '$' || line.startsWith('$ '));
  const output = promptAt === -1 ? after : after.slice(0, promptAt);
  return { text: output.join('\n').trim(), finished: promptAt !== -1 };
}
