'use client';
/**
 * Holds the page's one WebSocket to the learner's lab and shares it: the terminal streams
 * output through it, visualisations read the latest snapshot, TryIt buttons type commands.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ClusterSnapshot, TraceEvent } from '@kil/engine';
import type { ClientMessage, LabInfo, ServerMessage } from '@kil/lab/protocol';

export type LabStatus = 'connecting' | 'open' | 'closed';

export interface LabContextValue {
  readonly status: LabStatus;
  readonly info: LabInfo | null;
  readonly snapshot: ClusterSnapshot | null;
  readonly paused: boolean;
  readonly speed: number;
  readonly events: readonly TraceEvent[];
  readonly commands: readonly string[];
  /** A link that reopens this moment, once asked for with requestShareLink. */
  readonly shareLink: string | null;
  /** The last problem the lab reported (a refused rewind, a full server). */
  readonly notice: string | null;
  requestShareLink(): void;
  send(message: ClientMessage): void;
  /** Subscribe to raw server messages (the terminal uses out/done). */
  subscribe(listener: (message: ServerMessage) => void): () => void;
  /** Ask the terminal to type and run a command (TryIt); a terminal not loaded yet loads and runs it. */
  typeCommand(command: string): void;
  /** True once something asked the terminal to type, so a panel that loads it on demand should load it now. */
  readonly terminalWanted: boolean;
  registerTyper(typer: (command: string) => void): () => void;
}

const LabContext = createContext<LabContextValue | null>(null);
const eventsKeptMax = 500;

export function useLab(): LabContextValue {
  const value = useContext(LabContext);
  if (!value) throw new Error('useLab must be used inside <LabProvider>');
  return value;
}

export function useOptionalLab(): LabContextValue | null {
  return useContext(LabContext);
}

export function LabProvider({ shape, children }: { shape: string; children: ReactNode }) {
  const [status, setStatus] = useState<LabStatus>('connecting');
  const [info, setInfo] = useState<LabInfo | null>(null);
  const [snapshot, setSnapshot] = useState<ClusterSnapshot | null>(null);
  const [time, setTime] = useState({ paused: false, speed: 1 });
  const [events, setEvents] = useState<readonly TraceEvent[]>([]);
  const [commands, setCommands] = useState<readonly string[]>([]);
  const [shareLink, setShareLink] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const listeners = useRef(new Set<(message: ServerMessage) => void>());
  const typer = useRef<((command: string) => void) | null>(null);
  /** A command typed (TryIt) before the terminal had loaded: it runs once the terminal registers. */
  const pendingCommand = useRef<string | null>(null);
  const [terminalWanted, setTerminalWanted] = useState(false);
  const outbox = useRef<ClientMessage[]>([]);

  useEffect(() => {
    let closed = false;
    let retryMs = 500;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    // A shared link (?run=...) reopens a recorded moment: used for the first connection only,
    // then dropped from the address bar so a reload does not rewind the lab again.
    let run = new URLSearchParams(window.location.search).get('run');
    const connect = () => {
      const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
      const runParam = run ? `&run=${encodeURIComponent(run)}` : '';
      if (run) {
        run = null;
        const url = new URL(window.location.href);
        url.searchParams.delete('run');
        window.history.replaceState(null, '', url);
      }
      const ws = new WebSocket(`${protocol}//${window.location.host}/lab/ws?shape=${encodeURIComponent(shape)}${runParam}`);
      socket.current = ws;
      setStatus('connecting');
      ws.onopen = () => {
        retryMs = 500;
        setStatus('open');
        for (const message of outbox.current.splice(0)) ws.send(JSON.stringify(message));
      };
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as ServerMessage;
        if (message.t === 'hello') {
          setInfo(message.lab);
          setCommands(message.commands);
          // A fresh connection: a notice from before it (the server restarting, say) no longer holds.
          setNotice(null);
        } else if (message.t === 'snapshot') {
          setSnapshot(message.snapshot);
          setTime({ paused: message.paused, speed: message.speed });
        } else if (message.t === 'events') {
          setEvents((old) => (message.reset ? message.events : [...old, ...message.events]).slice(-eventsKeptMax));
        } else if (message.t === 'share') {
          setShareLink(message.link ? `${window.location.origin}${window.location.pathname}?run=${message.link}` : null);
          setNotice(message.error ?? null);
        } else if (message.t === 'error') {
          setNotice(message.message);
        }
        for (const listener of listeners.current) listener(message);
      };
      ws.onclose = () => {
        setStatus('closed');
        if (closed) return;
        retryTimer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retryTimer);
      socket.current?.close();
    };
  }, [shape]);

  const send = useCallback((message: ClientMessage) => {
    const ws = socket.current;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    else outbox.current.push(message);
  }, []);

  const subscribe = useCallback((listener: (message: ServerMessage) => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const registerTyper = useCallback((fn: (command: string) => void) => {
    typer.current = fn;
    const pending = pendingCommand.current;
    pendingCommand.current = null;
    if (pending !== null) fn(pending);
    return () => {
      if (typer.current === fn) typer.current = null;
    };
  }, []);

  const typeCommand = useCallback((command: string) => {
    if (typer.current) return typer.current(command);
    pendingCommand.current = command;
    setTerminalWanted(true);
  }, []);
  const requestShareLink = useCallback(() => send({ t: 'share' }), [send]);

  const value = useMemo<LabContextValue>(
    () => ({
      status,
      info,
      snapshot,
      paused: time.paused,
      speed: time.speed,
      events,
      commands,
      shareLink,
      notice,
      requestShareLink,
      send,
      subscribe,
      typeCommand,
      terminalWanted,
      registerTyper,
    }),
    [status, info, snapshot, time, events, commands, shareLink, notice, requestShareLink, send, subscribe, typeCommand, terminalWanted, registerTyper],
  );
  return <LabContext.Provider value={value}>{children}</LabContext.Provider>;
}
