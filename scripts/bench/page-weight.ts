/**
 * Module page weight: the JavaScript a first visit to /modules/<slug> loads before any
 * interaction, gzip-compressed (level 9), fetched from the built site exactly as a
 * browser finds it (every <script src> in the HTML except `nomodule` polyfills). It also
 * checks that the two heavy widgets stay lazy: no first-load script may contain the
 * terminal (xterm.js) or the editor (Monaco).
 *
 * A second figure, the Lighthouse performance score of the same page, runs Lighthouse (a
 * devDependency; chrome-launcher comes with it) against Debian's Chromium, headless, with
 * the flags the e2e tests use, and prints the score with FCP, LCP, TBT, CLS and Speed
 * Index. LIGHTHOUSE_NODE_MODULES points at another node_modules holding `lighthouse` and
 * `chrome-launcher` if wanted; LIGHTHOUSE_RUNS sets how many runs the median is over.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from '../bench';
import { chromiumFlags, chromiumPath, startSite } from './site';

const slug = process.env.PAGE_WEIGHT_SLUG ?? 'architecture';
const aimKb = 150;
const aimScore = 95;

interface Weight {
  scripts: number;
  gzipKb: number;
  rawKb: number;
  heavy: string[];
}

async function firstLoadJs(url: string): Promise<Weight> {
  const html = await (await fetch(url)).text();
  // A `nomodule` script (Next's polyfills) is neither fetched nor run by a modern browser.
  const tags = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"[^>]*>/g)].filter((m) => !/\snomodule/i.test(m[0]));
  const sources = tags.map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), url).href);
  const unique = [...new Set(sources)];
  let gzip = 0;
  let raw = 0;
  const heavy: string[] = [];
  for (const src of unique) {
    const body = Buffer.from(await (await fetch(src)).arrayBuffer());
    raw += body.byteLength;
    gzip += gzipSync(body, { level: 9 }).byteLength;
    const text = body.toString('utf8');
    if (/xterm-helper-textarea|xterm-screen/.test(text)) heavy.push(`xterm in ${path.basename(src)}`);
    if (/MonacoEnvironment|monaco-editor/.test(text)) heavy.push(`Monaco in ${path.basename(src)}`);
  }
  return { scripts: unique.length, gzipKb: gzip / 1024, rawKb: raw / 1024, heavy };
}

async function importFrom(name: string): Promise<Record<string, unknown>> {
  const dir = process.env.LIGHTHOUSE_NODE_MODULES;
  if (!dir) return (await import(name)) as Record<string, unknown>;
  const resolved = createRequire(path.join(dir, 'noop.js')).resolve(name);
  return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
}

interface LighthouseRun {
  score: number;
  /** Metric id -> milliseconds (CLS unitless). */
  metrics: Record<string, number>;
}

type LighthouseFn = (url: string, flags: object) => Promise<{ lhr: { categories: { performance: { score: number | null } }; audits: Record<string, { numericValue?: number }> } }>;

/** The metrics Lighthouse weighs into the performance score, with the names we print. */
const metricNames: readonly (readonly [string, string])[] = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
];

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? NaN;

function formatMetric(id: string, value: number): string {
  return id === 'cumulative-layout-shift' ? value.toFixed(3) : `${(value / 1000).toFixed(2)} s`;
}

/**
 * Lighthouse's performance category (0..100) for `url`, mobile emulation and simulated
 * throttling as Lighthouse defaults, in a fresh headless Chromium per run. The score moves
 * by a few points between runs on a shared box, so it runs LIGHTHOUSE_RUNS times (3) and
 * reports the median score and the median of each metric.
 */
async function lighthouseScore(url: string): Promise<{ score: number; note: string; runs: LighthouseRun[] }> {
  const runsWanted = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));
  try {
    const { default: lighthouse } = (await importFrom('lighthouse')) as { default: LighthouseFn };
    const launcher = (await importFrom('chrome-launcher')) as { launch: (o: object) => Promise<{ port: number; kill: () => Promise<void> | void }> };
    const runs: LighthouseRun[] = [];
    for (let i = 0; i < runsWanted; i++) {
      const chrome = await launcher.launch({ chromePath: chromiumPath, chromeFlags: ['--headless=new', ...chromiumFlags] });
      try {
        const result = await lighthouse(url, { port: chrome.port, onlyCategories: ['performance'], output: 'json', logLevel: 'error' });
        const audits = result.lhr.audits;
        const metrics = Object.fromEntries(metricNames.map(([id]) => [id, audits[id]?.numericValue ?? NaN]));
        runs.push({ score: (result.lhr.categories.performance.score ?? NaN) * 100, metrics });
      } finally {
        await chrome.kill();
      }
    }
    const shown = metricNames.map(([id, short]) => `${short} ${formatMetric(id, median(runs.map((r) => r.metrics[id] ?? NaN)))}`);
    const scores = runs.map((r) => r.score.toFixed(0)).join(', ');
    return { score: median(runs.map((r) => r.score)), note: `median of ${runs.length} runs (${scores}); ${shown.join(', ')}`, runs };
  } catch (error) {
    return { score: NaN, note: `Lighthouse could not run: ${(error as Error).message.split('\n')[0]}`, runs: [] };
  }
}

export async function benchPageWeight(): Promise<BenchResult[]> {
  const site = await startSite();
  try {
    const url = `${site.url}/modules/${slug}`;
    const weight = await firstLoadJs(url);
    const lighthouse = await lighthouseScore(url);
    return [
      {
        name: `page weight: first-load JS of /modules/${slug}`,
        value: weight.gzipKb,
        unit: 'KB gzip',
        ratio: weight.gzipKb / aimKb,
        note: `${weight.scripts} scripts, ${weight.rawKb.toFixed(0)} KB raw; ${weight.heavy.length ? `NOT lazy: ${weight.heavy.join(', ')}` : 'terminal and Monaco not in first load'}; ratio to the 150 KB aim`,
      },
      { name: `Lighthouse performance, /modules/${slug}`, value: lighthouse.score, unit: 'score', ratio: lighthouse.score / aimScore, note: `${lighthouse.note}; ratio to the 95 aim (aim >= 1)` },
      ...metricNames.map(([id, short]) => ({
        name: `Lighthouse ${short}, /modules/${slug}`,
        value: id === 'cumulative-layout-shift' ? median(lighthouse.runs.map((r) => r.metrics[id] ?? NaN)) : median(lighthouse.runs.map((r) => r.metrics[id] ?? NaN)) / 1000,
        unit: id === 'cumulative-layout-shift' ? 'score' : 's',
        note: 'median over the Lighthouse runs (mobile, simulated throttling)',
      })),
    ];
  } finally {
    await site.stop();
  }
}
