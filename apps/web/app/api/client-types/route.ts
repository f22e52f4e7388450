/**
 * GET /api/client-types: the source of @kil/client, so that the editor can type-check
 * learner code against the real client API. Read once from disk, cached in memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../lib/content';

let cached: string | null = null;

function load(): string {
  const dir = path.join(repoRoot(), 'packages', 'client', 'src');
  const files: Record<string, string> = { 'index.d.ts': "export * from './src/index';\n" };
  for (const name of readdirSync(/*turbopackIgnore: true*/ dir)) {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files[`src/${name}`] = readFileSync(path.join(dir, name), 'utf8');
  }
  return JSON.stringify(files);
}

export function GET(): Response {
  cached ??= load();
  return new Response(cached, { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
}
