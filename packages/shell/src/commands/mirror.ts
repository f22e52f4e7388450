/**
 * mirror: geo-replication between the two regions of a geo lab (module 11). Two flows:
 *   mirror start --topics orders [--groups g] [--sync-group-offsets]
 *       MirrorMaker 2 (KIP-382): remote topics named `<source>.orders`, offset syncs and
 *       checkpoints that translate group offsets (KIP-545 with --sync-group-offsets);
 *   mirror start --link --topics orders [--groups g]
 *       a linked mirror topic that copies batches byte for byte and keeps offsets;
 *   mirror status: every flow with per-partition source high watermark, mirrored offset and lag;
 *   mirror stop [all]: stops every flow;
 *   mirror failover --group g --topic orders [--mode mm2|link]: takes the primary region down
 *       and reports, per partition, what the group loses and reads twice in the secondary.
 * `region down|up <alias>` cuts or restores a whole region.
 */
import type { CommandEnv } from '../command';
import { parseOptions } from '../args';
import { ShellError, UsageError } from '../errors';
import { labCommand } from '../lab-command';
import { formatColumns } from '../output';
import type { MultiCluster } from '@kil/engine';

const USAGE = `Usage:
  mirror status                                    every mirror flow and its lag
  mirror start --topics <t,...> [--groups <g,...>] [--sync-group-offsets] [--from <region>]
                                                   MirrorMaker 2: remote topics named <region>.<topic>
  mirror start --link --topics <t,...> [--groups <g,...>] [--from <region>]
                                                   linked mirror topics: same names, same offsets
  mirror stop                                      stop every flow
  mirror failover --group <g> --topic <t> [--mode mm2|link]
                                                   take the primary region down and fail the group over
`;

export function geoOf(env: CommandEnv): MultiCluster {
  if (env.geo === undefined) throw new ShellError('This lab has one cluster; mirroring needs a geo-replication lab with two regions.', 'the geo-replication module starts one');
  return env.geo;
}

const list = (text: string | undefined): string[] => (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

export const mirror = labCommand({
  name: 'mirror',
  aliases: ['mirrors'],
  summary: 'Mirror topics between the regions of a geo lab (MirrorMaker 2 or linked topics), and fail over',
  usage: USAGE,
  defaultSubcommand: 'status',
  subcommands: {
    status: { run: (_args, env) => status(env) },
    start: { run: (args, env) => start(args, env) },
    stop: {
      run(_args, env) {
        const { mirrorMakers, linkedTopics } = geoOf(env).mirrors();
        for (const m of [...mirrorMakers, ...linkedTopics]) m.stop();
        env.out.line(`Stopped ${mirrorMakers.length + linkedTopics.length} mirror flow(s).`);
        return 0;
      },
    },
    failover: { run: (args, env) => failover(args, env) },
  },
});

function start(args: readonly string[], env: CommandEnv): number {
  const geo = geoOf(env);
  const opts = parseOptions(
    [
      { name: 'topics', description: 'topics to mirror', arg: 'required', complete: 'topic' },
      { name: 'groups', description: 'consumer groups whose offsets follow', arg: 'required' },
      { name: 'sync-group-offsets', description: 'sync.group.offsets.enabled (KIP-545)' },
      { name: 'link', description: 'linked mirror topics instead of MirrorMaker 2' },
      { name: 'from', description: 'source region', arg: 'required' },
    ],
    args,
  );
  const topics = list(opts.value('topics'));
  if (topics.length === 0) throw new UsageError('mirror start: name the topics with --topics <t,...>');
  const source = opts.value('from') ?? geo.primaryAlias;
  if (source !== geo.primaryAlias && source !== geo.secondaryAlias) throw new ShellError(`There is no region ${source}.`, `regions: ${geo.primaryAlias}, ${geo.secondaryAlias}`);
  const groups = list(opts.value('groups'));
  const target = source === geo.primaryAlias ? geo.secondaryAlias : geo.primaryAlias;
  if (opts.has('link')) {
    for (const topic of topics) geo.mirrorTopic(topic, { source, ...(groups.length > 0 ? { groups } : {}) });
    env.out.line(`Mirroring ${topics.join(', ')} from ${source} to ${target} as linked topics (same names, same offsets; read-only until promoted).`);
    return 0;
  }
  geo.startMirrorMaker({ source, topics, ...(groups.length > 0 ? { groups } : {}), syncGroupOffsetsEnabled: opts.has('sync-group-offsets') });
  env.out.line(`MirrorMaker 2 replicates ${topics.join(', ')} from ${source} to ${target} as ${topics.map((t) => `${source}.${t}`).join(', ')}.`);
  return 0;
}

function status(env: CommandEnv): number {
  const flows = geoOf(env).status();
  if (flows.length === 0) {
    env.out.line('No mirror flows are running.');
    env.out.hint('`mirror start --topics orders` starts MirrorMaker 2; add --link for a linked mirror topic');
    return 0;
  }
  const rows: string[][] = [['FLOW', 'MODE', 'STATE', 'SOURCE-TOPIC', 'TARGET-TOPIC', 'PARTITION', 'SOURCE-HW', 'MIRRORED', 'LAG']];
  for (const f of flows) {
    const d = f.details;
    const parts = 'topic' in d ? d.partitions.map((p) => ({ source: d.topic, target: d.topic, ...p })) : d.partitions.map((p) => ({ source: p.sourceTopic, target: p.targetTopic, ...p }));
    for (const p of parts) rows.push([f.flow, f.mode, f.state, p.source, p.target, String(p.partition), String(p.sourceHighWatermark), String(p.mirroredUpTo), String(p.lag)]);
    if (parts.length === 0) rows.push([f.flow, f.mode, f.state, '-', '-', '-', '-', '-', '-']);
  }
  env.out.line(formatColumns(rows));
  return 0;
}

async function failover(args: readonly string[], env: CommandEnv): Promise<number> {
  const geo = geoOf(env);
  const opts = parseOptions(
    [
      { name: 'group', description: 'consumer group to fail over', arg: 'required' },
      { name: 'topic', description: 'topic the group reads', arg: 'required', complete: 'topic' },
      { name: 'mode', description: 'mm2 or link', arg: 'required', complete: ['mm2', 'link'] },
    ],
    args,
  );
  const group = opts.value('group');
  const topic = opts.value('topic');
  if (group === undefined || topic === undefined) throw new UsageError('mirror failover needs --group <g> and --topic <t>');
  const mode = opts.value('mode');
  if (mode !== undefined && mode !== 'mm2' && mode !== 'link') throw new UsageError(`--mode is mm2 or link, not ${mode}`);
  const report = await env.wait(geo.failover({ group, topic, ...(mode ? { mode } : {}) }));
  const rows = [['PARTITION', 'ACKNOWLEDGED', 'MIRRORED', 'LOST', 'COMMITTED', 'RESUME-AT', 'DUPLICATED']];
  for (const p of report.partitions) rows.push([String(p.partition), String(p.acknowledged), String(p.mirroredUpTo), String(p.lost), String(p.committedOnPrimary), String(p.resumeOffset), String(p.duplicated)]);
  env.out.line(`Failed group ${group} over from ${geo.primaryAlias} to ${geo.secondaryAlias}: it now reads ${report.targetTopic}.`);
  env.out.line(formatColumns(rows));
  env.out.line(report.summary);
  return 0;
}
