/**
 * The lab gateway on a plain Node HTTP server, for benchmarks that need the real
 * WebSocket path without building the Next.js site. GET / hands out a signed session
 * cookie as the site does; upgrades on /lab/ws go to a real LabGateway and LabManager.
 *
 * Prints `listening <port>` once ready. On SIGTERM it prints one JSON line with the
 * process's CPU use and memory since start, then exits.
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { LabGateway, LabManager, parseCookies, SessionSigner, sessionCookie, sessionCookieName } from '@kil/lab';

const signer = new SessionSigner(process.env.SESSION_SECRET ?? 'bench-secret-bench-secret-bench-secret-0');
const manager = new LabManager({ labsMax: Number(process.env.LABS_MAX ?? 2000) });
const gateway = new LabGateway({ manager, signer });
const startedWallMs = performance.now();
const cpuAtStart = process.cpuUsage();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
// Garbage collection pauses, which stop the event loop like any long task.
const gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

const server = createServer((req, res) => {
  if (!signer.verify(parseCookies(req.headers.cookie).get(sessionCookieName))) {
    res.setHeader('Set-Cookie', sessionCookie(signer.sign(signer.newId()), { secure: false, maxAgeS: 3600 }));
  }
  res.end('ok');
});
server.on('upgrade', (req, socket, head) => {
  if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});

process.on('SIGTERM', () => {
  const cpu = process.cpuUsage(cpuAtStart);
  const wallMs = performance.now() - startedWallMs;
  console.log(JSON.stringify({ cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, rssMb: process.memoryUsage().rss / 1024 / 1024, labs: manager.size, loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMaxMs: loopDelay.max / 1e6, gcCount: gc.count, gcTotalMs: gc.totalMs, gcMaxMs: gc.maxMs }));
  gateway.close();
  manager.dispose();
  server.close();
  setTimeout(() => process.exit(0), 100).unref();
});
