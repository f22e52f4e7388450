/**
 * Idle labs: how many learners one process can hold. Starts `IDLE_LABS` (default 500)
 * labs of the default shape (3 brokers + 3 controllers, one topic of 3 partitions at
 * replication factor 3) in this process, lets them sit
 * with no page attached for a measured window, and reports resident memory per lab and
 * the CPU the process spends while nobody types.
 *
 * Three phases are measured in the same run, so the effect of the idle pause is visible:
 * "attached" keeps one fake page on every lab (virtual time runs and snapshots are built,
 * as while a learner watches); "detached, clock running" is the first seconds after the
 * pages closed, which is how every detached lab behaved before the pause; "suspended" is
 * after the grace period, when the scheduler has stopped (docs/adr/0003-idle-labs-pause.md).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Lab, labIdleGraceMs, type LabListener } from '../../packages/lab/src/lab';
import type { BenchResult } from '../bench';

const mib = 1024 * 1024;
const boxBytes = 24 * 1024 * mib;

function rssBytes(): number {
  return process.memoryUsage().rss;
}

/** A full collection before reading RSS, so garbage is not counted as lab memory. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function settleGc(): Promise<void> {
  const gc = collector();
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** CPU share of one core used by this process over `windowMs` of wall time. */
async function cpuPercentOver(windowMs: number): Promise<number> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  return ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
}

export async function benchIdleLabs(): Promise<BenchResult[]> {
  const count = Number(process.env.IDLE_LABS ?? 500);
  const windowMs = Number(process.env.IDLE_WINDOW_MS ?? 20_000);
  await settleGc();
  const baseRss = rssBytes();
  const labs: Lab[] = [];
  const startedAt = performance.now();
  // Each lab holds what a module lab typically holds: one replicated topic of 3 partitions.
  const topics = [{ name: 'orders', numPartitions: 3, replicationFactor: 3 }];
  for (let i = 0; i < count; i++) labs.push(await Lab.start(`idle-${i}`, { seed: i + 1, topics }));
  const startAllMs = performance.now() - startedAt;
  const page: LabListener = { send: () => {} };
  const detachAll = labs.map((lab) => lab.attach(page));
  // Let the labs finish their first heartbeats before measuring.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const attachedCpu = await cpuPercentOver(windowMs);
  const detachedAtMs = performance.now();
  for (const detach of detachAll) detach();
  const runningCpu = await cpuPercentOver(Math.min(windowMs, labIdleGraceMs - 2_000));
  // Past the grace period a detached lab stops its clock; measure after it.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, labIdleGraceMs + 1_000 - (performance.now() - detachedAtMs))));
  const suspendedLabs = labs.filter((lab) => lab.suspended).length;
  await settleGc();
  const perLabMb = (rssBytes() - baseRss) / count / mib;
  const detachedCpu = await cpuPercentOver(windowMs);
  for (const lab of labs) lab.dispose();
  const labsPerBox = Math.floor(boxBytes / (perLabMb * mib));
  const window = `${count} labs, ${(windowMs / 1000).toFixed(0)} s window`;
  return [
    { name: `idle labs: start ${count} labs`, value: startAllMs / 1000, unit: 's', note: `${(startAllMs / count).toFixed(1)} ms per lab` },
    { name: 'idle labs: RSS per lab', value: perLabMb, unit: 'MB', ratio: perLabMb / (boxBytes / mib / 2000), note: 'ratio: share of the 24 GiB / 2000 labs budget (aim <= 1)' },
    { name: 'idle labs: labs per 24 GiB', value: labsPerBox, unit: 'labs', ratio: labsPerBox / 2000, note: 'ratio: against the 2000 aim (aim >= 1)' },
    { name: 'idle labs: CPU, pages attached', value: attachedCpu, unit: '% of a core', ratio: attachedCpu / 2, note: `${window}; clock running; ratio to 2 % aim` },
    { name: 'idle labs: CPU, no page, clock running (before pause)', value: runningCpu, unit: '% of a core', ratio: runningCpu / 2, note: `${count} labs, within the ${labIdleGraceMs / 1000} s grace period; ratio to 2 % aim` },
    { name: 'idle labs: CPU, no page, suspended (after pause)', value: detachedCpu, unit: '% of a core', ratio: detachedCpu / 2, note: `${window}; ${suspendedLabs}/${count} suspended; ratio to 2 % aim (aim <= 1)` },
  ];
}
