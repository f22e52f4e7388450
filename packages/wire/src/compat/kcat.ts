/**
 * Runs Debian's kcat (librdkafka 2.0.2) as a child process with a wall-clock bound, for the
 * compatibility tests. kcat must be on PATH (CI installs the `kcat` package).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface KcatResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the process had to be killed at the time limit. */
  readonly timedOut: boolean;
}

export function kcat(bootstrap: string, args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', bootstrap, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A long-running kcat (a `-G` group member) whose output is watched while it runs. `stop`
 * sends SIGTERM, on which kcat closes its consumer: it commits its offsets and leaves the
 * group, as a consumer that shuts down cleanly does.
 */
export class KcatProcess {
  stdout = '';
  stderr = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<number | null>;
  private readonly killTimer: ReturnType<typeof setTimeout>;

  constructor(bootstrap: string, args: readonly string[], options: { timeoutMs?: number } = {}) {
    this.child = spawn('kcat', ['-b', bootstrap, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child.stdin.end();
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    // A bound on the process whatever the test does, so that a hang cannot outlive it.
    this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  }

  /** Polls the output until `condition` holds; throws after `timeoutMs`. */
  async waitFor(what: string, condition: (process: KcatProcess) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      if (Date.now() > deadline) throw new Error(`kcat: timed out waiting for ${what}\nstdout: ${this.stdout.slice(-2000)}\nstderr: ${this.stderr.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The partitions of the last "rebalanced ... assigned:" line kcat printed, or null before any. */
  assignment(topic: string): number[] | null {
    const lines = this.stderr.split('\n').filter((line) => /rebalanced .*(assigned|revoked):/.test(line));
    const last = lines[lines.length - 1];
    if (last === undefined || !last.includes('assigned:')) return null;
    return [...last.matchAll(new RegExp(`${topic} \\[(\\d+)\\]`, 'g'))].map((m) => Number(m[1])).sort((a, b) => a - b);
  }

  /** Ends the process with SIGTERM and resolves with its exit code. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    clearTimeout(this.killTimer);
    return code;
  }

  /** Resolves with the exit code once the process ends by itself. */
  async done(): Promise<number | null> {
    const code = await this.exited;
    clearTimeout(this.killTimer);
    return code;
  }
}
