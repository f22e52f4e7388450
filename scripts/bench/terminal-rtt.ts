/**
 * Terminal round trip under load: N simulated learners (default 200) type a realistic
 * command mix over real WebSockets against the real LabGateway, which runs in its own
 * process (scripts/bench/gateway-server.ts: LabGateway on a plain HTTP server, not the
 * Next.js build), so the load generator does not share the server's event loop. Both
 * processes share this box's cores, as they would on a small single-box deployment.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { BenchResult } from '../bench';
import { runLoad } from '../load';

interface ServerStats {
  cpuPercent: number;
  rssMb: number;
  labs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

async function startServer(): Promise<{ port: number; stop: () => Promise<ServerStats | null> }> {
  const script = path.join(import.meta.dirname, 'gateway-server.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORT: '0' } });
  const lines = createInterface({ input: child.stdout });
  let stats: ServerStats | null = null;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway server exited with ${code}`)));
    lines.on('line', (text) => {
      const listening = /^listening (\d+)$/.exec(text);
      if (listening) resolve(Number(listening[1]));
      else if (text.startsWith('{')) stats = JSON.parse(text) as ServerStats;
    });
  });
  const stop = () =>
    new Promise<ServerStats | null>((resolve) => {
      child.once('exit', () => resolve(stats));
      child.kill('SIGTERM');
    });
  return { port, stop };
}

export async function benchTerminalRtt(): Promise<BenchResult[]> {
  const learners = Number(process.env.RTT_LEARNERS ?? 200);
  const durationS = Number(process.env.RTT_DURATION_S ?? 30);
  const loadBefore = loadavg()[0] ?? NaN;
  const server = await startServer();
  const report = await runLoad({ url: `http://127.0.0.1:${server.port}/`, learners, durationS, thinkMs: 1000, shape: 'sandbox', seed: 1, rampMs: 10_000 });
  const stats = await server.stop();
  const aimMs = 25;
  const load = `box load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? NaN).toFixed(1)} after (2 cores, shared)`;
  const where = `${report.connected}/${learners} learners, ${durationS} s, LabGateway on plain http (separate process); ${load}`;
  return [
    { name: `terminal RTT: ping p50 (${learners} learners)`, value: report.ping.p50Ms, unit: 'ms', note: `${report.ping.count} pings` },
    { name: `terminal RTT: ping p99 (${learners} learners)`, value: report.ping.p99Ms, unit: 'ms', ratio: report.ping.p99Ms / aimMs, note: `${where}; ratio to the 25 ms aim (aim <= 1)` },
    { name: 'terminal RTT: ping p99 while labs start (ramp)', value: report.pingDuringRamp.p99Ms, unit: 'ms', ratio: report.pingDuringRamp.p99Ms / aimMs, note: `${learners} labs started over 10 s; ratio to the 25 ms aim` },
    { name: 'terminal RTT: instant commands p50', value: report.instant.p50Ms, unit: 'ms', note: `help, kafka-topics --list/--describe; ${report.instant.count} commands` },
    { name: 'terminal RTT: instant commands p99', value: report.instant.p99Ms, unit: 'ms', ratio: report.instant.p99Ms / aimMs, note: 'ratio to the 25 ms aim' },
    { name: 'terminal RTT: commands run / errors', value: report.commands, unit: 'commands', note: `${report.failedCommands} exited non-zero, ${report.errors.length} errors` },
    { name: 'terminal RTT: server CPU during the run', value: stats?.cpuPercent ?? NaN, unit: '% of a core', note: `server RSS ${stats?.rssMb.toFixed(0) ?? '?'} MB with ${stats?.labs ?? '?'} labs` },
    { name: 'terminal RTT: server event-loop delay p99', value: stats?.loopDelayP99Ms ?? NaN, unit: 'ms', note: `max ${stats?.loopDelayMaxMs.toFixed(0) ?? '?'} ms (perf_hooks.monitorEventLoopDelay in the server)` },
  ];
}
