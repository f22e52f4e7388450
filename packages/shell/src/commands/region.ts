/**
 * region: the regions of a stretched cluster and the latency between them. Racks name
 * locations; by the lab's naming rule rack `us-east-a` is in region `us-east` and a rack
 * such as `east` is a region of its own. `region latency <ms>` adds that one-way delay to
 * every link between brokers of different regions (controllers without a rack pay none),
 * so acks=all writes that must cross regions slow down as they would between sites.
 * In a geo lab (two clusters, see `mirror`), `region down|up <alias>` cuts a whole region
 * off, as losing a data centre's uplink would, and restores it.
 */
import { regionOfRack } from '@kil/engine';
import { ShellError, UsageError } from '../errors';
import { labCommand, parseNumber } from '../lab-command';
import { geoOf } from './mirror';
import { formatColumns } from '../output';

const USAGE = `Usage:
  region list              each region with its racks and brokers
  region latency <ms>      extra one-way latency between brokers of different regions (0 removes it)
  region down <alias>      (geo labs) cut a whole region off: its clients and the mirrors stop
  region up <alias>        (geo labs) restore it
`;

function upDown(verb: 'down' | 'up') {
  return {
    run(args: readonly string[], env: Parameters<typeof geoOf>[0]): number {
      const geo = geoOf(env);
      const alias = args[0];
      if (alias === undefined) throw new UsageError(`region ${verb}: name the region`, `regions: ${geo.primaryAlias}, ${geo.secondaryAlias}`);
      if (alias !== geo.primaryAlias && alias !== geo.secondaryAlias) throw new ShellError(`There is no region ${alias}.`, `regions: ${geo.primaryAlias}, ${geo.secondaryAlias}`);
      if (verb === 'down') geo.regionDown(alias);
      else geo.regionUp(alias);
      env.out.line(verb === 'down' ? `Region ${alias} is cut off: its clients and the mirrors across the link stop.` : `Region ${alias} is reachable again.`);
      return 0;
    },
  };
}

export const region = labCommand({
  name: 'region',
  aliases: ['regions'],
  summary: 'Show the regions of a stretched cluster and set the latency between them',
  usage: USAGE,
  defaultSubcommand: 'list',
  subcommands: {
    down: upDown('down'),
    up: upDown('up'),
    list: {
      run(_args, env) {
        const byRegion = new Map<string, { racks: Set<string>; brokers: number[] }>();
        for (const b of env.cluster.snapshot().brokers) {
          const name = regionOfRack(b.rack) ?? '-';
          const entry = byRegion.get(name) ?? { racks: new Set<string>(), brokers: [] };
          if (b.rack !== null) entry.racks.add(b.rack);
          entry.brokers.push(b.id);
          byRegion.set(name, entry);
        }
        const rows = [...byRegion].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, e]) => [name, [...e.racks].sort().join(',') || '-', e.brokers.join(',')]);
        env.out.line(formatColumns([['REGION', 'RACKS', 'BROKERS'], ...rows]));
        if (byRegion.size < 2) env.out.hint('all brokers are in one region; a lab whose shape gives racks such as east and west has two');
        return 0;
      },
    },
    latency: {
      run(args, env) {
        const ms = parseNumber(args[0], 'the latency in ms', { max: 10_000, integer: true });
        env.cluster.faults.setInterRegionLatency(ms);
        env.out.line(ms === 0 ? 'Links between regions have no extra latency now.' : `Every message between brokers of different regions now takes ${ms} ms longer, each way.`);
        return 0;
      },
    },
  },
});
