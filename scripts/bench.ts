/**
 * `npm run bench`: runs every benchmark, prints a table of figures with the ratio each is
 * judged by, and writes the results as JSON under bench/results/. Benchmarks measure; they
 * never fail the build on a number.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchLog } from '../packages/lab/src/storage/log.bench';
import { benchLabStart } from './bench/lab-start';
import { benchIdleLabs } from './bench/idle-labs';
import { benchTerminalRtt } from './bench/terminal-rtt';
import { benchPageWeight } from './bench/page-weight';
import { benchUiFrames } from './bench/ui-frames';
import { benchWire } from './bench/wire';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly ratio?: number;
  readonly note?: string;
}

type Bench = { readonly title: string; readonly run: () => Promise<BenchResult[]> };

const benches: Bench[] = [
  { title: 'lab start', run: benchLabStart },
  { title: 'log', run: benchLog },
  { title: 'idle labs', run: benchIdleLabs },
  { title: 'terminal rtt', run: benchTerminalRtt },
  { title: 'page weight', run: benchPageWeight },
  { title: 'ui frames', run: benchUiFrames },
  { title: 'wire', run: benchWire },
  { title: 'controller compare', run: async () => (await import('./bench/controller-compare')).benchControllerCompare() },
  { title: 'cluster', run: async () => (await import('./bench/cluster')).benchCluster() },
];

function format(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [r.name, r.value.toFixed(r.value < 10 ? 2 : 1), r.unit, r.ratio === undefined ? '' : r.ratio.toFixed(2), r.note ?? '']);
  const header = ['benchmark', 'value', 'unit', 'ratio', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const only = process.argv.slice(2);
const all: BenchResult[] = [];
for (const bench of benches) {
  if (only.length > 0 && !only.some((name) => bench.title.includes(name))) continue;
  process.stdout.write(`running ${bench.title}...\n`);
  all.push(...(await bench.run()));
}
console.log(`\n${format(all)}\n`);
const dir = path.join(import.meta.dirname, '..', 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ node: process.version, results: all }, null, 2));
console.log(`results written to ${path.relative(process.cwd(), file)}`);
