/**
 * lab: the state of the whole lab at a glance (status) and a fresh start (reset).
 */
import type { ClusterSnapshot } from '@kil/engine';
import type { CommandEnv } from '../command';
import { ShellError } from '../errors';
import { labCommand } from '../lab-command';
import { formatTimeMs } from './time';

const USAGE = `Usage:
  lab status             brokers, controllers, topics, clients and the clock at a glance
  lab reset [scenario]   throw the lab away and start again from its initial shape
`;

export function clusterSummary(snapshot: ClusterSnapshot): string[] {
  const partitions = snapshot.topics.flatMap((t) => t.partitions);
  const offline = partitions.filter((p) => p.leader < 0).length;
  const under = partitions.filter((p) => p.isr.length < p.replicas.length - p.addingReplicas.length).length;
  const userTopics = snapshot.topics.filter((t) => !t.internal).length;
  return [
    `Cluster:     ${snapshot.clusterId}, virtual time ${formatTimeMs(snapshot.timeMs)}`,
    `Brokers:     ${snapshot.brokers.map((b) => `${b.id} ${b.state}`).join(', ')}`,
    `Controllers: ${snapshot.controllers.map((c) => `${c.id} ${c.state === 'running' ? c.role : c.state}`).join(', ')}; active controller ${snapshot.activeControllerId ?? 'none'}`,
    `Topics:      ${userTopics} (+${snapshot.topics.length - userTopics} internal), ${partitions.length} partitions, ${under} under-replicated, ${offline} offline`,
  ];
}

function status(env: CommandEnv): number {
  for (const line of env.lab?.status?.() ?? []) env.out.line(line);
  for (const line of clusterSummary(env.cluster.snapshot())) env.out.line(line);
  const time = env.lab?.time?.state();
  if (time) env.out.line(`Clock:       ${time.paused ? 'paused' : 'running'} at ${time.speed}x`);
  const clients = env.lab?.clients?.list();
  if (clients) env.out.line(`Clients:     ${clients.length === 0 ? 'none (start some with `clients producer` or `clients consumers`)' : clients.map((c) => `${c.name} ${c.state}`).join(', ')}`);
  return 0;
}

export const lab = labCommand({
  name: 'lab',
  summary: 'Show the lab status or reset the lab',
  usage: USAGE,
  defaultSubcommand: 'status',
  subcommands: {
    status: { run: (_args, env) => status(env) },
    reset: {
      async run(args, env) {
        if (!env.lab?.reset) throw new ShellError('Reset is not available in this terminal.', 'it works in a lab terminal');
        await env.wait(env.lab.reset(args[0]));
        env.out.line(`Lab reset${args[0] ? ` to scenario ${args[0]}` : ''}: a fresh cluster is starting.`);
        return 0;
      },
    },
  },
});
