/**
 * controller: stop, crash, start and list the KRaft controllers (ids 101..).
 * Losing the active controller starts an election among the remaining voters (KIP-595);
 * losing a majority stops every metadata change until one comes back.
 */
import type { ClusterSnapshot } from '@kil/engine';
import type { CommandEnv } from '../command';
import { controllerIds } from '../complete';
import { ShellError } from '../errors';
import { labCommand, parseNodeId } from '../lab-command';
import { formatColumns } from '../output';

const USAGE = `Usage:
  controller list          every KRaft controller with its role, epoch and log position
  controller stop <id>     shut a controller down cleanly
  controller crash <id>    hard kill a controller
  controller start <id>    start it again; it rejoins the quorum as a follower
Controller ids start at 101.
`;

function change(verb: 'stop' | 'crash' | 'start') {
  return {
    run(args: readonly string[], env: CommandEnv): number {
      const snapshot = env.cluster.snapshot();
      const id = parseNodeId(args[0], 'controller', snapshot);
      const node = snapshot.controllers.find((c) => c.id === id);
      const down = node?.state === 'stopped' || node?.state === 'crashed';
      if (verb === 'start' && !down) throw new ShellError(`Controller ${id} is already ${node?.state}.`);
      if (verb !== 'start' && down) throw new ShellError(`Controller ${id} is already ${node?.state}.`, `\`controller start ${id}\` brings it back`);
      if (verb === 'stop') env.cluster.faults.stopNode(id);
      else if (verb === 'crash') env.cluster.faults.crashNode(id);
      else env.cluster.faults.startNode(id);
      const wasLeader = snapshot.activeControllerId === id;
      const what = verb === 'stop' ? 'Stopping' : verb === 'crash' ? 'Crashed' : 'Starting';
      env.out.line(`${what} controller ${id}.${wasLeader && verb !== 'start' ? ' It was the active controller: the other voters will elect a new leader.' : ''}`);
      return 0;
    },
    complete: (before: readonly string[], env: Parameters<typeof controllerIds>[0]) => (before.length === 0 ? controllerIds(env) : []),
  };
}

export function controllerTable(snapshot: ClusterSnapshot): string {
  const rows = [['ID', 'STATE', 'ROLE', 'EPOCH', 'LEADER', 'VOTED-FOR', 'LOG-END-OFFSET', 'HIGH-WATERMARK']];
  for (const c of snapshot.controllers) {
    rows.push([String(c.id), c.state, c.role, String(c.epoch), c.leaderId === null ? '-' : String(c.leaderId), c.votedFor === null ? '-' : String(c.votedFor), String(c.logEndOffset), String(c.highWatermark)]);
  }
  return formatColumns(rows);
}

export const controller = labCommand({
  name: 'controller',
  aliases: ['controllers'],
  summary: 'Stop, crash, start or list KRaft controllers',
  usage: USAGE,
  subcommands: {
    list: {
      run(_args, env) {
        env.out.line(controllerTable(env.cluster.snapshot()));
        return 0;
      },
    },
    stop: change('stop'),
    crash: change('crash'),
    start: change('start'),
  },
  defaultSubcommand: 'list',
});
