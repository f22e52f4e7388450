/**
 * The frame every Kafka command-line tool shares: usage on `--help` or no arguments,
 * joptsimple-style option parsing, `--bootstrap-server` checked against the lab, and
 * errors printed the way the tool prints them, followed by one line of our own hint.
 */
import { formatOptionTable, OptionError, parseOptions, type OptionDef, type ParsedOptions } from './args';
import { checkBootstrap } from './bootstrap';
import type { Command, CommandEnv, CompletionEnv } from './command';
import { explain, isKafkaError, ShellError, UsageError } from './errors';
import { completeOptions } from './complete';

export interface KafkaToolSpec {
  readonly name: string;
  readonly summary: string;
  /** The sentence Kafka prints above the option table. */
  readonly description: string;
  readonly options: readonly OptionDef[];
  /** Prefix of Kafka's message for a failed operation, e.g. "Error while executing topic command : ". */
  readonly errorPrefix: string;
  /**
   * How the tool reports a missing --bootstrap-server: kafka-topics throws
   * "--bootstrap-server must be specified", most others print a missing-argument line.
   * Absent: the tool does not need one.
   */
  readonly bootstrap?: 'must-be-specified' | 'missing-required';
  /** Non-option words the tool takes first (kafka-metadata-quorum `describe`), for completion. */
  readonly verbs?: readonly string[];
  /** Checks between options, run before the bootstrap check (Kafka validates arguments before connecting). */
  check?(opts: ParsedOptions): void;
  run(opts: ParsedOptions, env: CommandEnv): Promise<number>;
}

export const BOOTSTRAP_OPTION: OptionDef = {
  name: 'bootstrap-server',
  description: 'REQUIRED: The Kafka server to connect to.',
  arg: 'required',
  describedAs: 'server to connect to',
  complete: ['localhost:9092', 'localhost:9093', 'localhost:9094'],
};

export const HELP_OPTION: OptionDef = { name: 'help', description: 'Print usage information.' };
export const VERSION_OPTION: OptionDef = { name: 'version', description: 'Display Kafka version.' };

/** The Kafka release whose tools we imitate; printed by `--version`. */
export const KAFKA_VERSION = '4.1.0';

export function kafkaTool(spec: KafkaToolSpec): Command {
  const options = [...spec.options, HELP_OPTION, VERSION_OPTION];
  const usage = (): string => `${spec.description}\n${formatOptionTable(options)}`;
  return {
    name: spec.name,
    aliases: [`${spec.name}.sh`],
    summary: spec.summary,
    usage,
    async run(args, env) {
      if (args.length === 0) {
        env.out.write(usage());
        return 1;
      }
      try {
        const opts = parseOptions(options, args);
        if (opts.has('help')) {
          env.out.write(usage());
          return 0;
        }
        if (opts.has('version')) {
          env.out.line(KAFKA_VERSION);
          return 0;
        }
        spec.check?.(opts);
        if (spec.bootstrap) requireBootstrap(spec, opts, env);
        noteOptionsWithoutEffect(opts, env);
        return await spec.run(opts, env);
      } catch (error) {
        return report(spec, error, env);
      }
    },
    complete(before, partial, env: CompletionEnv) {
      return completeOptions(options, before, partial, env, spec.verbs);
    },
  };
}

/**
 * Options Kafka's tools take that change nothing in the lab. They are accepted so that a
 * command copied from a real cluster runs, and each says so rather than being dropped silently.
 */
const WITHOUT_EFFECT: Readonly<Record<string, string>> = {
  'command-config': 'the lab needs no client security or connection settings, so the settings in that file are not applied; use --producer-property / --consumer-property or --property for client settings',
  'formatter-config': 'the lab\'s formatter takes its settings from --property only',
  'print-metrics': 'the lab\'s clients keep no JMX-style metrics to print',
};

function noteOptionsWithoutEffect(opts: ParsedOptions, env: CommandEnv): void {
  for (const [name, why] of Object.entries(WITHOUT_EFFECT)) {
    if (!opts.has(name)) continue;
    const file = opts.value(name);
    if (file !== undefined && name.endsWith('-config') && !env.files.has(file)) {
      throw new ShellError(`--${name} ${file}: no such file in this lab.`, '`ls` lists the lab\'s files; `write <file> <text>` creates one');
    }
    env.out.hint(`--${name} has no effect here: ${why}.`);
  }
}

function requireBootstrap(spec: KafkaToolSpec, opts: ParsedOptions, env: CommandEnv): void {
  const value = opts.value('bootstrap-server');
  if (value === undefined) {
    const message =
      spec.bootstrap === 'must-be-specified' ? '--bootstrap-server must be specified' : 'Missing required argument "[bootstrap-server]"';
    throw new UsageError(message, 'add --bootstrap-server localhost:9092');
  }
  checkBootstrap(value, env.cluster.snapshot());
}

/** Prints an error the way the tool does and returns exit code 1 (rethrows Ctrl-C). */
function report(spec: KafkaToolSpec, error: unknown, env: CommandEnv): number {
  if (error instanceof OptionError) {
    env.out.error(`${spec.errorPrefix}${error.message}`);
    env.out.hint(error.suggestion ?? `\`${spec.name} --help\` lists every option`);
    return 1;
  }
  if (error instanceof UsageError) {
    env.out.error(error.message);
    env.out.hint(error.suggestion ?? `\`${spec.name} --help\` lists every option`);
    return error.exitCode;
  }
  if (error instanceof ShellError) {
    env.out.error(error.message);
    if (error.suggestion) env.out.hint(error.suggestion);
    return error.exitCode;
  }
  if (isKafkaError(error)) {
    env.out.error(`${spec.errorPrefix}${error.message}`);
    const why = error.suggestion ?? explain(error.errorName);
    env.out.hint(`${error.errorName} (error code ${error.code})${why ? `: ${why}` : ''}`);
    return 1;
  }
  throw error;
}
