/**
 * clients: the lab's built-in producers and consumers, run by the lab host, so that a
 * learner can watch a group rebalance or a steady stream of writes without writing code.
 */
import { parseOptions, type OptionDef } from '../args';
import type { CommandEnv } from '../command';
import { ShellError, UsageError } from '../errors';
import { labCommand, parseNumber } from '../lab-command';
import type { ConsumersRequest, LabClients } from '../types';
import { formatColumns } from '../output';
import { topicNames } from '../complete';

const USAGE = `Usage:
  clients consumers --group <g> --topic <t> --count <n> [--assignor range|roundrobin|sticky|cooperative-sticky] [--static]
  clients producer --topic <t> --rate <records/s> [--acks all|1|0] [--idempotent] [--transactional-id <id>]
  clients list
  clients stop <name|all>
`;

const ASSIGNORS = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;

const CONSUMER_OPTIONS: readonly OptionDef[] = [
  { name: 'group', description: 'group.id', arg: 'required' },
  { name: 'topic', description: 'topic to subscribe to', arg: 'required' },
  { name: 'count', description: 'how many consumers', arg: 'required', type: 'integer' },
  { name: 'assignor', description: 'partition.assignment.strategy', arg: 'required' },
  { name: 'static', description: 'use group.instance.id (static membership)' },
];

const PRODUCER_OPTIONS: readonly OptionDef[] = [
  { name: 'topic', description: 'topic to write to', arg: 'required' },
  { name: 'rate', description: 'records per second', arg: 'required', type: 'double' },
  { name: 'acks', description: 'acks', arg: 'required' },
  { name: 'idempotent', description: 'enable.idempotence=true' },
  { name: 'transactional-id', description: 'transactional.id', arg: 'required' },
];

function clients(env: CommandEnv): LabClients {
  if (!env.lab?.clients) throw new ShellError('Built-in clients are not available in this terminal.', 'they run in a lab terminal');
  return env.lab.clients;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`Missing required argument "[${flag}]"`, `add --${flag} <value>`);
  return value;
}

export const clientsCommand = labCommand({
  name: 'clients',
  summary: 'Start, list and stop the lab’s built-in producers and consumers',
  usage: USAGE,
  defaultSubcommand: 'list',
  subcommands: {
    consumers: {
      async run(args, env) {
        const opts = parseOptions(CONSUMER_OPTIONS, args);
        const assignor = opts.value('assignor');
        if (assignor !== undefined && !(ASSIGNORS as readonly string[]).includes(assignor)) throw new UsageError(`unknown assignor '${assignor}'`, `one of: ${ASSIGNORS.join(', ')}`);
        const count = parseNumber(required(opts.value('count'), 'count'), '--count', { min: 1, max: 20, integer: true });
        const request: ConsumersRequest = {
          group: required(opts.value('group'), 'group'),
          topic: required(opts.value('topic'), 'topic'),
          count,
          ...(assignor ? { assignor: assignor as ConsumersRequest['assignor'] } : {}),
          ...(opts.has('static') ? { static: true } : {}),
        };
        const names = await env.wait(clients(env).startConsumers(request));
        env.out.line(`Started ${names.length} consumer${names.length === 1 ? '' : 's'} in group ${request.group}: ${names.join(', ')}`);
        return 0;
      },
      complete: (_before, env) => [...CONSUMER_OPTIONS.map((o) => `--${o.name}`), ...topicNames(env)],
    },
    producer: {
      async run(args, env) {
        const opts = parseOptions(PRODUCER_OPTIONS, args);
        const acks = opts.value('acks');
        if (acks !== undefined && !['all', '-1', '1', '0'].includes(acks)) throw new UsageError(`acks must be all, 1 or 0, not '${acks}'`);
        const rate = parseNumber(required(opts.value('rate'), 'rate'), '--rate', { min: 0.1, max: 1000 });
        const transactionalId = opts.value('transactional-id');
        const name = await env.wait(
          clients(env).startProducer({
            topic: required(opts.value('topic'), 'topic'),
            rate,
            ...(acks ? { acks: acks === '-1' ? 'all' : (acks as 'all' | '1' | '0') } : {}),
            ...(opts.has('idempotent') ? { idempotent: true } : {}),
            ...(transactionalId ? { transactionalId } : {}),
          }),
        );
        env.out.line(`Started producer ${name}.`);
        return 0;
      },
      complete: (_before, env) => [...PRODUCER_OPTIONS.map((o) => `--${o.name}`), ...topicNames(env)],
    },
    list: {
      run(_args, env) {
        const list = clients(env).list();
        if (list.length === 0) {
          env.out.line('No clients are running.');
          return 0;
        }
        env.out.line(formatColumns([['NAME', 'KIND', 'STATE', 'DETAILS'], ...list.map((c) => [c.name, c.kind, c.state, c.description])]));
        return 0;
      },
    },
    stop: {
      async run(args, env) {
        const name = args[0];
        if (name === undefined) throw new UsageError('missing client name', 'write a name from `clients list`, or all');
        const stopped = await env.wait(clients(env).stop(name));
        if (stopped === 0) throw new ShellError(`No client named '${name}' is running.`, '`clients list` shows the names');
        env.out.line(`Stopped ${stopped} client${stopped === 1 ? '' : 's'}.`);
        return 0;
      },
      complete: (_before, env) => ['all', ...(env.lab?.clients?.list().map((c) => c.name) ?? [])],
    },
  },
});
