/**
 * trace: the engine's typed events, as readable lines. Without --follow it prints the
 * most recent events; with --follow it keeps printing new ones until Ctrl-C.
 * `events` is an alias. Each line carries the event's number (`#123`), which
 * `time rewind #123` takes.
 */
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import { formatOptionTable, parseOptions, type OptionDef, type ParsedOptions } from '../args';
import { untilAborted, type Command } from '../command';
import { completeOptions } from '../complete';
import { formatTimeMs } from './time';

const OPTIONS: readonly OptionDef[] = [
  { name: 'follow', description: 'Keep printing new events until Ctrl-C.' },
  { name: 'type', description: 'Only events of these types (comma separated; a prefix such as isr matches isr-shrunk and isr-expanded).', arg: 'required', describedAs: 'types', complete: ['leader-elected', 'isr-shrunk', 'isr-expanded', 'hw-advanced', 'topic-created', 'broker-fenced'] },
  { name: 'node', description: 'Only events on this broker or controller.', arg: 'required', describedAs: 'id', type: 'integer', complete: 'node' },
  { name: 'topic', description: 'Only events about this topic.', arg: 'required', describedAs: 'topic', complete: 'topic' },
  { name: 'last', description: 'How many past events to print first.', arg: 'required', describedAs: 'count', type: 'integer', defaultValue: '20' },
];

export function eventFilter(opts: ParsedOptions): (event: TraceEvent) => boolean {
  const types = opts.value('type')?.split(',').map((t) => t.trim()).filter((t) => t !== '') ?? [];
  const node = opts.int('node');
  const topic = opts.value('topic');
  return (e) =>
    (types.length === 0 || types.some((t) => e.type === t || e.type.startsWith(t))) &&
    (node === undefined || e.node === node) &&
    (topic === undefined || e.topic === topic);
}

export function formatEvent(event: TraceEvent, snapshot: ClusterSnapshot): string {
  const where: string[] = [];
  if (event.node !== undefined) {
    const isController = snapshot.controllers.some((c) => c.id === event.node);
    where.push(`${isController ? 'controller' : 'broker'} ${event.node}`);
  }
  if (event.topic !== undefined) where.push(event.partition === undefined ? event.topic : `${event.topic}-${event.partition}`);
  return `[${formatTimeMs(event.timeMs).padStart(10)}] #${event.seq} ${event.type}${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${event.message}`;
}

export const trace: Command = {
  name: 'trace',
  aliases: ['events'],
  summary: 'Show the engine events (elections, ISR changes, high watermark...); --follow streams them',
  usage: () => `Usage: trace [--follow] [--type <types>] [--node <id>] [--topic <topic>] [--last <count>]\n${formatOptionTable(OPTIONS)}`,
  async run(args, env) {
    const opts = parseOptions([...OPTIONS, { name: 'help', description: '' }], args);
    if (opts.has('help')) {
      env.out.write(this.usage());
      return 0;
    }
    const matches = eventFilter(opts);
    const last = Math.max(0, opts.int('last') ?? 20);
    const snapshot = env.cluster.snapshot();
    const backlog = env.cluster.events().filter(matches);
    const shown = last === 0 ? [] : backlog.slice(-last);
    for (const event of shown) env.out.line(formatEvent(event, snapshot));
    if (!opts.has('follow')) {
      if (shown.length === 0) env.out.hint(backlog.length === 0 && env.cluster.events().length > 0 ? 'no event matches these filters' : 'no events yet');
      return 0;
    }
    const unsubscribe = env.cluster.onEvent((event) => {
      if (matches(event)) env.out.line(formatEvent(event, snapshot));
    });
    try {
      await untilAborted(env.io.signal);
    } finally {
      unsubscribe();
    }
    return 0;
  },
  complete(before, partial, env) {
    return completeOptions(OPTIONS, before, partial, env);
  },
};
