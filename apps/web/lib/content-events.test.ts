import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentWatcher, serveContentEvents } from './content-events';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function contentTree(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kil-content-'));
  mkdirSync(path.join(root, 'content', 'modules', '01-a'), { recursive: true });
  mkdirSync(path.join(root, 'exercises'), { recursive: true });
  writeFileSync(path.join(root, 'content', 'modules', '01-a', 'index.mdx'), '# A\n');
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

describe('content live reload', () => {
  it('reports a changed lesson once per burst of writes, relative to the root', async () => {
    const root = contentTree();
    const watcher = new ContentWatcher(root, ['content', 'exercises'], 50);
    cleanups.push(() => watcher.close());
    const seen: string[] = [];
    watcher.onChange((file) => seen.push(file));
    const lesson = path.join(root, 'content', 'modules', '01-a', 'index.mdx');
    for (let i = 0; i < 5; i++) writeFileSync(lesson, `# A ${i}\n`);
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(1);
    expect(seen[0]).toBe(path.join('content', 'modules', '01-a', 'index.mdx'));
  });

  it('streams each change to an open page as a server-sent event', async () => {
    const root = contentTree();
    const watcher = new ContentWatcher(root, ['content', 'exercises'], 20);
    cleanups.push(() => watcher.close());
    const server: Server = createServer((req, res) => serveContentEvents(req, res, watcher));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const abort = new AbortController();
    cleanups.push(() => abort.abort());
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/__content-events`, { signal: abort.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain(': watching content');
    writeFileSync(path.join(root, 'exercises', 'README.mdx'), 'x');
    while (!text.includes('data:')) text += decoder.decode((await reader.read()).value);
    expect(text).toContain(`data: {"file":"${path.join('exercises', 'README.mdx')}"}`);
  });
});
