/**
 * Processes for the scale-out test, all on loopback and all stopped by the test: a
 * throwaway PostgreSQL (Debian's `postgresql`, on a Unix socket only), web instances of
 * the built site (apps/web/server.ts as `npm run serve` starts it), and nginx (Debian's
 * `nginx`) in front of them with a generated config in a temporary folder.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'web');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Stoppable {
  stop(): Promise<void> | void;
}

/** initdb and start PostgreSQL in a temporary folder, listening on a Unix socket there only. */
export function startPostgres(): Stoppable & { url: string } {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(path.join(base, v, 'bin', 'initdb'))) : undefined;
  if (!version) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql');
  const bin = path.join(base, version, 'bin');
  const dir = mkdtempSync(path.join(tmpdir(), 'kil-scale-pg-'));
  const root = userInfo().uid === 0;
  if (root) {
    const ids = execFileSync('id', ['postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(/uid=(\d+)/.exec(ids)?.[1]), Number(/gid=(\d+)/.exec(ids)?.[1]));
  }
  chmodSync(dir, 0o700);
  // PostgreSQL refuses to run as root, so as root its tools run as the postgres user.
  const pg = (tool: string, args: string[]) =>
    execFileSync(root ? 'runuser' : path.join(bin, tool), root ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args, { stdio: 'pipe', cwd: tmpdir() });
  const data = path.join(dir, 'data');
  pg('initdb', ['-D', data, '-A', 'trust', '-U', 'kil', '--no-sync']);
  pg('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-k ${dir} -c listen_addresses='' -p 5432 -c fsync=off`, 'start']);
  return {
    url: `postgresql://kil@localhost/postgres?host=${encodeURIComponent(dir)}&port=5432`,
    stop: () => {
      pg('pg_ctl', ['-D', data, '-m', 'fast', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Instance extends Stoppable {
  readonly port: number;
  readonly url: string;
  /** stdout and stderr so far. */
  log(): string;
  /** Send SIGTERM and resolve with the exit code. */
  terminate(): Promise<number | null>;
}

/** One web instance of the built site: `NODE_ENV=production tsx server.ts` in apps/web, as `npm run serve` runs it (less its GC tuning flag). */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  if (!existsSync(path.join(webDir, '.next', 'BUILD_ID'))) throw new Error('no Next.js build: run `npm run build` first');
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: webDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const bound = setTimeout(() => reject(new Error(`instance on ${port} did not start in time: ${log.slice(-800)}`)), 120_000);
    void exited.then((code) => reject(new Error(`instance on ${port} exited with ${code}: ${log.slice(-800)}`)));
    child.stdout.on('data', () => {
      if (log.includes('ready on')) {
        clearTimeout(bound);
        resolve();
      }
    });
  });
  const terminate = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { port, url: `http://127.0.0.1:${port}`, log: () => log, terminate, stop: () => killHard(child, exited) };
}

async function killHard(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const bound = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(bound);
}

/**
 * nginx in front of the instances. Sticky routing hashes the session cookie (consistent
 * hashing: a learner keeps reaching the instance that holds their lab, and only that
 * instance's learners move when it goes away). A cookieless first request has an empty
 * key, which nginx spreads round robin. WebSocket upgrades pass through; the client
 * address goes on in X-Forwarded-For, which the instances trust from 127.0.0.1 only.
 * `X-Upstream` (a test aid) says which instance answered.
 */
export function nginxConfig(options: { listenPort: number; upstreamPorts: readonly number[]; dir: string }): string {
  const dir = options.dir;
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  upstream kil_web {
    hash $cookie_kil_session consistent;
${options.upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${options.listenPort};
    location / {
      proxy_pass http://kil_web;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout http_502 http_503;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

/** Start nginx in the foreground with a generated config; stop() sends SIGQUIT (graceful) then waits. */
export async function startNginx(upstreamPorts: readonly number[]): Promise<Stoppable & { port: number; url: string }> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  if (!nginx) throw new Error('nginx is not installed: apt-get install -y nginx');
  const dir = mkdtempSync(path.join(tmpdir(), 'kil-nginx-'));
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, sub));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ listenPort: port, upstreamPorts, dir }));
  execFileSync(nginx, ['-t', '-q', '-p', dir, '-c', conf], { stdio: 'pipe' });
  const child = spawn(nginx, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready once it accepts a connection.
  for (let attempt = 0; ; attempt++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/progress`).then(() => true, () => false);
    if (ok) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error(`nginx did not start: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT');
      const bound = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(bound);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The session cookie a first visit to `url` hands out, as `kil_session=...`. */
export async function newSession(url: string): Promise<{ cookie: string; upstream: string | null }> {
  const response = await fetch(url, { redirect: 'manual' });
  const match = /kil_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
  if (!match) throw new Error(`GET ${url} answered ${response.status} without a session cookie`);
  return { cookie: `kil_session=${match[1]}`, upstream: response.headers.get('x-upstream') };
}

/** A learner's lab socket: run terminal lines and read what they printed. */
export class LabSocket {
  private readonly messages: Record<string, unknown>[] = [];
  private nextId = 1;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.on('error', () => {});
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(baseUrl: string, cookie: string): Promise<LabSocket> {
    const origin = new URL(baseUrl).origin;
    const socket = new LabSocket(new WebSocket(`${origin.replace('http', 'ws')}/lab/ws?shape=sandbox`, { headers: { cookie, origin } }));
    await socket.until((m) => m.t === 'hello');
    return socket;
  }

  received(): readonly Record<string, unknown>[] {
    return this.messages;
  }

  async until(match: (m: Record<string, unknown>) => boolean, waitMs = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Run one terminal line and return its output. */
  async exec(line: string): Promise<string> {
    const id = this.nextId++;
    const from = this.messages.length;
    this.ws.send(JSON.stringify({ t: 'exec', id, line }));
    await this.until((m) => m.t === 'done' && m.id === id);
    return this.messages.slice(from).filter((m) => m.t === 'out').map((m) => String(m.text)).join('');
  }

  close(): void {
    this.ws.close();
  }
}
