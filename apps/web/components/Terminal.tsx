'use client';
/**
 * The learner's terminal: xterm.js with local line editing. Complete lines go to the lab
 * over the page's WebSocket; output streams back. While a command runs, typed lines are
 * its standard input (the interactive console producer) and Ctrl-C interrupts it.
 */
import { useEffect, useRef } from 'react';
import '@xterm/xterm/css/xterm.css';
import type { ServerMessage } from '@kil/lab/protocol';
import { commonPrefix, LineEditor, redrawSequence } from '../lib/line-editor';
import { useLab } from './LabProvider';

const prompt = '\x1b[1;34m$\x1b[0m ';

/**
 * Faint text (SGR 2) renders at half opacity, below readable contrast on the dark
 * background; show it as a light grey that keeps a 7:1 ratio instead.
 */
const readableFaint = (text: string) => text.replaceAll('\x1b[2m', '\x1b[38;2;148;163;184m').replaceAll('\x1b[22m', '\x1b[39m');
const promptWidth = 2;

export default function Terminal({ className }: { className?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const lab = useLab();
  const labRef = useRef(lab);
  labRef.current = lab;

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    // Listen before xterm has loaded: a hello that arrives meanwhile is kept and replayed,
    // so the greeting is never lost between reading `info` and subscribing.
    const early: ServerMessage[] = [];
    let deliver = (message: ServerMessage): void => void early.push(message);
    const unsubscribe = labRef.current.subscribe((message) => deliver(message));
    void (async () => {
      const [{ Terminal: XTerm }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed || !host.current) return;
      const term = new XTerm({
        cursorBlink: true,
        convertEol: true,
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
        fontSize: 13,
        scrollback: 5000,
        theme: { background: '#0f172a', foreground: '#e2e8f0', cursor: '#93c5fd' },
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(host.current);
      fit.fit();
      const editor = new LineEditor();
      let running: number | null = null;
      let nextId = 1;

      // Where the cursor sits after the prompt, as last drawn; lets a redraw climb back
      // over a line that wrapped.
      let drawnCursor = 0;
      const redraw = () => {
        term.write(redrawSequence({ columns: term.cols, promptText: prompt, promptWidth, drawnCursor, line: editor.line, cursor: editor.cursor }));
        drawnCursor = editor.cursor;
      };
      const freshPrompt = () => {
        term.write(prompt + editor.line);
        drawnCursor = editor.line.length;
      };
      const run = (line: string) => {
        if (line.trim() === '') return redraw();
        if (line.trim() === 'clear') {
          term.clear();
          term.write('\x1b[2J\x1b[H');
          drawnCursor = 0;
          return redraw();
        }
        running = nextId++;
        labRef.current.send({ t: 'exec', id: running, line });
      };
      const complete = () => {
        const words = editor.line.slice(0, editor.cursor).split(/\s+/);
        if (words.length !== 1) return;
        const word = words[0] ?? '';
        const matches = labRef.current.commands.filter((name) => name.startsWith(word));
        if (matches.length === 1) editor.setLine(`${matches[0]} `);
        else if (matches.length > 1) {
          const prefix = commonPrefix(matches);
          if (prefix.length > word.length) editor.setLine(prefix);
          else {
            term.write(`\r\n${matches.join('  ')}\r\n`);
            drawnCursor = 0;
          }
        }
        redraw();
      };
      term.onData((data) => {
        if (running !== null) {
          if (data === '\x03') return labRef.current.send({ t: 'interrupt' });
          if (data === '\x04') return labRef.current.send({ t: 'stdin', line: null });
          for (const action of editor.feed(data)) {
            if (action.kind === 'submit') {
              term.write(`${action.line}\r\n`);
              labRef.current.send({ t: 'stdin', line: action.line });
            }
          }
          return;
        }
        for (const action of editor.feed(data)) {
          if (action.kind === 'redraw') redraw();
          else if (action.kind === 'submit') {
            term.write('\r\n');
            drawnCursor = 0;
            run(action.line);
          } else if (action.kind === 'interrupt') {
            term.write('^C\r\n');
            freshPrompt();
          }
          else if (action.kind === 'clear') {
            term.clear();
            redraw();
          } else if (action.kind === 'complete') complete();
        }
      });
      const greet = (info: { labId: string; shape: string }) =>
        term.write(readableFaint(`\x1b[2mConnected to ${info.labId} (${info.shape}). Type help to list commands.\x1b[0m\r\n`));
      // The lab's first hello greets; a later one means the page reconnected to a new lab.
      // A "Run" click that arrives before the first hello waits for it, so the greeting
      // comes first and the command's output follows its own prompt line.
      let connected = false;
      let waitingCommand: string | null = null;
      const connect = (info: { labId: string; shape: string }) => {
        connected = true;
        greet(info);
        freshPrompt();
        if (waitingCommand !== null) typeAndRun(waitingCommand);
        waitingCommand = null;
      };
      // The page may have connected before this terminal loaded: greet from what it already knows.
      if (labRef.current.info && !early.some((message) => message.t === 'hello')) connect(labRef.current.info);
      const onMessage = (message: ServerMessage): void => {
        if (message.t === 'out') term.write(readableFaint(message.text));
        else if (message.t === 'done' && message.id === running) {
          running = null;
          freshPrompt();
        } else if (message.t === 'hello' && !connected) {
          connect(message.lab);
        } else if (message.t === 'hello') {
          if (running !== null) term.write('\r\n');
          running = null;
          greet(message.lab);
          freshPrompt();
        } else if (message.t === 'error') term.write(`\r\n\x1b[31m${message.message}\x1b[0m\r\n`);
      };
      deliver = onMessage;
      for (const message of early.splice(0)) onMessage(message);
      function typeAndRun(command: string): void {
        editor.setLine(command);
        redraw();
        editor.setLine('');
        term.write('\r\n');
        drawnCursor = 0;
        run(command);
        term.focus();
      }
      const unregister = labRef.current.registerTyper((command) => {
        if (!connected) {
          waitingCommand = command;
          return;
        }
        if (running !== null) {
          term.write('\r\n\x1b[33mA command is running; press Ctrl-C first.\x1b[0m\r\n');
          return;
        }
        typeAndRun(command);
      });
      const observer = new ResizeObserver(() => fit.fit());
      observer.observe(host.current);
      term.focus();
      cleanup = () => {
        observer.disconnect();
        unregister();
        term.dispose();
      };
    })();
    return () => {
      disposed = true;
      unsubscribe();
      cleanup();
    };
  }, []);

  return <div ref={host} className={className} data-testid="terminal" />;
}
