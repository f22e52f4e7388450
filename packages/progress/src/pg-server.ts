/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary folder and start it on
 * a Unix socket only (no TCP port). Needs Debian's `postgresql` package; `.ci/run` installs
 * it. As root, the server runs as the `postgres` user, as PostgreSQL insists.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

export interface PgServer {
  readonly url: string;
  /** Crash the server (`pg_ctl stop -m immediate`, no checkpoint) and start it again: it recovers from its WAL. */
  crashAndRestart(): void;
  stop(): void;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(base, version, 'bin');
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql');
}

export function startPgServer(): PgServer {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'kil-pg-'));
  const asRoot = userInfo().uid === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : path.join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
    execFileSync(command, argv, { stdio: 'pipe', cwd: tmpdir() });
  };
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'kil', '--no-sync']);
  const port = 5432;
  // fsync=off keeps tests fast; it only matters when the machine itself loses power, which
  // no test here simulates (a crashed server process leaves its writes in the OS page cache).
  const start = () => run('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-k ${dir} -c listen_addresses='' -p ${port} -c fsync=off`, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
  start();
  return {
    url: `postgresql://kil@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    crashAndRestart: () => {
      stop();
      start();
    },
    stop,
  };
}

function postgresIds(): { uid: number; gid: number } {
  const line = execFileSync('id', ['postgres'], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(line)?.[1];
  const gid = /gid=(\d+)/.exec(line)?.[1];
  if (!uid || !gid) throw new Error('no postgres user: apt-get install -y postgresql');
  return { uid: Number(uid), gid: Number(gid) };
}
