/**
 * Test support: a real engine cluster with a shell on top, and helpers that run a command
 * line while the engine's virtual time advances until the command finishes. Used by the
 * tests beside each command and by the transcript tests; not part of the package API.
 */
import { Cluster, runUntil, settle, type ClusterOptions } from '@kil/engine';
import { LabFiles } from './files';
import { Shell } from './shell';
import type { LabControls, ShellIO } from './types';

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

export interface Running {
  /** Output so far. */
  output(): string;
  /** Presses Ctrl-C. */
  interrupt(): void;
  readonly done: Promise<number>;
}

export interface TestLab {
  readonly cluster: Cluster;
  readonly shell: Shell;
  /** The lab's files, shared by every command this lab runs. */
  readonly files: LabFiles;
  /** Runs one line to completion, advancing virtual time as needed. */
  run(line: string): Promise<RunResult>;
  /** Starts a long-running line (a consumer, `trace --follow`) without waiting for it. */
  start(line: string, stdin?: readonly string[]): Running;
  /** Advances virtual time by `ms`, processing every event on the way. */
  advance(ms: number): void;
}

export async function newTestLab(options: ClusterOptions = {}, lab?: LabControls, files: LabFiles = new LabFiles()): Promise<TestLab> {
  const cluster = new Cluster({ seed: 7, ...options });
  const ready = await runUntil(cluster, () => {
    const snapshot = cluster.snapshot();
    return snapshot.activeControllerId !== null && snapshot.brokers.every((b) => b.state === 'running');
  });
  if (!ready) throw new Error('the test cluster did not start within a minute of virtual time');
  const shell = new Shell(lab ? { cluster, lab, files } : { cluster, files });
  const start = (line: string, stdin?: readonly string[]): Running => {
    let output = '';
    const controller = new AbortController();
    const lines = [...(stdin ?? [])];
    const io: ShellIO = {
      write: (text) => (output += text),
      signal: controller.signal,
      ...(stdin ? { readLine: async () => lines.shift() ?? null } : {}),
    };
    return { output: () => output, interrupt: () => controller.abort(), done: shell.execute(line, io) };
  };
  return {
    cluster,
    shell,
    files,
    start,
    async run(line) {
      const running = start(line);
      const code = await settle(cluster, running.done);
      return { code, output: running.output() };
    },
    advance(ms) {
      cluster.advanceBy(ms);
    },
  };
}
