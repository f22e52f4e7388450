/**
 * Module page weight: the JavaScript a first visit to /modules/<slug> loads before any
 * interaction, gzip-compressed (level 9), fetched from the built site exactly as a
 * browser finds it (every <script src> in the HTML except `nomodule` polyfills). It also
 * checks that the two heavy widgets stay lazy: no first-load script may contain the
 * terminal (xterm.js) or the editor (Monaco).
 *
 * A second figure, the Lighthouse performance score of the same page, runs Lighthouse
 * against Debian's Chromium. Lighthouse is not a dependency of the repository; set
 * LIGHTHOUSE_NODE_MODULES to a node_modules folder holding `lighthouse` and
 * `chrome-launcher` (for example after `npm install --prefix /tmp/lh lighthouse chrome-launcher`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from '../bench';
import { chromiumFlags, chromiumPath, startSite } from './site';

const slug = process.env.PAGE_WEIGHT_SLUG ?? 'architecture';
const aimKb = 150;

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

/** Lighthouse's performance category (0..100) for `url`, mobile emulation as Lighthouse defaults. */
async function lighthouseScore(url: string): Promise<{ score: number; note: string }> {
  try {
    const { default: lighthouse } = (await importFrom('lighthouse')) as { default: (url: string, flags: object) => Promise<{ lhr: { categories: { performance: { score: number | null } }; audits: Record<string, { displayValue?: string }> } }> };
    const launcher = (await importFrom('chrome-launcher')) as { launch: (o: object) => Promise<{ port: number; kill: () => Promise<void> | void }> };
    const chrome = await launcher.launch({ chromePath: chromiumPath, chromeFlags: ['--headless=new', ...chromiumFlags] });
    try {
      const result = await lighthouse(url, { port: chrome.port, onlyCategories: ['performance'], output: 'json', logLevel: 'error' });
      const audits = result.lhr.audits;
      const shown = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift'].map((k) => `${k.replace(/-/g, ' ')} ${audits[k]?.displayValue ?? '?'}`);
      return { score: (result.lhr.categories.performance.score ?? NaN) * 100, note: shown.join(', ') };
    } finally {
      await chrome.kill();
    }
  } catch (error) {
    return { score: NaN, note: `Lighthouse could not run: ${(error as Error).message.split('\n')[0]}` };
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
      { name: `Lighthouse performance, /modules/${slug}`, value: lighthouse.score, unit: 'score', ratio: lighthouse.score / 100, note: lighthouse.note },
    ];
  } finally {
    await site.stop();
  }
}
