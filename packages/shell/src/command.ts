/**
 * What every command implements, and what it may use while it runs.
 * One file per command under `commands/` exports one `Command`.
 */
import type { ClusterApi, CompressionCodecs, MultiCluster } from '@kil/engine';
import type { LabFiles } from './files';
import type { Output } from './output';
import type { LabControls, ShellIO } from './types';

export interface CommandEnv {
  readonly cluster: ClusterApi;
  readonly lab: LabControls | undefined;
  readonly io: ShellIO;
  readonly out: Output;
  /** The lab's files, for tools that read or write JSON plans. */
  readonly files: LabFiles;
  /** Compression codecs the host lent the shell, if any. */
  readonly codecs: CompressionCodecs | undefined;
  /** The two regions of a geo-replication lab, if this is one. */
  readonly geo: MultiCluster | undefined;
  /**
   * Waits for an engine operation. The engine settles it as virtual time advances;
   * Ctrl-C rejects with `Interrupted` so a learner is never stuck behind a paused clock.
   */
  wait<T>(promise: Promise<T>): Promise<T>;
  /** The command table, for `help`. */
  readonly registry: CommandRegistry;
}

export interface CommandRegistry {
  all(): readonly Command[];
  find(name: string): Command | undefined;
}

/** What completion can draw on: the cluster as it is now. */
export interface CompletionEnv {
  readonly cluster: ClusterApi;
  readonly lab: LabControls | undefined;
  readonly files: LabFiles;
  readonly registry: CommandRegistry;
}

export interface Command {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line for `help`. */
  readonly summary: string;
  /** The usage text of `help <name>` and `<name> --help`. */
  usage(): string;
  /** Runs the command; resolves to its exit code. */
  run(args: readonly string[], env: CommandEnv): Promise<number>;
  /** Candidates for the word being typed (`partial`), given the words before it. */
  complete?(before: readonly string[], partial: string, env: CompletionEnv): readonly string[];
}

/** Resolves when the signal aborts: the end of every "runs until Ctrl-C" command. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
