/**
 * Tab completion helpers: option names, and values drawn from the live cluster (topic
 * names, broker and controller ids, consumer group names). Completion never waits for the
 * engine: it reads the current snapshot and trace only.
 */
import type { OptionDef } from './args';
import type { CompletionEnv } from './command';
import { TOPIC_CONFIG_NAMES } from './topic-configs';

export function byPrefix(candidates: readonly string[], partial: string): string[] {
  return [...new Set(candidates.filter((c) => c.startsWith(partial)))].sort();
}

export function topicNames(env: CompletionEnv): string[] {
  return env.cluster.snapshot().topics.map((t) => t.name);
}

export function brokerIds(env: CompletionEnv): string[] {
  return env.cluster.snapshot().brokers.map((b) => String(b.id));
}

export function controllerIds(env: CompletionEnv): string[] {
  return env.cluster.snapshot().controllers.map((c) => String(c.id));
}

/**
 * Consumer group names, from the trace: the snapshot has no groups and listing them is a
 * request that would wait, so a group is known once an event names it (a member joined, an
 * offset was committed) and forgotten when it is deleted. A group whose last event has
 * left the bounded trace is not offered.
 */
export function groupNames(env: CompletionEnv): string[] {
  const groups = new Set<string>();
  for (const event of env.cluster.events()) {
    const id = event.data?.['groupId'];
    if (typeof id !== 'string' || id === '' || event.type === 'offset-commit-rejected') continue;
    if (event.type === 'group-deleted') groups.delete(id);
    else groups.add(id);
  }
  return [...groups];
}

function valuesFor(def: OptionDef, env: CompletionEnv): string[] {
  const source = def.complete;
  if (source === undefined) return [];
  if (typeof source !== 'string') return [...source];
  switch (source) {
    case 'topic':
      return topicNames(env);
    case 'broker':
      return brokerIds(env);
    case 'node':
      return [...brokerIds(env), ...controllerIds(env)];
    case 'config':
      return TOPIC_CONFIG_NAMES.map((n) => `${n}=`);
    case 'group':
      return groupNames(env);
  }
}

export function completeOptions(
  defs: readonly OptionDef[],
  before: readonly string[],
  partial: string,
  env: CompletionEnv,
  verbs?: readonly string[],
): string[] {
  const previous = before[before.length - 1];
  const previousDef = previous?.startsWith('-') ? defs.find((d) => `--${d.name}` === previous) : undefined;
  if (previousDef?.arg === 'required') return byPrefix(valuesFor(previousDef, env), partial);
  const inline = /^--([^=]+)=(.*)$/.exec(partial);
  if (inline) {
    const def = defs.find((d) => d.name === inline[1]);
    if (!def) return [];
    return byPrefix(valuesFor(def, env), inline[2] ?? '').map((v) => `--${def.name}=${v}`);
  }
  const hasVerb = before.some((w) => !w.startsWith('-'));
  if (verbs && !hasVerb && !partial.startsWith('-')) return byPrefix(verbs, partial);
  if (partial !== '' && !partial.startsWith('-')) return [];
  const given = new Set(before);
  const repeatable = new Set(['config', 'property', 'producer-property', 'consumer-property', 'message', 'add-config', 'producer-props']);
  const names = defs.filter((d) => repeatable.has(d.name) || !given.has(`--${d.name}`)).map((d) => `--${d.name}`);
  return byPrefix(names, partial);
}
