/**
 * Visualisation frame time: the built site's /bench/cluster-view page renders ClusterView
 * for 6 brokers x 100 partitions while the snapshot changes on every animation frame.
 * Debian's Chromium (headless, through Playwright) loads it; the page records, per frame,
 * the time from the new snapshot to React's commit plus style and layout. Reported: the
 * median and p95 of that update time, judged against a 16 ms frame budget, and the
 * interval between animation frames (it stays near 16.7 ms when updates fit the budget).
 */
import { chromium } from '@playwright/test';
import type { BenchResult } from '../bench';
import { chromiumFlags, chromiumPath, startSite } from './site';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

export async function benchUiFrames(): Promise<BenchResult[]> {
  const frames = Number(process.env.UI_FRAMES ?? 300);
  const site = await startSite();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}/bench/cluster-view?frames=${frames}`);
    const handle = await page.waitForFunction(() => (window as unknown as { __clusterViewBench?: unknown }).__clusterViewBench, undefined, { timeout: 120_000 });
    const result = (await handle.jsonValue()) as { updatesMs: number[]; intervalsMs: number[]; partitionRows: number };
    const median = percentile(result.updatesMs, 0.5);
    const p95 = percentile(result.updatesMs, 0.95);
    const where = `${result.partitionRows} partition rows drawn, ${result.updatesMs.length} frames, headless Chromium`;
    return [
      { name: 'ClusterView 6x100: update+layout per frame, median', value: median, unit: 'ms', ratio: median / 16, note: `${where}; ratio to a 16 ms frame` },
      { name: 'ClusterView 6x100: update+layout per frame, p95', value: p95, unit: 'ms', ratio: p95 / 16, note: 'ratio to a 16 ms frame (aim <= 1)' },
      { name: 'ClusterView 6x100: frame interval, median / p95', value: percentile(result.intervalsMs, 0.5), unit: 'ms', note: `p95 ${percentile(result.intervalsMs, 0.95).toFixed(1)} ms between animation frames` },
    ];
  } finally {
    await browser.close();
    await site.stop();
  }
}
