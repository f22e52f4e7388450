/**
 * The rules behind `npm run content:check`: frontmatter (the same zod schemas the build
 * uses), MDX that compiles, only the course's components, TryIt commands that name a
 * terminal command, figures that exist and are well-formed SVG, exactly one Challenge.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from '@mdx-js/mdx';
import remarkGfm from 'remark-gfm';
import {
  ContentError,
  exerciseFrontmatterSchema,
  moduleFrontmatterSchema,
  parseEntry,
  repoRoot,
} from '../apps/web/lib/content';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export const allowedComponents = new Set(['TryIt', 'LiveView', 'Figure', 'Callout', 'Quiz', 'Question', 'Challenge']);

/** First words a TryIt command may start with: the terminal's commands. */
export const terminalCommands = new Set([
  'kafka-topics',
  'kafka-configs',
  'kafka-console-producer',
  'kafka-console-consumer',
  'kafka-consumer-groups',
  'kafka-get-offsets',
  'kafka-dump-log',
  'kafka-leader-election',
  'kafka-reassign-partitions',
  'kafka-metadata-quorum',
  'kafka-transactions',
  'kafka-producer-perf-test',
  'kafka-consumer-perf-test',
  'broker',
  'controller',
  'network',
  'disk',
  'time',
  'clients',
  'trace',
  'lab',
  'help',
  'clear',
  'mirror',
  'region',
  'ls',
  'cat',
  'write',
  'rm',
  'compare-controllers',
]);

function lineOf(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

function checkBody(file: string, source: string, requireChallenge: boolean): Problem[] {
  const problems: Problem[] = [];
  const at = (index: number, message: string) => problems.push({ file, line: lineOf(source, index), message });
  for (const match of source.matchAll(/<([A-Z][A-Za-z0-9]*)\b/g)) {
    if (!allowedComponents.has(match[1] ?? '')) at(match.index, `unknown component <${match[1]}>; use one of ${[...allowedComponents].join(', ')}`);
  }
  for (const match of source.matchAll(/<TryIt\b[^>]*\bcommand="([^"]*)"/g)) {
    const tool = (match[1] ?? '').trim().split(/\s+/)[0] ?? '';
    if (!terminalCommands.has(tool)) at(match.index, `TryIt command starts with "${tool}", which the terminal does not have`);
  }
  for (const match of source.matchAll(/<Figure\b[^>]*\bsrc="([^"]*)"/g)) {
    const figure = path.join(path.dirname(file), match[1] ?? '');
    if (!existsSync(figure)) at(match.index, `figure ${match[1]} does not exist beside the lesson`);
    else if (!/<svg[\s>]/.test(readFileSync(figure, 'utf8'))) at(match.index, `figure ${match[1]} is not an SVG file`);
  }
  const challenges = [...source.matchAll(/<Challenge\b/g)].length;
  if (requireChallenge && challenges !== 1) at(0, `a module needs exactly one <Challenge>, found ${challenges}`);
  return problems;
}

async function checkFile(file: string, slug: string, kind: 'module' | 'exercise'): Promise<Problem[]> {
  const schema = kind === 'module' ? moduleFrontmatterSchema : exerciseFrontmatterSchema;
  try {
    parseEntry(file, slug, schema);
  } catch (error) {
    const message = error instanceof ContentError ? error.message.replace(`${file}: `, '') : String(error);
    return [{ file, line: 1, message }];
  }
  const source = readFileSync(file, 'utf8');
  const problems = checkBody(file, source, kind === 'module');
  try {
    await compile(source.replace(/^---[\s\S]*?\n---\n/, (fm) => '\n'.repeat(fm.split('\n').length - 1)), { remarkPlugins: [remarkGfm] });
  } catch (error) {
    const place = (error as { line?: number }).line ?? 1;
    problems.push({ file, line: place, message: `MDX does not compile: ${(error as Error).message}` });
  }
  return problems;
}

export async function checkContent(root = repoRoot()): Promise<Problem[]> {
  const problems: Problem[] = [];
  const folders: [string, string, 'module' | 'exercise'][] = [
    [path.join(root, 'content', 'modules'), 'index.mdx', 'module'],
    [path.join(root, 'exercises'), 'README.mdx', 'exercise'],
  ];
  for (const [base, name, kind] of folders) {
    if (!existsSync(base)) continue;
    for (const folder of readdirSync(base).sort()) {
      const match = /^\d{2}-([a-z0-9-]+)$/.exec(folder);
      if (!match) continue;
      const file = path.join(base, folder, name);
      if (!existsSync(file)) problems.push({ file, line: 1, message: `missing ${name}` });
      else problems.push(...(await checkFile(file, match[1] ?? folder, kind)));
    }
  }
  return problems;
}
