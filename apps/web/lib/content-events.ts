/**
 * Live reload of course content in `npm run dev`. Lessons and exercises are files read at
 * render time, not modules in Next.js's import graph, so its hot reload never sees them
 * change. The dev server watches `content/` and `exercises/` and tells open pages over
 * Server-Sent Events; each page refreshes its server components (ContentReload.tsx),
 * which re-reads the files. Only the dev server installs this.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

export const contentEventsPath = '/__content-events';

type Listener = (file: string) => void;

/** Watches folders recursively and reports changed files, a burst of writes as one change. */
export class ContentWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readonly listeners = new Set<Listener>();
  private pending: { file: string; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly root: string,
    folders: readonly string[],
    private readonly debounceMs = 100,
  ) {
    for (const folder of folders) {
      const dir = path.join(root, folder);
      // Editors save by writing a temporary file and renaming it: both arrive as events.
      this.watchers.push(watch(dir, { recursive: true }, (_event, name) => name && this.changed(path.join(folder, name.toString()))));
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const w of this.watchers) w.close();
    if (this.pending) clearTimeout(this.pending.timer);
    this.listeners.clear();
  }

  private changed(file: string): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = {
      file,
      timer: setTimeout(() => {
        this.pending = null;
        for (const listener of this.listeners) listener(file);
      }, this.debounceMs),
    };
  }
}

/** Answers `GET /__content-events`: one `data:` line per change until the page goes away. */
export function serveContentEvents(req: IncomingMessage, res: ServerResponse, watcher: ContentWatcher): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.write(': watching content\n\n');
  const stop = watcher.onChange((file) => res.write(`data: ${JSON.stringify({ file })}\n\n`));
  req.on('close', stop);
}
