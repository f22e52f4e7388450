/**
 * Runs the seeded fault simulation (packages/engine/src/cluster/simulation.ts) with the
 * group and transaction workloads, and reports every seed that breaks an invariant.
 *
 *   npm run sim -- --seeds 1000          seeds 1..1000
 *   npm run sim -- --seed 42             one seed, with its fault schedule and figures
 *   npm run sim -- --seeds 200 --from 5000 --duration-ms 6000 --no-workloads
 */
import { runSimulation, type SimulationResult } from '../packages/engine/src/cluster/simulation';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function numberOption(name: string, fallback: number): number {
  const raw = option(name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} needs a whole number, got ${raw}.`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const single = option('seed');
  const from = single === undefined ? numberOption('from', 1) : numberOption('seed', 1);
  const count = single === undefined ? numberOption('seeds', 100) : 1;
  const durationMs = numberOption('duration-ms', 4_000);
  const workloads = !process.argv.includes('--no-workloads');
  const failed: SimulationResult[] = [];
  const started = performance.now();
  for (let seed = from; seed < from + count; seed++) {
    const result = await runSimulation({ seed, durationMs, workloads, produceIntervalMs: 100 });
    if (result.violations.length > 0) {
      failed.push(result);
      console.log(`seed ${seed}: ${result.violations.length} violation(s)\n  ${result.violations.join('\n  ')}\n  faults: ${result.faults.join('; ')}`);
    } else if (single !== undefined) {
      console.log(`seed ${seed}: every invariant held. faults: ${result.faults.join('; ') || 'none'}`);
      console.log(`  acked ${result.acked}, failed produces ${result.failedProduces}, events ${result.events}, workloads ${JSON.stringify(result.workloadStats ?? {})}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${count} seed(s) from ${from} in ${seconds.toFixed(1)} s (${((seconds * 1000) / count).toFixed(0)} ms per seed): ${failed.length === 0 ? 'all invariants held' : `${failed.length} failed (${failed.map((r) => r.seed).join(', ')})`}.`);
  process.exit(failed.length === 0 ? 0 : 1);
}

void main();
