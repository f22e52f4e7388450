/**
 * disk: make a node's log writes slow, to show how a slow follower drops out of the ISR
 * after replica.lag.time.max.ms and how a slow leader holds back the high watermark.
 */
import { labCommand, parseNodeId, parseNumber } from '../lab-command';
import { brokerIds, controllerIds } from '../complete';

const USAGE = `Usage:
  disk slow <id> <ms>    every log write on node <id> takes <ms> longer (0 restores normal speed)
`;

export const disk = labCommand({
  name: 'disk',
  summary: 'Slow down the disk of a broker or controller',
  usage: USAGE,
  subcommands: {
    slow: {
      run(args, env) {
        const id = parseNodeId(args[0], 'node', env.cluster.snapshot());
        const delayMs = parseNumber(args[1], 'the disk delay in ms', { max: 600_000 });
        env.cluster.faults.slowDisk(id, delayMs);
        env.out.line(delayMs === 0 ? `Disk of node ${id} is back to normal speed.` : `Disk writes on node ${id} now take ${delayMs} ms longer.`);
        return 0;
      },
      complete: (before, env) => (before.length === 0 ? [...brokerIds(env), ...controllerIds(env)] : []),
    },
  },
});
