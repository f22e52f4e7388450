/**
 * Graceful shutdown of the web process (SIGTERM): what a restart looks like to a learner.
 *
 * Order matters. First the gateway stops taking sockets (so no new labs start) and tells
 * every open page, over its socket, that the server is restarting and that progress is
 * saved; each socket then closes with 1001 (going away), and the page reconnects by itself
 * once a server answers again. Then the HTTP server stops accepting connections and lets
 * requests in flight finish (a progress POST among them). Then the labs are disposed, the
 * progress writes still in flight are awaited, and the store is closed, which for SQLite
 * checkpoints its WAL. Every step is bounded, so the process always ends.
 *
 * Labs themselves are not saved: a lab is a live simulation and a restart starts it anew
 * (as the notice says); what a learner has achieved lives in the progress store.
 */
import type { Server } from 'node:http';
import type { WebSocket } from 'ws';

/** The sentence every open page shows when the server shuts down. */
export const shutdownNotice = 'The lab server is restarting; your progress is saved. This page reconnects by itself in a moment.';
/** WebSocket close code for a server going down (RFC 6455 §7.4.1). */
export const shutdownCloseCode = 1001;

export interface DrainOptions {
  readonly notice?: string;
  /** How long to wait for pages to answer the close handshake before cutting their sockets. */
  readonly closeWaitMs?: number;
}

/** Tell each socket why, close it with 1001, and cut those that do not finish closing in time. */
export function drainSockets(clients: ReadonlySet<WebSocket>, options: DrainOptions = {}): Promise<void> {
  const notice = options.notice ?? shutdownNotice;
  const closing = [...clients].map(
    (ws) =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        // Frames that arrive from now on are not acted on: nothing new starts during shutdown.
        ws.removeAllListeners('message');
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'error', message: notice }));
        ws.close(shutdownCloseCode, 'server restarting');
      }),
  );
  return new Promise<void>((resolve) => {
    const cut = setTimeout(() => {
      for (const ws of clients) ws.terminate();
      resolve();
    }, options.closeWaitMs ?? 2000);
    void Promise.all(closing).then(() => {
      clearTimeout(cut);
      resolve();
    });
  });
}

/** Work that must finish before the store closes (progress writes started by a check). */
export class PendingWork {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves once nothing is pending, including work started while waiting; false if `waitMs` ran out first. */
  async settled(waitMs: number): Promise<boolean> {
    const deadline = performance.now() + waitMs;
    while (this.pending.size > 0) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    return true;
  }
}

export interface GracefulShutdownOptions {
  readonly server: Server;
  readonly gateway: { drain(options?: DrainOptions): Promise<void> };
  readonly manager: { dispose(): void };
  readonly pending: PendingWork;
  /** Flush and close the progress store. */
  readonly closeStore: () => Promise<void>;
  /** The whole shutdown's bound; past it the caller should exit anyway. */
  readonly graceMs?: number;
  readonly log?: (line: string) => void;
}

/** Run the shutdown steps in order; resolves true when all finished within `graceMs`. */
export async function gracefulShutdown(options: GracefulShutdownOptions): Promise<boolean> {
  const log = options.log ?? (() => {});
  const graceMs = options.graceMs ?? 10_000;
  const startMs = performance.now();
  const left = () => Math.max(0, graceMs - (performance.now() - startMs));
  await options.gateway.drain({ closeWaitMs: Math.min(2000, left() / 3) });
  log('lab sockets closed');
  const httpClosed = new Promise<void>((resolve) => options.server.close(() => resolve()));
  options.server.closeIdleConnections();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const httpInTime = await Promise.race([httpClosed.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), left() / 2)))]);
  clearTimeout(timer);
  if (!httpInTime) options.server.closeAllConnections();
  log(httpInTime ? 'http requests finished' : 'http requests cut off');
  options.manager.dispose();
  const writesInTime = await options.pending.settled(left());
  log(writesInTime ? 'progress writes finished' : 'progress writes still pending');
  await options.closeStore();
  log('progress store closed');
  return httpInTime && writesInTime;
}

/**
 * Run `gracefulShutdown` on the first of `signals` and exit: 0 when every step finished in
 * time, 1 when something had to be cut off. A second signal changes nothing; a hard timer
 * ends the process if shutdown itself hangs.
 */
export function exitGracefullyOn(signals: readonly NodeJS.Signals[], options: GracefulShutdownOptions): void {
  let started = false;
  const log = options.log ?? (() => {});
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    log(`${signal}: shutting down`);
    setTimeout(() => {
      log('shutdown did not finish in time; exiting');
      process.exit(1);
    }, (options.graceMs ?? 10_000) + 2000).unref();
    gracefulShutdown(options).then(
      (clean) => process.exit(clean ? 0 : 1),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
}
