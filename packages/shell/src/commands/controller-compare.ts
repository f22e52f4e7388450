/**
 * compare-controllers: the ZooKeeper-era controller against KRaft on the same workload,
 * from the engine's deterministic model (not from this lab's cluster, which runs KRaft).
 * Prints failover (or controlled shutdown) time per partition count in virtual time, the
 * ratio, how each mode moves metadata, and the assumptions that drive the numbers. Any
 * assumption can be changed: a few have their own flag, every one has `--set name=value`.
 */
import {
  CONTROLLER_ASSUMPTION_DOCS,
  DEFAULT_PARTITION_COUNTS,
  KEY_CONTROLLER_ASSUMPTIONS,
  compareControllers,
  formatAssumptionValue,
  formatModelDuration,
  partitionsWithinBudget,
  phaseTotalMs,
  type AssumptionKey,
  type ControllerComparison,
  type ControllerModelAssumptions,
  type ControllerScenario,
  type ModeOutcome,
} from '@kil/engine';
import { formatOptionTable, parseOptions, type OptionDef, type ParsedOptions } from '../args';
import type { Command } from '../command';
import { completeOptions } from '../complete';
import { UsageError } from '../errors';
import { parseNumber } from '../lab-command';
import { formatColumns } from '../output';
import { closest } from '../suggest';

/** Flags for the assumptions learners change most; everything else goes through --set. */
const FLAGS: readonly (readonly [flag: string, key: AssumptionKey, what: string])[] = [
  ['brokers', 'brokerCount', 'brokers in the cluster'],
  ['replication-factor', 'replicationFactor', 'replicas per partition'],
  ['zk-session-timeout-ms', 'zookeeperSessionTimeoutMs', 'zookeeper.session.timeout.ms'],
  ['zk-read-ms', 'zkReadLatencyMs', 'latency of one ZooKeeper read'],
  ['zk-in-flight', 'zookeeperMaxInFlightRequests', 'zookeeper.max.in.flight.requests (1 = the synchronous pre-1.1 controller)'],
  ['broker-apply-us', 'brokerApplyUsPerPartition', 'broker CPU per partition state in UpdateMetadata/LeaderAndIsr'],
  ['batch', 'controllerRequestBatchPartitions', 'partition states per controller request (default: all in one)'],
  ['fetch-timeout-ms', 'controllerQuorumFetchTimeoutMs', 'controller.quorum.fetch.timeout.ms'],
  ['election-timeout-ms', 'controllerQuorumElectionTimeoutMs', 'controller.quorum.election.timeout.ms'],
  ['split-votes', 'splitVoteRounds', 'KRaft elections lost to a split vote before one wins'],
];

const OPTIONS: readonly OptionDef[] = [
  { name: 'partitions', description: 'Comma-separated partition counts.', arg: 'required', describedAs: 'counts', defaultValue: DEFAULT_PARTITION_COUNTS.join(',') },
  { name: 'scenario', description: 'failover (the active controller goes away) or controlled-shutdown (one broker stops cleanly).', arg: 'required', defaultValue: 'failover', complete: ['failover', 'controlled-shutdown'] },
  { name: 'graceful', description: 'The old controller stops cleanly instead of crashing: no session or fetch timeout to wait for.' },
  ...FLAGS.map(([flag, , what]): OptionDef => ({ name: flag, description: `${what}.`, arg: 'required', type: 'double' })),
  { name: 'cold-standby', description: 'The KRaft standby must rebuild its state from a snapshot first.' },
  { name: 'set', description: 'Change any assumption by name (repeatable), e.g. --set znodeDecodeUs=40.', arg: 'required', describedAs: 'name=value', complete: CONTROLLER_ASSUMPTION_DOCS.map((d) => `${d.key}=`) },
  { name: 'paths', description: 'Also print how each mode moves metadata, at the largest count.' },
  { name: 'assumptions', description: 'Print every assumption with its source, not only the key ones.' },
  { name: 'help', description: 'Print usage information.' },
];

const SUMMARY = 'Model ZooKeeper-era versus KRaft controller failover against partition count';
const DESCRIPTION = `Compares the ZooKeeper-era controller with KRaft on the same workload, in virtual time, using a deterministic model.
Usage: compare-controllers [--partitions 1000,10000,200000] [--brokers N] [--scenario failover|controlled-shutdown] [--graceful] [--zk-read-ms X] [--set name=value ...]`;

const usage = (): string => `${DESCRIPTION}\n${formatOptionTable(OPTIONS)}`;

export const controllerCompare: Command = {
  name: 'compare-controllers',
  summary: SUMMARY,
  usage,
  async run(args, env) {
    const opts = parseOptions(OPTIONS, args);
    if (opts.has('help')) {
      env.out.write(usage());
      return 0;
    }
    if (opts.nonOptions.length > 0) throw new UsageError(`compare-controllers: unexpected argument '${opts.nonOptions[0]}'`, 'every input is an option, e.g. --partitions 1000,200000');
    const comparison = compareControllers({
      partitionCounts: parsePartitions(opts.value('partitions') ?? ''),
      scenario: parseScenario(opts.value('scenario') ?? 'failover'),
      failure: opts.has('graceful') ? 'graceful' : 'crash',
      assumptions: parseAssumptions(opts),
    });
    env.out.line(renderComparison(comparison, { paths: opts.has('paths'), allAssumptions: opts.has('assumptions') }));
    return 0;
  },
  complete(before, partial, env) {
    return completeOptions(OPTIONS, before, partial, env);
  },
};

function parsePartitions(text: string): number[] {
  const counts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (counts.length === 0) throw new UsageError('--partitions needs at least one count', 'e.g. --partitions 1000,10000,200000');
  return counts.map((c) => parseNumber(c.replace(/_/g, ''), 'each partition count', { min: 1, max: 10_000_000, integer: true }));
}

function parseScenario(text: string): ControllerScenario {
  if (text === 'failover' || text === 'controlled-shutdown') return text;
  throw new UsageError(`unknown scenario '${text}'`, 'use --scenario failover or --scenario controlled-shutdown');
}

function parseAssumptions(opts: ParsedOptions): Partial<ControllerModelAssumptions> {
  const overrides: Record<string, number | boolean> = {};
  for (const [flag, key] of FLAGS) {
    const value = opts.value(flag);
    if (value !== undefined) overrides[key] = parseNumber(value, `--${flag}`, { min: 0, max: Number.MAX_SAFE_INTEGER });
  }
  if (opts.has('cold-standby')) overrides.standbyReplaysSnapshot = true;
  for (const pair of opts.values('set')) {
    const [key = '', raw] = pair.split('=', 2);
    const doc = CONTROLLER_ASSUMPTION_DOCS.find((d) => d.key === key);
    if (!doc || raw === undefined) {
      const guess = closest(key, CONTROLLER_ASSUMPTION_DOCS.map((d) => d.key));
      throw new UsageError(`--set ${pair}: no assumption named '${key}'`, guess ? `Did you mean --set ${guess}=...? (\`compare-controllers --assumptions\` lists them all)` : '`compare-controllers --assumptions` lists them all');
    }
    overrides[key] = doc.unit === 'yes/no' ? parseYesNo(raw, key) : raw === 'all' ? Number.POSITIVE_INFINITY : parseNumber(raw, key, { min: 0, max: Number.MAX_SAFE_INTEGER });
  }
  return overrides as Partial<ControllerModelAssumptions>;
}

function parseYesNo(raw: string, key: string): boolean {
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  throw new UsageError(`${key} is yes or no, not '${raw}'`);
}

export interface RenderOptions {
  readonly paths: boolean;
  readonly allAssumptions: boolean;
}

/** The whole report: heading, table, what dominates, optional paths, assumptions. */
export function renderComparison(c: ControllerComparison, options: RenderOptions): string {
  const a = c.assumptions;
  const what = c.scenario === 'failover' ? 'failover' : 'controlled shutdown';
  const heading = c.scenario === 'failover' ? `Controller failover after ${c.failure === 'crash' ? 'a crash' : 'a clean stop'}` : 'Controlled shutdown of one broker';
  const table = formatColumns([
    ['PARTITIONS', `ZOOKEEPER ${what.toUpperCase()}`, `KRAFT ${what.toUpperCase()}`, 'RATIO'],
    ...c.rows.map((r) => [group(r.partitions), formatModelDuration(r.zookeeper.totalMs), formatModelDuration(r.kraft.totalMs), `${r.ratio.toFixed(1)}x`]),
  ]);
  const largest = c.rows.at(-1);
  const lines = [`${heading}: ${a.brokerCount} brokers, replication factor ${a.replicationFactor}, ${a.partitionsPerTopic} partitions per topic (model, virtual time)`, '', table, ''];
  if (largest) lines.push(...dominance(c, largest.zookeeper, largest.kraft), '');
  if (options.paths && largest) lines.push(...renderPaths(largest.zookeeper), ...renderPaths(largest.kraft), '');
  lines.push(...renderAssumptions(c, options.allAssumptions));
  return lines.join('\n');
}

function dominance(c: ControllerComparison, zk: ModeOutcome, kraft: ModeOutcome): string[] {
  const at = `At ${group(zk.partitions)} partitions`;
  const fits = partitionsWithinBudget('kraft', zk.totalMs, { scenario: zk.scenario, failure: zk.failure, assumptions: c.assumptions });
  const scale = `In the ${formatModelDuration(zk.totalMs)} ZooKeeper mode needs here, KRaft would handle ${fits.atLimit ? 'at least ' : ''}${group(fits.partitions)} partitions (${(fits.partitions / zk.partitions).toFixed(0)}x as many).`;
  if (zk.scenario === 'controlled-shutdown') {
    const writes = zk.path.filter((s) => s.style === 'write').reduce((n, s) => n + s.count, 0);
    return [`${at} ZooKeeper mode writes ${group(writes)} state znodes and pushes the changes; KRaft appends as many records and brokers pull them.`, scale];
  }
  const longest = [...zk.phases].sort((x, y) => y.endMs - y.startMs - (x.endMs - x.startMs))[0];
  return [
    `${at} ZooKeeper mode waits ${formatModelDuration(phaseTotalMs(zk, 'detect'))} to notice, reloads metadata for ${formatModelDuration(phaseTotalMs(zk, 'reload'))} and pushes it for ${formatModelDuration(phaseTotalMs(zk, 'propagate'))}${longest ? ` (longest step: ${lowerFirst(longest.label)})` : ''}.`,
    `KRaft waits ${formatModelDuration(phaseTotalMs(kraft, 'detect'))} to notice and elects a hot standby; brokers already hold the metadata image, so nothing grows with partitions.`,
    scale,
  ];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function renderPaths(outcome: ModeOutcome): string[] {
  const title = outcome.mode === 'zookeeper' ? 'ZooKeeper mode' : 'KRaft mode';
  return [
    `${title} metadata path (${outcome.systems.join(' + ')}):`,
    ...outcome.path.map((s) => `  ${s.from} → ${s.to}: ${s.message} [${s.style}] × ${group(s.count)}${s.bytes > 0 ? `, ${group(s.bytes)} bytes` : ''}`),
  ];
}

function renderAssumptions(c: ControllerComparison, all: boolean): string[] {
  const docs = all ? c.assumptionDocs : c.assumptionDocs.filter((d) => KEY_CONTROLLER_ASSUMPTIONS.includes(d.key));
  const rows = docs.map((d) => [d.key, formatAssumptionValue(d.key, c.assumptions[d.key]), d.kafkaConfig ?? '', all ? d.source : '']);
  return [
    all ? 'Assumptions (every one; change any with --set name=value):' : 'Assumptions that drive these numbers (--assumptions lists all, with sources; --set name=value changes one):',
    formatColumns(rows.map((r) => ['  ' + r[0], ...r.slice(1)])),
  ];
}

function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
