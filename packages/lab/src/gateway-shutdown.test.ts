/**
 * Graceful shutdown and the per-address limits at the gateway: first in process (drain,
 * 503, 429), then as a real process that gets SIGTERM with a page connected and a
 * progress write in flight.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serveGateway } from './gateway-test-server';
import { SqliteDb } from '@kil/progress';
import { LabGateway } from './gateway';
import { PendingWork, shutdownCloseCode, shutdownNotice } from './gateway-shutdown';
import { LabManager } from './manager';
import type { ServerMessage } from './protocol';
import { SessionSigner, sessionCookieName } from './session';
import { AddressRateLimiter } from './session-limits';

interface Refusal {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | undefined;
}

function refusal(ws: WebSocket): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] }));
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
  });
}

/** A connected page: every message it got, and how its socket closed. */
function page(url: string, cookie: string, origin: string) {
  const ws = new WebSocket(url, { headers: { cookie, origin } });
  ws.on('error', () => {});
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const until = async (t: ServerMessage['t']): Promise<void> => {
    while (!messages.some((m) => m.t === t)) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { ws, messages, closed, until };
}

describe('LabGateway in process', () => {
  const signer = new SessionSigner('shutdown-test-secret-shutdown-test-secret');
  let closeServer: () => Promise<void>;
  let manager: LabManager;
  let gateway: LabGateway;
  let origin: string;
  const cookieFor = (id = signer.newId()) => `${sessionCookieName}=${signer.sign(id)}`;
  const url = () => `${origin.replace('http', 'ws')}/lab/ws?shape=sandbox`;
  /** A learner whose session has a lab once the first test ran. */
  const first = cookieFor();

  beforeAll(async () => {
    manager = new LabManager({ labsMax: 20 });
    gateway = new LabGateway({ manager, signer, shapeFor: () => ({ brokers: 1, controllers: 1 }), newLabLimiter: new AddressRateLimiter({ burst: 2, perMinute: 1 }) });
    ({ origin, close: closeServer } = await serveGateway(gateway));
  });

  afterAll(async () => {
    gateway.close();
    manager.dispose();
    await closeServer();
  });

  it('limits first labs per address with 429, while sessions that have a lab reconnect freely', async () => {
    const a = page(url(), first, origin);
    await a.until('hello');
    const b = page(url(), cookieFor(), origin);
    await b.until('hello');
    const refused = await refusal(new WebSocket(url(), { headers: { cookie: cookieFor(), origin } }));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatch(/^Too many new labs from your network address\. Try again in \d+ s/);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // The first learner opens a second tab: its session already has a lab, so no token is needed.
    const again = page(url(), first, origin);
    await again.until('hello');
    for (const p of [a, b, again]) p.ws.close();
  });

  it('drains: every page is told why and closed with 1001, and new sockets get 503', async () => {
    const learner = page(url(), first, origin);
    await learner.until('hello');
    const draining = gateway.drain({ closeWaitMs: 5000 });
    const closed = await learner.closed;
    await draining;
    expect(closed).toEqual({ code: shutdownCloseCode, reason: 'server restarting' });
    expect(learner.messages.at(-1)).toEqual({ t: 'error', message: shutdownNotice });
    const refused = await refusal(new WebSocket(url(), { headers: { cookie: cookieFor(), origin } }));
    expect(refused).toEqual({ status: 503, body: shutdownNotice, retryAfter: '5' });
  });
});

describe('PendingWork', () => {
  it('waits for work started while it waits, and reports when time ran out', async () => {
    const pending = new PendingWork();
    const order: string[] = [];
    void pending.track(
      new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
        order.push('first');
        void pending.track(new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => void order.push('second')));
      }),
    );
    expect(await pending.settled(10_000)).toBe(true);
    expect(order).toEqual(['first', 'second']);
    void pending.track(new Promise(() => {}));
    expect(await pending.settled(30)).toBe(false);
  });
});

describe('SIGTERM on a running server process', () => {
  const fixture = path.join(import.meta.dirname, 'gateway-shutdown.fixture.ts');

  function start(env: Record<string, string>): Promise<{ child: ChildProcessByStdio<null, Readable, Readable>; port: number; lines: string[] }> {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    return new Promise((resolve, reject) => {
      const bound = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`fixture did not start: ${stderr}`));
      }, 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          lines.push(line);
          const match = /^listening (\d+)$/.exec(line);
          if (match) {
            clearTimeout(bound);
            resolve({ child, port: Number(match[1]), lines });
          }
        }
      });
      child.on('exit', () => reject(new Error(`fixture exited: ${stderr}`)));
    });
  }

  const until = async (lines: readonly string[], line: string): Promise<void> => {
    while (!lines.includes(line)) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('limits new sessions per address, tells the page, finishes the pending write, closes 1001 and exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kil-shutdown-'));
    const { child, port, lines } = await start({ DATA_DIR: dataDir, WRITE_DELAY_MS: '500', SESSION_BURST: '3', SESSION_RATE_PER_MINUTE: '1' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const origin = `http://127.0.0.1:${port}`;
      const visits = [];
      // A client that drops its cookie gets three sessions, then 429; a header it wrote itself changes nothing.
      for (let i = 0; i < 4; i++) visits.push(await fetch(origin, { headers: { 'x-forwarded-for': `192.0.2.${i}` } }));
      expect(visits.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(await visits[3]?.text()).toMatch(/^Too many new sessions from your network address/);
      const cookie = /kil_session=([^;]+)/.exec(visits[0]?.headers.get('set-cookie') ?? '')?.[1] ?? '';
      const sessionId = cookie.slice(0, cookie.indexOf('.'));
      expect(sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);

      const learner = page(`ws://127.0.0.1:${port}/lab/ws?shape=sandbox`, `${sessionCookieName}=${cookie}`, origin);
      await learner.until('hello');
      learner.ws.send(JSON.stringify({ t: 'check', exerciseId: 'shutdown-test' }));
      await until(lines, 'write-pending');
      child.kill('SIGTERM');

      expect(await learner.closed).toEqual({ code: shutdownCloseCode, reason: 'server restarting' });
      expect(learner.messages).toContainEqual({ t: 'error', message: shutdownNotice });
      expect(await exited).toBe(0);
      // The write that was in flight at SIGTERM finished before the store closed.
      expect(lines.indexOf('write-done')).toBeGreaterThan(lines.indexOf('write-pending'));
      expect(lines.indexOf('write-done')).toBeLessThan(lines.indexOf('shutdown: progress store closed'));
      const db = new SqliteDb(path.join(dataDir, 'progress.sqlite'));
      expect(db.pragma('integrity_check')).toBe('ok');
      expect(await db.all('SELECT learner_id, exercise_id, task_id, attempts FROM task_progress')).toEqual([
        { learner_id: sessionId, exercise_id: 'shutdown-test', task_id: 'make-a', attempts: 1 },
      ]);
      await db.close();
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
