/**
 * Lab start time: from `Lab.start` to a cluster whose controllers have elected a leader
 * and whose brokers are all registered and unfenced (3 brokers + 3 controllers).
 */
import { Lab } from '@kil/lab';
import type { BenchResult } from '../bench';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function benchLabStart(): Promise<BenchResult[]> {
  const runs = 30;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const lab = await Lab.start(`bench-${i}`, { brokers: 3, controllers: 3, seed: i + 1 });
    times.push(performance.now() - started);
    lab.dispose();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  return [
    { name: 'lab start (3 brokers + 3 controllers), median', value: median, unit: 'ms', ratio: median / 1000, note: 'ratio: share of a 1 s budget' },
    { name: 'lab start, p95', value: percentile(sorted, 95), unit: 'ms' },
  ];
}
