/**
 * The terminal's command interpreter: a line in, text out, an exit code back.
 * It splits the line into words, finds the command (accepting Kafka's distribution names
 * such as `bin/kafka-topics.sh`), runs it with Ctrl-C wired to the engine waits, and turns
 * an unknown command into a suggestion. It never touches the cluster except through the
 * commands, and never keeps state between lines, so several terminals can share one lab.
 */
import type { Command, CommandEnv, CommandRegistry, CompletionEnv } from './command';
import { COMMANDS } from './commands';
import { Interrupted, isKafkaError, ShellError, UsageError } from './errors';
import { LabFiles } from './files';
import { Output } from './output';
import { closest } from './suggest';
import { quoteWord, tokenize } from './tokenize';
import type { ShellContext, ShellIO } from './types';
import { byPrefix } from './complete';

/** Longest line the shell accepts; longer input is refused, not truncated. */
export const MAX_LINE_CHARS = 4096;

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_NOT_FOUND = 127;
export const EXIT_INTERRUPTED = 130;

export class Shell implements CommandRegistry {
  private readonly commands: readonly Command[];
  private readonly byName = new Map<string, Command>();
  /** Files for a host that gives none: they live as long as this Shell. */
  private readonly ownFiles = new LabFiles();

  constructor(
    private readonly ctx: ShellContext,
    commands: readonly Command[] = COMMANDS,
  ) {
    this.commands = commands;
    for (const command of commands) {
      this.byName.set(command.name, command);
      for (const alias of command.aliases ?? []) this.byName.set(alias, command);
    }
  }

  all(): readonly Command[] {
    return this.commands;
  }

  /** The command a typed name means: `kafka-topics`, `kafka-topics.sh` or `bin/kafka-topics.sh`. */
  find(name: string): Command | undefined {
    const base = name.slice(name.lastIndexOf('/') + 1);
    return this.byName.get(base) ?? this.byName.get(base.replace(/\.sh$/, ''));
  }

  commandNames(): string[] {
    return this.commands.map((c) => c.name);
  }

  async execute(line: string, io: ShellIO): Promise<number> {
    const out = new Output(io, this.ctx.color ?? false);
    if (line.length > MAX_LINE_CHARS) {
      out.error(`Input refused: the line is ${line.length} characters long; the limit is ${MAX_LINE_CHARS}.`);
      out.hint('split the work into several shorter commands');
      return EXIT_USAGE;
    }
    const tokens = tokenize(line);
    if (!tokens.ok) {
      out.error(`shell: ${tokens.error}`);
      return EXIT_USAGE;
    }
    const [name, ...args] = tokens.words;
    if (name === undefined) return EXIT_OK;
    const command = this.find(name);
    if (!command) return this.notFound(name, out);
    const env = this.env(io, out);
    try {
      return await command.run(args, env);
    } catch (error) {
      return this.failed(error, command, out);
    }
  }

  /** Candidates for the last word of `line` (empty when the line ends in a space), each a whole word. */
  complete(line: string): string[] {
    const endsWithSpace = /\s$/.test(line);
    const tokens = tokenize(line.trimEnd());
    if (!tokens.ok) return [];
    const words = tokens.words;
    const partial = endsWithSpace || words.length === 0 ? '' : (words.pop() as string);
    if (words.length === 0) return byPrefix(this.commandNames(), partial);
    const command = this.find(words[0] as string);
    if (!command?.complete) return [];
    const env: CompletionEnv = { cluster: this.ctx.cluster, lab: this.ctx.lab, files: this.files, registry: this };
    return [...command.complete(words.slice(1), partial, env)].map(quoteWord);
  }

  /** The lab's files, read on every command like the cluster, so a host may swap them on reset. */
  get files(): LabFiles {
    return this.ctx.files ?? this.ownFiles;
  }

  private env(io: ShellIO, out: Output): CommandEnv {
    return {
      cluster: this.ctx.cluster,
      lab: this.ctx.lab,
      files: this.files,
      codecs: this.ctx.codecs,
      geo: this.ctx.geo,
      io,
      out,
      registry: this,
      wait: (promise) => waitOrInterrupt(promise, io.signal),
    };
  }

  private notFound(name: string, out: Output): number {
    out.error(`${name}: command not found`);
    // Very short aliases (`cls`) would match any two-letter word, so only longer names are suggested.
    const names = [...this.byName.keys()].filter((n) => !n.endsWith('.sh') && n.length > 3);
    const guess = closest(name.replace(/\.sh$/, ''), names);
    if (guess) out.hint(`Did you mean ${this.find(guess)?.name ?? guess}?`);
    out.hint('type `help` to list the commands');
    return EXIT_NOT_FOUND;
  }

  private failed(error: unknown, command: Command, out: Output): number {
    if (error instanceof Interrupted) return EXIT_INTERRUPTED;
    if (error instanceof ShellError) {
      out.error(error.message);
      const suggestion = error.suggestion ?? (error instanceof UsageError ? `\`help ${command.name}\` shows how to use it` : undefined);
      if (suggestion) out.hint(suggestion);
      return error.exitCode;
    }
    if (isKafkaError(error)) {
      out.error(`${command.name}: ${error.message}`);
      out.hint(`${error.errorName} (error code ${error.code})${error.suggestion ? `: ${error.suggestion}` : ''}`);
      return 1;
    }
    out.error(`${command.name}: internal error: ${error instanceof Error ? error.message : String(error)}`);
    out.hint('this is a bug in the lab, not in your command; `lab reset` starts over');
    return 1;
  }
}

/** Resolves or rejects with the promise, or rejects with Interrupted when the signal aborts first. */
export function waitOrInterrupt<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Interrupted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
