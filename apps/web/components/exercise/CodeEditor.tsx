'use client';
/**
 * The editor and its runner. Monaco loads lazily (dynamic import) with a plain textarea
 * until it is ready. The exercise's property files (producer, consumer, topic configs)
 * are tabs beside the program. Run checks those files, compiles the program with
 * Monaco's TypeScript worker and starts it in a Web Worker with the files: the worker
 * applies topic files to the lab and makes producer and consumer files the client's
 * defaults before `main` runs. Every client op goes through this component to the lab
 * WebSocket. A time budget and a message budget stop runaway code by terminating the
 * worker; the lab enforces its own quotas on top.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { clientDefaultsFrom, topicConfigsFrom, type PropertyFile } from '@kil/client';
import type { ServerMessage } from '@kil/lab/protocol';
import { useLab } from '../LabProvider';
import { rewriteClientImports, type FromWorker, type ToWorker } from '../../workers/learner-protocol';
import type { MountedEditor } from './monaco-loader';

export const runBudget = { wallMs: 60_000, requestsMax: 1_000, requestsPerSecondMax: 100, logLinesMax: 500 } as const;

type RunState = 'idle' | 'compiling' | 'running';

const programTab = 'main.ts';
const noProperties: readonly PropertyFile[] = [];

/** The property files as edited, falling back to their starting text. */
function currentFiles(properties: readonly PropertyFile[], texts: Readonly<Record<string, string>>): PropertyFile[] {
  return properties.map((p) => ({ ...p, text: texts[p.file] ?? p.text }));
}

/** Checks every property file before anything runs; returns the first problem, or null. */
function propertyProblem(files: readonly PropertyFile[]): string | null {
  try {
    clientDefaultsFrom(files);
    topicConfigsFrom(files);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function CodeEditor({ exerciseId, starter, properties = noProperties, onRunFinished }: { exerciseId: string; starter: string; properties?: readonly PropertyFile[]; onRunFinished?: (ok: boolean) => void }) {
  const lab = useLab();
  const container = useRef<HTMLDivElement | null>(null);
  const editor = useRef<MountedEditor | null>(null);
  const storageKey = `kil-code:${exerciseId}`;
  const fileKey = useCallback((file: string) => `kil-props:${exerciseId}:${file}`, [exerciseId]);
  const [code, setCode] = useState(starter);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [tab, setTab] = useState(programTab);
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<RunState>('idle');
  const [output, setOutput] = useState<string[]>([]);
  const stopRef = useRef<((reason: string | null) => void) | null>(null);

  const editFile = useCallback(
    (file: string, text: string) => {
      setTexts((old) => ({ ...old, [file]: text }));
      window.localStorage.setItem(fileKey(file), text);
    },
    [fileKey],
  );

  useEffect(() => {
    const saved = window.localStorage.getItem(storageKey);
    const initial = saved ?? starter;
    setCode(initial);
    const savedFiles = currentFiles(properties, Object.fromEntries(properties.flatMap((p) => {
      const text = window.localStorage.getItem(fileKey(p.file));
      return text === null ? [] : [[p.file, text]];
    })));
    setTexts(Object.fromEntries(savedFiles.map((f) => [f.file, f.text])));
    setTab(programTab);
    let cancelled = false;
    void import('./monaco-loader')
      .then(async ({ mountEditor }) => {
        if (cancelled || !container.current) return;
        const onCode = (next: string) => {
          setCode(next);
          window.localStorage.setItem(storageKey, next);
        };
        editor.current = await mountEditor(container.current, initial, exerciseId, onCode, savedFiles.map((f) => ({ name: f.file, text: f.text })), editFile);
        setReady(true);
      })
      .catch((error: unknown) => setOutput([`The editor could not load (${String(error)}); the plain text box still works.`]));
    return () => {
      cancelled = true;
      editor.current?.dispose();
      editor.current = null;
    };
  }, [exerciseId, starter, storageKey, properties, fileKey, editFile]);

  const showTab = (name: string) => {
    setTab(name);
    editor.current?.show(name);
  };

  const print = useCallback((line: string) => setOutput((old) => (old.length >= runBudget.logLinesMax ? old : [...old, line])), []);

  const run = useCallback(async () => {
    setOutput([]);
    const files = currentFiles(properties, texts);
    const problem = propertyProblem(files);
    if (problem !== null) {
      print(`error: ${problem}`);
      print('— not run: fix the property file first —');
      onRunFinished?.(false);
      return;
    }
    setState('compiling');
    let js: string;
    try {
      js = editor.current ? await editor.current.compile() : await compileFallback(code);
    } catch (error) {
      print(`compile error: ${String(error)}`);
      setState('idle');
      return;
    }
    setState('running');
    const worker = new Worker(new URL('../../workers/learner.worker.ts', import.meta.url), { type: 'module' });
    const idMap = new Map<number, number>();
    let requests = 0;
    let finished = false;
    let nextSendMs = 0;
    const unsubscribe = lab.subscribe((message: ServerMessage) => {
      if (message.t !== 'client-result') return;
      const workerId = idMap.get(message.id);
      if (workerId === undefined) return;
      idMap.delete(message.id);
      const reply: ToWorker = message.ok ? { t: 'response', id: workerId, ok: true, value: message.value } : { t: 'response', id: workerId, ok: false, error: message.error };
      worker.postMessage(reply);
    });
    const stop = (reason: string | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      worker.terminate();
      stopRef.current = null;
      print(reason === null ? '— finished —' : `— stopped: ${reason} —`);
      setState('idle');
      onRunFinished?.(reason === null);
    };
    stopRef.current = stop;
    const timer = setTimeout(() => stop(`the program ran longer than ${runBudget.wallMs / 1000} s`), runBudget.wallMs);
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.t === 'log') print(message.text);
      else if (message.t === 'done') {
        if (message.error) print(`error: ${message.error}`);
        stop(message.error ? 'the program threw' : null);
      } else if (message.t === 'request') {
        if (++requests > runBudget.requestsMax) return stop(`the program sent more than ${runBudget.requestsMax} requests`);
        const id = nextRequestId++;
        idMap.set(id, message.id);
        // Pace requests below the lab's own limit so a tight loop slows down instead of being refused.
        const sendAtMs = Math.max(performance.now(), nextSendMs);
        nextSendMs = sendAtMs + 1000 / runBudget.requestsPerSecondMax;
        setTimeout(() => !finished && lab.send({ t: 'client', id, op: message.op, args: message.args }), sendAtMs - performance.now());
      }
    };
    worker.onerror = (event) => stop(`worker error: ${event.message}`);
    worker.postMessage({ t: 'run', code: rewriteClientImports(js), properties: files } satisfies ToWorker);
  }, [code, lab, onRunFinished, print, properties, texts]);

  const reset = () => {
    editor.current?.setValue(starter);
    setCode(starter);
    window.localStorage.removeItem(storageKey);
    for (const p of properties) {
      editor.current?.setFile(p.file, p.text);
      window.localStorage.removeItem(fileKey(p.file));
    }
    setTexts(Object.fromEntries(properties.map((p) => [p.file, p.text])));
  };

  const activeFile = properties.find((p) => p.file === tab);
  const describeFile = (p: PropertyFile) => (p.kind === 'topic' ? `configs of topic ${p.topic ?? '?'}, applied on Run` : `defaults of every ${p.kind} your program creates`);

  return (
    <section className="space-y-2" aria-label="Code editor">
      <div className="flex items-center gap-2">
        <button type="button" onClick={() => void run()} disabled={state !== 'idle' || lab.status !== 'open'} className="rounded bg-blue-700 px-3 py-1 text-sm font-semibold text-white disabled:opacity-50" data-testid="run-code">
          {state === 'compiling' ? 'Compiling…' : state === 'running' ? 'Running…' : 'Run'}
        </button>
        <button type="button" onClick={() => stopRef.current?.('you pressed Stop')} disabled={state !== 'running'} className="rounded border px-3 py-1 text-sm disabled:opacity-50">
          Stop
        </button>
        <button type="button" onClick={reset} className="ml-auto text-xs text-slate-500 underline">
          Reset to starter
        </button>
      </div>
      {properties.length > 0 && (
        <div role="tablist" aria-label="Files" className="flex flex-wrap gap-1 text-xs">
          {[programTab, ...properties.map((p) => p.file)].map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => showTab(name)} data-testid={`editor-tab-${name}`}
              className={`rounded-t border border-b-0 px-2 py-1 font-mono ${tab === name ? 'bg-white font-semibold text-slate-900' : 'bg-slate-100 text-slate-600'}`}>
              {name}
            </button>
          ))}
        </div>
      )}
      {activeFile && <p className="text-xs text-slate-500" data-testid="editor-file-note">{activeFile.file}: {describeFile(activeFile)}. Options passed in code win over the file.</p>}
      <div className="relative h-80 overflow-hidden rounded border border-slate-300" data-testid="editor" data-ready={ready ? 'true' : 'false'} data-tab={tab}>
        <div ref={container} className={ready ? 'h-full' : 'hidden'} />
        {!ready && !activeFile && (
          <textarea aria-label="Program" value={code} onChange={(e) => { setCode(e.target.value); window.localStorage.setItem(storageKey, e.target.value); }} className="h-full w-full p-2 font-mono text-xs" spellCheck={false} />
        )}
        {!ready && activeFile && (
          <textarea aria-label={activeFile.file} value={texts[activeFile.file] ?? activeFile.text} onChange={(e) => editFile(activeFile.file, e.target.value)} className="h-full w-full p-2 font-mono text-xs" spellCheck={false} />
        )}
      </div>
      <pre className="max-h-48 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100" data-testid="console" aria-live="polite">
        {output.length ? output.join('\n') : 'Console output appears here.'}
      </pre>
    </section>
  );
}

let nextRequestId = 1;

/** Without Monaco (it failed to load), strip type annotations the simple way: ask the page to load the editor. */
async function compileFallback(code: string): Promise<string> {
  const { mountEditor } = await import('./monaco-loader');
  const host = document.createElement('div');
  const temporary = await mountEditor(host, code, 'fallback', () => {});
  try {
    return await temporary.compile();
  } finally {
    temporary.dispose();
  }
}
