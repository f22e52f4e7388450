/**
 * network: cut, heal, slow down or make lossy the simulated links between nodes.
 * A partition blocks both directions between two groups of nodes; delay and drop apply
 * to both directions of one link. `net` is a short alias.
 */
import { parseOptions } from '../args';
import { labCommand, parseNodeId, parseNodeList, parseNumber } from '../lab-command';
import { UsageError } from '../errors';
import type { CompletionEnv } from '../command';
import { brokerIds, controllerIds } from '../complete';

const USAGE = `Usage:
  network partition <ids> [--from <ids>]   cut <ids> off from every other node, or only from --from
  network heal                             remove every partition
  network delay <a> <b> <ms>               add latency between two nodes, both directions
  network drop <a> <b> <percent>           drop that share of messages between two nodes
Node ids: brokers 1..N, controllers 101..; lists are comma separated.
Examples:
  network partition 3                       isolate broker 3
  network partition 1,101 --from 2,3,102,103
  network delay 1 2 200
`;

const nodes = (_before: readonly string[], env: CompletionEnv): string[] => [...brokerIds(env), ...controllerIds(env)];

export const network = labCommand({
  name: 'network',
  aliases: ['net'],
  summary: 'Partition, heal, delay or drop network traffic between nodes',
  usage: USAGE,
  subcommands: {
    partition: {
      run(args, env) {
        const opts = parseOptions([{ name: 'from', description: 'the other side of the cut', arg: 'required' }], args);
        const snapshot = env.cluster.snapshot();
        const side = parseNodeList(opts.nonOptions[0], snapshot);
        if (opts.nonOptions.length > 1) throw new UsageError(`unexpected argument '${opts.nonOptions[1]}'`, 'write node lists without spaces, e.g. 1,101');
        const all = [...snapshot.brokers.map((b) => b.id), ...snapshot.controllers.map((c) => c.id)];
        const other = opts.has('from') ? parseNodeList(opts.value('from'), snapshot) : all.filter((id) => !side.includes(id));
        const overlap = side.filter((id) => other.includes(id));
        if (overlap.length > 0) throw new UsageError(`node ${overlap[0]} cannot be on both sides of a partition`);
        if (other.length === 0) throw new UsageError('the other side of the partition is empty');
        env.cluster.faults.partition(side, other);
        env.out.line(`Network partitioned: {${side.join(',')}} cannot reach {${other.join(',')}} (both directions).`);
        return 0;
      },
      complete: nodes,
    },
    heal: {
      run(_args, env) {
        env.cluster.faults.heal();
        env.out.line('Network healed: every node can reach every other node again.');
        return 0;
      },
    },
    delay: {
      run(args, env) {
        const snapshot = env.cluster.snapshot();
        const a = parseNodeId(args[0], 'node', snapshot);
        const b = parseNodeId(args[1], 'node', snapshot);
        const delayMs = parseNumber(args[2], 'the delay in ms', { max: 600_000 });
        env.cluster.faults.setLink(a, b, { delayMs });
        env.cluster.faults.setLink(b, a, { delayMs });
        env.out.line(delayMs === 0 ? `Removed the extra delay between ${a} and ${b}.` : `Messages between ${a} and ${b} now take ${delayMs} ms longer, both ways.`);
        return 0;
      },
      complete: (before, env) => (before.length < 2 ? nodes(before, env) : []),
    },
    drop: {
      run(args, env) {
        const snapshot = env.cluster.snapshot();
        const a = parseNodeId(args[0], 'node', snapshot);
        const b = parseNodeId(args[1], 'node', snapshot);
        const percent = parseNumber(args[2]?.replace(/%$/, ''), 'the drop percentage', { max: 100 });
        env.cluster.faults.setLink(a, b, { dropRate: percent / 100 });
        env.cluster.faults.setLink(b, a, { dropRate: percent / 100 });
        env.out.line(percent === 0 ? `Messages between ${a} and ${b} are no longer dropped.` : `Dropping ${percent}% of the messages between ${a} and ${b}, both ways.`);
        return 0;
      },
      complete: (before, env) => (before.length < 2 ? nodes(before, env) : []),
    },
  },
});
