/**
 * The frame of the lab's own commands (`broker stop 2`, `network heal`, `time step 100`):
 * a verb picks a subcommand, `--help` or `help <command>` prints the usage, an unknown
 * verb gets a suggestion, and node ids are checked against the cluster.
 */
import type { ClusterSnapshot } from '@kil/engine';
import type { Command, CommandEnv, CompletionEnv } from './command';
import { byPrefix } from './complete';
import { ShellError, UsageError } from './errors';
import { closest } from './suggest';

export interface Subcommand {
  run(args: readonly string[], env: CommandEnv): Promise<number> | number;
  /** Candidates for the argument being typed, given the arguments before it. */
  complete?(before: readonly string[], env: CompletionEnv): readonly string[];
}

export interface LabCommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** Usage lines, one per form, followed by a short explanation. */
  readonly usage: string;
  readonly subcommands: Readonly<Record<string, Subcommand>>;
  /** Subcommand used when none is typed (e.g. `trace` alone). */
  readonly defaultSubcommand?: string;
}

export function labCommand(spec: LabCommandSpec): Command {
  const verbs = Object.keys(spec.subcommands);
  return {
    name: spec.name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    summary: spec.summary,
    usage: () => spec.usage,
    async run(args, env) {
      if (args.includes('--help') || args.includes('-h')) {
        env.out.write(spec.usage);
        return 0;
      }
      const [verb, ...rest] = args;
      const chosen = verb === undefined || verb.startsWith('-') ? spec.defaultSubcommand : verb;
      const sub = chosen === undefined ? undefined : spec.subcommands[chosen];
      if (!sub) {
        const guess = verb === undefined ? undefined : closest(verb, verbs);
        const message = verb === undefined ? `${spec.name}: missing subcommand` : `${spec.name}: unknown subcommand '${verb}'`;
        throw new UsageError(message, guess ? `Did you mean \`${spec.name} ${guess}\`?` : `one of: ${verbs.join(', ')} (\`help ${spec.name}\` shows how)`);
      }
      const subArgs = chosen === verb ? rest : args;
      return sub.run(subArgs, env);
    },
    complete(before, partial, env) {
      if (before.length === 0) return byPrefix(verbs, partial);
      const sub = spec.subcommands[before[0] as string];
      return sub?.complete ? byPrefix(sub.complete(before.slice(1), env), partial) : [];
    },
  };
}

/** A node id typed by the learner, checked to be a broker (or controller) of this lab. */
export function parseNodeId(text: string | undefined, kind: 'broker' | 'controller' | 'node', snapshot: ClusterSnapshot): number {
  const brokers = snapshot.brokers.map((b) => b.id);
  const controllers = snapshot.controllers.map((c) => c.id);
  const known = kind === 'broker' ? brokers : kind === 'controller' ? controllers : [...brokers, ...controllers];
  const what = kind === 'node' ? 'node' : kind;
  if (text === undefined) throw new UsageError(`missing ${what} id`, `${what} ids in this lab: ${known.join(', ')}`);
  const id = Number(text);
  if (!/^\d+$/.test(text) || !known.includes(id)) {
    const wrongKind = kind === 'broker' && controllers.includes(id) ? ` (${id} is a controller: use \`controller\` commands)` : kind === 'controller' && brokers.includes(id) ? ` (${id} is a broker: use \`broker\` commands)` : '';
    throw new ShellError(`There is no ${what} ${text} in this lab${wrongKind}.`, `${what} ids in this lab: ${known.join(', ')}`);
  }
  return id;
}

/** "1,2, 101" → [1, 2, 101], each checked to be a node of this lab. */
export function parseNodeList(text: string | undefined, snapshot: ClusterSnapshot): number[] {
  if (text === undefined || text.trim() === '') throw new UsageError('missing node ids', 'write ids separated by commas, e.g. 1,101');
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => parseNodeId(s, 'node', snapshot));
}

/** A non-negative number argument, with a message that names what it is. */
export function parseNumber(text: string | undefined, what: string, options: { min?: number; max?: number; integer?: boolean } = {}): number {
  const value = Number(text);
  const { min = 0, max = Number.POSITIVE_INFINITY, integer = false } = options;
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const range = max === Number.POSITIVE_INFINITY ? `at least ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`${what} must be ${integer ? 'a whole number' : 'a number'} ${range}${text === undefined ? '' : `, not '${text}'`}`);
  }
  return value;
}
