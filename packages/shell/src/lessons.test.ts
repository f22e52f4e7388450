/**
 * Every runnable lesson step (`<TryIt command="...">` in content/modules/*) runs through
 * the shell, in lesson order, against a lab shaped by the module's frontmatter. A lesson
 * may teach with a command that fails on purpose (a refused write, a clean election that
 * cannot happen), so the check is that every command is understood and supported: no
 * "command not found", no usage error, no "not available in this lab", no internal error.
 * Commands that run until Ctrl-C are stopped after a few seconds of virtual time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUntil, settle, type ClusterOptions, type NewTopic } from '@kil/engine';
import { describe, expect, it } from 'vitest';
import { LabFiles, LESSON_FILES } from './files';
import { newTestLab, type TestLab } from './testing';

const modulesDir = join(dirname(fileURLToPath(import.meta.url)), '../../../content/modules');

interface LessonLab {
  readonly options: ClusterOptions;
  readonly topics: NewTopic[];
}

/** The frontmatter's `lab:` block: brokers, controllers, racks and seeded topics (flow mappings). */
export function parseLessonLab(mdx: string): LessonLab {
  const front = /^---\n([\s\S]*?)\n---/.exec(mdx)?.[1] ?? '';
  const block = /\nlab:\n((?: {2}.*\n?)*)/.exec(`\n${front}\n`)?.[1] ?? '';
  const number = (key: string): number | undefined => {
    const m = new RegExp(`^ {2}${key}: *(\\d+)`, 'm').exec(block);
    return m ? Number(m[1]) : undefined;
  };
  const racks = /^ {2}racks: *(\[.*\])/m.exec(block)?.[1];
  const topics = [...block.matchAll(/^ {4}- *(\{.*\}) *$/gm)].map((m) => JSON.parse(flowToJson(m[1] as string)) as { name: string; partitions?: number; replicationFactor?: number; configs?: Record<string, string> });
  const brokers = number('brokers');
  const controllers = number('controllers');
  return {
    options: { ...(brokers ? { brokers } : {}), ...(controllers ? { controllers } : {}), ...(racks ? { racks: JSON.parse(racks) as string[] } : {}) },
    topics: topics.map((t) => ({ name: t.name, numPartitions: t.partitions ?? 1, replicationFactor: t.replicationFactor ?? 1, configs: t.configs ?? {} })),
  };
}

/** `{ name: "orders", partitions: 3, configs: { "a.b": "2" } }` → JSON, by quoting bare keys. */
function flowToJson(flow: string): string {
  return flow.replace(/([{,]\s*)([A-Za-z_][\w.]*)\s*:/g, '$1"$2":');
}

export function tryItCommands(mdx: string): string[] {
  return [...mdx.matchAll(/<TryIt\b[^>]*\bcommand="([^"]*)"/g)].map((m) => (m[1] as string).replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

const runsUntilInterrupted = (command: string): boolean =>
  (command.startsWith('kafka-console-consumer') && !/--max-messages|--timeout-ms/.test(command)) || /^(trace|events) .*--follow/.test(command);

async function runStep(lab: TestLab, command: string): Promise<{ code: number; output: string }> {
  if (!runsUntilInterrupted(command)) return lab.run(command);
  const running = lab.start(command);
  await runUntil(lab.cluster, () => false, 3_000);
  running.interrupt();
  const code = await running.done;
  return { code, output: running.output() };
}

const UNSUPPORTED = [/command not found/, /not available in this lab yet/, /internal error/, /is not a recognized option/];

const modules = readdirSync(modulesDir).filter((d) => /^\d\d-/.test(d)).sort();

describe.each(modules)('lesson %s', (slug) => {
  it('runs every TryIt command with a supported tool', async () => {
    const mdx = readFileSync(join(modulesDir, slug, 'index.mdx'), 'utf8');
    const shape = parseLessonLab(mdx);
    const lab = await newTestLab(shape.options, undefined, new LabFiles(LESSON_FILES[slug] ?? {}));
    if (shape.topics.length > 0) await settle(lab.cluster, lab.cluster.admin.createTopics(shape.topics));
    await runUntil(lab.cluster, () => shape.topics.every((t) => lab.cluster.snapshot().topics.some((s) => s.name === t.name)), 10_000);
    const problems: string[] = [];
    for (const command of tryItCommands(mdx)) {
      const { code, output } = await runStep(lab, command);
      if (process.env['LESSON_LOG']) console.log(`${slug} $ ${command}\n[exit ${code}]\n${output}`);
      if (code === 2 || code === 127 || UNSUPPORTED.some((re) => re.test(output))) problems.push(`$ ${command}\n[exit ${code}]\n${output}`);
      // A learner reads between steps; give the cluster those seconds too.
      lab.advance(5_000);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
