/**
 * The lab gateway: one WebSocket per open page, bound to the session's Lab. Every frame
 * is size-checked (by `ws` maxPayload, before buffering), rate-limited by a token bucket,
 * and validated; a bad frame closes that socket with 1008 and touches nothing else.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LabCapacityError, type LabManager } from './manager';
import { RecordingError } from './recording';
import { clientMessageBytesMax, parseClientMessage, ProtocolError, type ServerMessage } from './protocol';
import { parseCookies, sessionCookieName, type SessionSigner } from './session';
import type { LabShape } from './shape';
import { ExerciseChecks, type ExerciseChecksOptions } from './checks';
import { batchedSender } from './batched-send';
import { clientAddress, rateLimitMessage, type AddressRateLimiter } from './session-limits';
import { drainSockets, shutdownNotice, type DrainOptions } from './gateway-shutdown';

export interface GatewayOptions {
  readonly manager: LabManager;
  readonly signer: SessionSigner;
  /** Origins allowed to open a socket; the request's own Host is always allowed. */
  readonly allowedOrigins?: readonly string[];
  /** Resolve the `shape` query parameter (a module or exercise slug) to a lab shape. */
  readonly shapeFor?: (key: string) => Partial<LabShape> | undefined;
  readonly messagesPerSecond?: number;
  readonly burst?: number;
  readonly socketsPerSessionMax?: number;
  /** Exercise manifests and the progress recorder for "Check my work"; without it, checks answer with an error. */
  readonly checks?: ExerciseChecksOptions;
  /** Learner-code requests allowed per second per socket (they have their own budget). */
  readonly clientOpsPerSecond?: number;
  /** Bounds how fast one address may start labs for sessions that have none yet (429 over it). */
  readonly newLabLimiter?: AddressRateLimiter;
  /** Peers whose X-Forwarded-For names the client (a reverse proxy such as nginx). */
  readonly trustedProxies?: ReadonlySet<string>;
}

/** Answer an upgrade request with a plain HTTP refusal and a sentence for a person. */
function refuseUpgrade(socket: Duplex, status: string, message = '', extraHeaders: readonly string[] = []): void {
  const body = Buffer.from(message, 'utf8');
  const head = [`HTTP/1.1 ${status}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8', ...extraHeaders, `Content-Length: ${body.length}`];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

export const gatewayPath = '/lab/ws';

class TokenBucket {
  private tokens: number;
  private lastMs = performance.now();
  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) / 1000) * this.ratePerS);
    this.lastMs = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class LabGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: clientMessageBytesMax });
  private readonly socketsBySession = new Map<string, number>();
  private readonly checks: ExerciseChecks | null;
  /** Set by drain(): no new sockets, so no new labs, while the server shuts down. */
  private draining = false;

  constructor(private readonly options: GatewayOptions) {
    this.checks = options.checks ? new ExerciseChecks(options.checks) : null;
  }

  /** Handle an HTTP upgrade for the gateway path; returns false when it is not ours. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== gatewayPath) return false;
    if (this.draining) {
      refuseUpgrade(socket, '503 Service Unavailable', shutdownNotice, ['Retry-After: 5']);
      return true;
    }
    const refusal = this.refusal(request);
    if (refusal) {
      refuseUpgrade(socket, refusal);
      return true;
    }
    const sessionId = this.options.signer.verify(parseCookies(request.headers.cookie).get(sessionCookieName));
    if (!sessionId) {
      refuseUpgrade(socket, '401 Unauthorized');
      return true;
    }
    const limiter = this.options.newLabLimiter;
    if (limiter && !this.options.manager.has(sessionId)) {
      const decision = limiter.take(clientAddress(request, this.options.trustedProxies ?? new Set()));
      if (!decision.allowed) {
        refuseUpgrade(socket, '429 Too Many Requests', rateLimitMessage('labs', decision.retryAfterS), [`Retry-After: ${decision.retryAfterS}`]);
        return true;
      }
    }
    const shapeKey = url.searchParams.get('shape') ?? '';
    const runLink = url.searchParams.get('run');
    this.wss.handleUpgrade(request, socket, head, (ws) => void this.accept(ws, sessionId, shapeKey, runLink, socket));
    return true;
  }

  /**
   * Shut the gateway down gently: refuse new sockets (503), tell every connected page why
   * (an `error` message the page shows), and close each socket with 1001 (going away);
   * sockets still open after `closeWaitMs` are cut. Resolves when every socket is closed.
   */
  drain(options: DrainOptions = {}): Promise<void> {
    this.draining = true;
    return drainSockets(this.wss.clients, options);
  }

  get isDraining(): boolean {
    return this.draining;
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private refusal(request: IncomingMessage): string | null {
    const origin = request.headers.origin;
    const host = request.headers.host;
    if (!origin) return '403 Forbidden';
    const allowed = new Set(this.options.allowedOrigins ?? []);
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return '403 Forbidden';
    }
    if (originHost !== host && !allowed.has(origin)) return '403 Forbidden';
    return null;
  }

  private async accept(ws: WebSocket, sessionId: string, shapeKey: string, runLink: string | null, socket: Duplex): Promise<void> {
    const open = this.socketsBySession.get(sessionId) ?? 0;
    if (open >= (this.options.socketsPerSessionMax ?? 8)) {
      ws.close(1008, 'too many open lab connections for this session');
      return;
    }
    this.socketsBySession.set(sessionId, open + 1);
    // A frame over maxPayload or a protocol violation surfaces here after ws has already
    // sent the close frame (1009/1002) itself; without a listener it would be an uncaught
    // exception in the server process.
    ws.on('error', () => {});
    ws.once('close', () => {
      const left = (this.socketsBySession.get(sessionId) ?? 1) - 1;
      if (left <= 0) this.socketsBySession.delete(sessionId);
      else this.socketsBySession.set(sessionId, left);
    });
    // Frames sent in one turn go out in one write (batched-send.ts).
    const sendText = batchedSender(ws, socket);
    const send = (message: ServerMessage): void => {
      if (ws.readyState === ws.OPEN) sendText(JSON.stringify(message));
    };
    // Buffer frames that arrive while the lab is starting so none are lost.
    const early: Buffer[] = [];
    const bufferEarly = (data: Buffer) => early.push(data);
    ws.on('message', bufferEarly);
    let lab;
    try {
      const place = /^(module|exercise):[a-z0-9-]{1,64}$/.test(shapeKey) ? shapeKey : 'sandbox';
      lab = runLink
        ? await this.options.manager.openRun(sessionId, place, runLink)
        : await this.options.manager.labFor(sessionId, place, this.options.shapeFor?.(place));
    } catch (error) {
      const message =
        error instanceof LabCapacityError || error instanceof RecordingError ? error.message : 'The lab could not start.';
      send({ t: 'error', message });
      ws.close(1013, 'lab unavailable');
      return;
    }
    ws.off('message', bufferEarly);
    if (ws.readyState !== ws.OPEN) return;
    const terminal = { send };
    const detach = lab.attach(terminal);
    ws.once('close', () => {
      detach();
      lab.closeTerminal(terminal);
    });
    // 1012 (service restart): the page reconnects and finds the lab that replaced this one.
    lab.onDispose(() => ws.close(1012, 'lab replaced'));
    const bucket = new TokenBucket(this.options.messagesPerSecond ?? 30, this.options.burst ?? 60);
    const clientOps = new TokenBucket(this.options.clientOpsPerSecond ?? 200, (this.options.clientOpsPerSecond ?? 200) * 2);
    const onFrame = (data: Buffer, isBinary: boolean): void => {
      // Learner code talks in bursts; its requests have their own budget and are refused, not disconnected.
      const clientFrame = !isBinary && data.includes('"t":"client"');
      const allowed = (clientFrame ? clientOps : bucket).take();
      if (!allowed && !clientFrame) return void ws.close(1008, 'too many messages; slow down');
      if (isBinary) return void ws.close(1003, 'binary frames are not accepted');
      try {
        const message = parseClientMessage(data.toString('utf8'));
        if (!allowed) {
          // Learner code over its request budget gets an error it can handle, not a dropped connection.
          if (message.t !== 'client') return void ws.close(1008, 'too many messages; slow down');
          return send({ t: 'client-result', id: message.id, ok: false, error: { code: 'THROTTLING_QUOTA_EXCEEDED', message: 'Your program sends requests faster than the lab accepts them.', suggestion: 'send fewer requests, or batch records' } });
        }
        switch (message.t) {
          case 'exec':
            void lab.exec(message.id, message.line, terminal);
            break;
          case 'interrupt':
            lab.interrupt(terminal);
            break;
          case 'stdin':
            lab.stdin(message.line, terminal);
            break;
          case 'time':
            lab.time(message);
            break;
          case 'ping':
            send({ t: 'pong' });
            break;
          case 'share':
            try {
              send({ t: 'share', link: lab.shareLink() });
            } catch (error) {
              send({ t: 'share', link: null, error: (error as Error).message });
            }
            break;
          case 'check':
            if (!this.checks) send({ t: 'check-result', exerciseId: message.exerciseId, result: null, auto: message.auto === true, error: 'Checks are not available on this server.' });
            else void this.checks.check(sessionId, lab.view(), message).then(send);
            break;
          case 'client':
            void lab.client(message.id, message.op, message.args).then(send);
            break;
        }
      } catch (error) {
        const reason = error instanceof ProtocolError ? error.message : 'bad message';
        ws.close(1008, reason.slice(0, 120));
      }
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => onFrame(data, isBinary));
    for (const data of early) onFrame(data, false);
  }
}
