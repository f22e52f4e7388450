/**
 * Terminal round trip under load: N simulated learners (default 200) type a realistic
 * command mix over real WebSockets against the real LabGateway, which runs in its own
 * process (scripts/bench/gateway-server.ts: LabGateway on a plain HTTP server, not the
 * Next.js build), so the load generator does not share the server's event loop. Both
 * processes share this box's cores, as they would on a small single-box deployment.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

async function startServer(): Promise<{ port: number; stop: () => Promise<ServerStats | null> }> {
  const script = path.join(import.meta.dirname, 'gateway-server.ts');
  // GATEWAY_NODE_ARGS adds Node flags to the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORT: '0' } });
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

/** Busy and total jiffies of the whole box (all cores), from /proc/stat; null off Linux. */
function boxJiffies(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    // idle and iowait are the 4th and 5th fields.
    return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
  } catch {
    return null;
  }
}

/**
 * How busy the box was while the learners typed: every second, the one-minute load
 * average and the share of all cores in use (by anything, this bench included). The
 * latency tail on a shared box follows these more than it follows the server's own work.
 */
function sampleBox(): () => { loadMean: number; loadMax: number; busyPercent: number } {
  const loads: number[] = [];
  const first = boxJiffies();
  const timer = setInterval(() => loads.push(loadavg()[0] ?? NaN), 1000);
  return () => {
    clearInterval(timer);
    const last = boxJiffies();
    const busyPercent = first && last && last.total > first.total ? ((last.busy - first.busy) / (last.total - first.total)) * 100 : NaN;
    return { loadMean: loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length), loadMax: Math.max(...loads), busyPercent };
  };
}

export async function benchTerminalRtt(): Promise<BenchResult[]> {
  const learners = Number(process.env.RTT_LEARNERS ?? 200);
  const durationS = Number(process.env.RTT_DURATION_S ?? 30);
  const loadBefore = loadavg()[0] ?? NaN;
  const server = await startServer();
  const box = sampleBox();
  // The learners run in this process: its own event-loop delay is part of every round trip it times.
  const clientLoop = monitorEventLoopDelay({ resolution: 10 });
  clientLoop.enable();
  const clientCpuAtStart = process.cpuUsage();
  const clientStartedMs = performance.now();
  const report = await runLoad({ url: `http://127.0.0.1:${server.port}/`, learners, durationS, thinkMs: 1000, shape: 'sandbox', seed: 1, rampMs: 10_000 });
  clientLoop.disable();
  const clientCpu = process.cpuUsage(clientCpuAtStart);
  const clientCpuPercent = ((clientCpu.user + clientCpu.system) / 1000 / (performance.now() - clientStartedMs)) * 100;
  const busy = box();
  const stats = await server.stop();
  const aimMs = 25;
  const cores = cpus().length;
  const load = `box load average ${loadBefore.toFixed(1)} before, mean ${busy.loadMean.toFixed(1)} (max ${busy.loadMax.toFixed(1)}) during the run on ${cores} cores, ${busy.busyPercent.toFixed(0)} % of all cores busy`;
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
    { name: 'terminal RTT: server GC pause max', value: stats?.gcMaxMs ?? NaN, unit: 'ms', note: `${stats?.gcCount ?? '?'} collections, ${stats?.gcTotalMs.toFixed(0) ?? '?'} ms in all` },
    { name: 'terminal RTT: load generator event-loop delay p99', value: clientLoop.percentile(99) / 1e6, unit: 'ms', note: `max ${(clientLoop.max / 1e6).toFixed(0)} ms; the ${learners} simulated learners in the bench process used ${clientCpuPercent.toFixed(0)} % of a core` },
    { name: 'terminal RTT: box busy during the run', value: busy.busyPercent, unit: '% of all cores', note: `${cores} cores; load average mean ${busy.loadMean.toFixed(1)}, max ${busy.loadMax.toFixed(1)}; the server and this bench's learners included` },
  ];
}
