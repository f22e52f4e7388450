/**
 * broker: stop (controlled shutdown), crash (hard kill), start, add and list the lab's
 * brokers. Stopping and crashing are the two ways a Kafka broker leaves: a controlled
 * shutdown moves leadership away first (KIP-631 in KRaft), a crash does not and loses
 * whatever was not yet flushed to disk.
 */
import type { ClusterSnapshot } from '@kil/engine';
import { parseOptions } from '../args';
import type { CommandEnv } from '../command';
import { brokerIds } from '../complete';
import { ShellError } from '../errors';
import { labCommand, parseNodeId } from '../lab-command';
import { formatColumns } from '../output';

const USAGE = `Usage:
  broker list                 every broker with its state, address and partition counts
  broker stop <id>...         controlled shutdown: leadership moves to other replicas first
  broker crash <id>...        hard kill: no goodbye, unflushed log data is lost
  broker start <id>...        start a stopped or crashed broker again
  broker add [--rack <rack>]  add a broker with the next free id (it starts empty)
  broker remove <id> [--throttle <bytes/s>]
                              retire a broker: move each of its replicas elsewhere, wait,
                              then stop and unregister it
`;

/**
 * stop, crash or start one broker or several (`broker start 1 3`). Every id is checked before
 * anything changes; a broker already in the wanted state is mentioned and skipped, and only
 * when none is left to change is it an error.
 */
function change(verb: 'stop' | 'crash' | 'start') {
  return {
    run(args: readonly string[], env: CommandEnv): number {
      const snapshot = env.cluster.snapshot();
      const ids = [...new Set((args.length === 0 ? [undefined] : args).map((arg) => parseNodeId(arg, 'broker', snapshot)))];
      const stateOf = (id: number): string | undefined => snapshot.brokers.find((b) => b.id === id)?.state;
      const isDown = (id: number): boolean => stateOf(id) === 'stopped' || stateOf(id) === 'crashed';
      const todo = ids.filter((id) => (verb === 'start' ? isDown(id) : !isDown(id)));
      const skipped = ids.filter((id) => !todo.includes(id));
      if (todo.length === 0) {
        const id = skipped[0] as number;
        throw new ShellError(`${ids.length === 1 ? `Broker ${id} is` : `Brokers ${ids.join(', ')} are`} already ${verb === 'start' ? 'running' : stateOf(id)}.`, verb === 'start' ? `\`broker stop ${id}\` or \`broker crash ${id}\` takes it down` : `\`broker start ${id}\` brings it back`);
      }
      for (const id of skipped) env.out.line(`Broker ${id} is already ${stateOf(id)}; leaving it.`);
      for (const id of todo) apply(verb, id, env);
      return 0;
    },
    complete: (_before: readonly string[], env: Parameters<typeof brokerIds>[0]) => brokerIds(env),
  };
}

function apply(verb: 'stop' | 'crash' | 'start', id: number, env: CommandEnv): void {
  if (verb === 'stop') {
    env.cluster.faults.stopNode(id);
    env.out.line(`Stopping broker ${id}: controlled shutdown, its leaderships move to other in-sync replicas first.`);
  } else if (verb === 'crash') {
    env.cluster.faults.crashNode(id);
    env.out.line(`Broker ${id} crashed: no controlled shutdown, and data it had not flushed is gone.`);
  } else {
    env.cluster.faults.startNode(id);
    env.out.line(`Starting broker ${id}: it registers with the controller, then its replicas catch up from the leaders.`);
  }
}

export function brokerTable(snapshot: ClusterSnapshot): string {
  const rows = [['ID', 'STATE', 'ADDRESS', 'RACK', 'EPOCH', 'METADATA-OFFSET', 'LEADERS', 'REPLICAS']];
  for (const b of snapshot.brokers) {
    const partitions = snapshot.topics.flatMap((t) => t.partitions);
    rows.push([
      String(b.id),
      b.state,
      `${b.host}:${b.port}`,
      b.rack ?? '-',
      String(b.brokerEpoch),
      String(b.metadataOffset),
      String(partitions.filter((p) => p.leader === b.id).length),
      String(partitions.filter((p) => p.replicas.includes(b.id)).length),
    ]);
  }
  return formatColumns(rows);
}

export const broker = labCommand({
  name: 'broker',
  aliases: ['brokers'],
  summary: 'Stop, crash, start, add or list brokers',
  usage: USAGE,
  subcommands: {
    list: {
      run(_args, env) {
        env.out.line(brokerTable(env.cluster.snapshot()));
        return 0;
      },
    },
    stop: change('stop'),
    crash: change('crash'),
    start: change('start'),
    add: {
      async run(args, env) {
        const opts = parseOptions([{ name: 'rack', description: 'broker.rack of the new broker', arg: 'required' }], args);
        const rack = opts.value('rack');
        // A host that tracks its brokers itself provides addBroker; otherwise the cluster's admin does it.
        const add = env.lab?.addBroker ?? ((o: { rack?: string }) => env.cluster.admin.addBroker(o));
        const id = await env.wait(add(rack === undefined ? {} : { rack }));
        env.out.line(`Added broker ${id}${rack ? ` in rack ${rack}` : ''}. It owns no partitions until you create topics or reassign some.`);
        return 0;
      },
    },
    remove: {
      async run(args, env) {
        const opts = parseOptions([{ name: 'throttle', description: 'replication throttle in bytes/s while replicas move', arg: 'required', type: 'long' }], args);
        const id = parseNodeId(opts.nonOptions[0], 'broker', env.cluster.snapshot());
        const throttle = opts.value('throttle');
        env.out.line(`Retiring broker ${id}: its replicas move to other brokers first${throttle ? ` (throttled to ${throttle} B/s)` : ''}.`);
        const result = await env.wait(env.cluster.admin.removeBroker(id, throttle === undefined ? {} : { throttleBytesPerSec: Number(throttle) }));
        for (const m of result.moves) env.out.line(`  ${m.topic}-${m.partition}: [${m.from.join(',')}] -> [${m.to.join(',')}]`);
        env.out.line(`Broker ${id} removed: ${result.moves.length} replica move(s), ${result.bytesMoved} bytes copied; it was stopped and unregistered.`);
        return 0;
      },
      complete: (before, env) => (before.length === 0 ? brokerIds(env) : []),
    },
  },
  defaultSubcommand: 'list',
});
