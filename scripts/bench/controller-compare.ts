/**
 * Controller failover, ZooKeeper-era controller versus KRaft, against partition count:
 * the engine's deterministic model (virtual time), not a wall-clock measurement. The
 * benchmark prints the comparison table and the key assumptions, checks that a second run
 * gives the same numbers, and reports each row plus the ratio at 200,000 partitions.
 * Run alone with `npx tsx scripts/bench/controller-compare.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  CONTROLLER_ASSUMPTION_DOCS,
  KEY_CONTROLLER_ASSUMPTIONS,
  compareControllers,
  formatAssumptionValue,
  formatModelDuration,
  partitionsWithinBudget,
  type ControllerComparison,
} from '@kil/engine';
import type { BenchResult } from '../bench';

const COUNTS = [1000, 10_000, 50_000, 100_000, 200_000];

function table(c: ControllerComparison, what: string): string {
  const header = ['partitions', `ZooKeeper ${what}`, `KRaft ${what}`, 'ratio'];
  const rows = c.rows.map((r) => [r.partitions.toLocaleString('en-US'), formatModelDuration(r.zookeeper.totalMs), formatModelDuration(r.kraft.totalMs), `${r.ratio.toFixed(1)}x`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function assumptions(c: ControllerComparison): string {
  return CONTROLLER_ASSUMPTION_DOCS.filter((d) => KEY_CONTROLLER_ASSUMPTIONS.includes(d.key))
    .map((d) => `  ${d.key} = ${formatAssumptionValue(d.key, c.assumptions[d.key])}${d.kafkaConfig ? ` (${d.kafkaConfig})` : ''}`)
    .join('\n');
}

export async function benchControllerCompare(): Promise<BenchResult[]> {
  const failover = compareControllers({ partitionCounts: COUNTS });
  const again = compareControllers({ partitionCounts: COUNTS });
  const deterministic = JSON.stringify(failover) === JSON.stringify(again);
  if (!deterministic) throw new Error('the controller model gave two different answers for the same input');
  const shutdown = compareControllers({ partitionCounts: COUNTS, scenario: 'controlled-shutdown' });
  const at200k = failover.rows.at(-1)!;
  const shutdown200k = shutdown.rows.at(-1)!;
  const kraftFits = partitionsWithinBudget('kraft', shutdown200k.zookeeper.totalMs, { scenario: 'controlled-shutdown' });
  process.stdout.write(
    [
      `\nController failover after a crash (model, virtual time, ${failover.assumptions.brokerCount} brokers, RF ${failover.assumptions.replicationFactor}):`,
      table(failover, 'failover'),
      `ratio at 200,000 partitions: ${at200k.ratio.toFixed(1)}x (ZooKeeper ${formatModelDuration(at200k.zookeeper.totalMs)}, KRaft ${formatModelDuration(at200k.kraft.totalMs)})`,
      '\nControlled shutdown of one broker:',
      table(shutdown, 'controlled shutdown'),
      `KRaft fits ${kraftFits.partitions.toLocaleString('en-US')} partitions (${(kraftFits.partitions / 200_000).toFixed(0)}x) in the time ZooKeeper mode needs for 200,000.`,
      `\nKey assumptions:\n${assumptions(failover)}\n`,
    ].join('\n'),
  );
  return [
    ...failover.rows.map((r): BenchResult => ({ name: `controller failover ${r.partitions} partitions, ZooKeeper vs KRaft`, value: r.zookeeper.totalMs / 1000, unit: 's (virtual)', ratio: r.ratio, note: `KRaft ${formatModelDuration(r.kraft.totalMs)}; ratio: ZooKeeper ÷ KRaft` })),
    { name: 'controller failover ratio at 200,000 partitions', value: at200k.ratio, unit: 'x', note: 'model, deterministic' },
    { name: 'controlled shutdown 200,000 partitions, ZooKeeper vs KRaft', value: shutdown200k.zookeeper.totalMs / 1000, unit: 's (virtual)', ratio: shutdown200k.ratio, note: `KRaft ${formatModelDuration(shutdown200k.kraft.totalMs)}` },
    { name: 'KRaft partitions within ZooKeeper controlled-shutdown time at 200k', value: kraftFits.partitions, unit: 'partitions', ratio: kraftFits.partitions / 200_000, note: 'ratio: × 200,000' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchControllerCompare();
}
