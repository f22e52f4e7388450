/**
 * The life of a request inside a broker, as Kafka's request metrics split it: a network
 * thread reads it, it waits in the request queue, an I/O (request handler) thread does the
 * local work, it may park in purgatory (remote time: acks=all waiting for followers, a fetch
 * waiting for fetch.min.bytes), it may be throttled by a quota, waits in the response queue,
 * and a network thread sends the response. One row per request, one segment per stage.
 */
import type { TraceEvent } from '@kil/engine';
import { formatMs, type Theme, ViewFrame } from './theme';

/** Kafka's RequestMetrics names: RequestQueueTimeMs, LocalTimeMs, RemoteTimeMs, ThrottleTimeMs, ResponseQueueTimeMs, ResponseSendTimeMs. */
export type RequestStage = 'requestQueue' | 'local' | 'remote' | 'throttle' | 'responseQueue' | 'responseSend';

export const requestStages: readonly { readonly stage: RequestStage; readonly label: string; readonly where: string }[] = [
  { stage: 'requestQueue', label: 'request queue', where: 'waiting for an I/O thread (num.io.threads)' },
  { stage: 'local', label: 'I/O thread', where: 'handled locally: append to the log or read it' },
  { stage: 'remote', label: 'purgatory', where: 'waiting on others: followers for acks=all, data for fetch.min.bytes' },
  { stage: 'throttle', label: 'throttled', where: 'held back by a quota' },
  { stage: 'responseQueue', label: 'response queue', where: 'waiting for the network thread' },
  { stage: 'responseSend', label: 'send', where: 'written to the socket by a network thread (num.network.threads)' },
];

export interface RequestLifecycleModel {
  readonly apiKey: string;
  readonly correlationId: number;
  readonly clientId?: string;
  readonly brokerId: number;
  readonly startMs: number;
  /** Milliseconds spent in each stage; missing stages count as zero. */
  readonly stagesMs: Partial<Record<RequestStage, number>>;
  /** e.g. "acks=all", "fetch.min.bytes=1". */
  readonly note?: string;
}

export function totalMs(r: RequestLifecycleModel): number {
  return requestStages.reduce((sum, s) => sum + (r.stagesMs[s.stage] ?? 0), 0);
}

const metricKeys: Record<RequestStage, string> = {
  requestQueue: 'requestQueueTimeMs',
  local: 'localTimeMs',
  remote: 'remoteTimeMs',
  throttle: 'throttleTimeMs',
  responseQueue: 'responseQueueTimeMs',
  responseSend: 'responseSendTimeMs',
};

/**
 * Builds request rows from completed-request events whose data carries Kafka's metric
 * names (requestQueueTimeMs, localTimeMs, ...), apiKey and correlationId, as the engine's
 * request channel emits them (`request-completed`, with the topic-partition on the event and
 * a short note such as "acks=all" in the data).
 */
export function requestsFromEvents(events: readonly TraceEvent[], options: { apiKey?: string; topic?: string; requestsMax?: number } = {}): RequestLifecycleModel[] {
  const out: RequestLifecycleModel[] = [];
  for (const e of events) {
    if (!/request-(completed|done|finished)/.test(e.type) || !e.data) continue;
    const apiKey = typeof e.data['apiKey'] === 'string' ? e.data['apiKey'] : null;
    if (apiKey === null || (options.apiKey && apiKey !== options.apiKey)) continue;
    if (options.topic && e.topic !== options.topic) continue;
    const stagesMs: Partial<Record<RequestStage, number>> = {};
    for (const s of requestStages) {
      const v = e.data[metricKeys[s.stage]];
      if (typeof v === 'number') stagesMs[s.stage] = v;
    }
    const note = [e.topic === undefined ? null : `${e.topic}-${e.partition ?? 0}`, typeof e.data['note'] === 'string' ? e.data['note'] : null].filter((x) => x !== null).join(' · ');
    const model: RequestLifecycleModel = {
      apiKey,
      correlationId: Number(e.data['correlationId'] ?? e.seq),
      brokerId: e.node ?? -1,
      startMs: e.timeMs - Object.values(stagesMs).reduce((a, b) => a + b, 0),
      stagesMs,
      ...(note === '' ? {} : { note }),
    };
    out.push(typeof e.data['clientId'] === 'string' ? { ...model, clientId: e.data['clientId'] } : model);
  }
  return out.slice(-(options.requestsMax ?? 8));
}

const css = `
.kil-request .kil-stage{stroke:var(--kil-bg);stroke-width:1;transition:width .3s;}
.kil-request .kil-stage--requestQueue{fill:var(--kil-faint);}
.kil-request .kil-stage--local{fill:var(--kil-accent);}
.kil-request .kil-stage--remote{fill:var(--kil-warn);}
.kil-request .kil-stage--throttle{fill:var(--kil-bad);}
.kil-request .kil-stage--responseQueue{fill:var(--kil-txn);}
.kil-request .kil-stage--responseSend{fill:var(--kil-ok);}
.kil-request dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;font-size:12px;margin:6px 0 0;}
.kil-request dt{font-weight:600;}
.kil-request dd{margin:0;color:var(--kil-muted);}
`;

export interface RequestLifecycleViewProps {
  readonly requests: readonly RequestLifecycleModel[];
  readonly theme?: Theme;
}

const labelWidth = 170;
const barWidth = 480;
const rowHeight = 30;

function RequestRow({ r, y, scaleMs }: { r: RequestLifecycleModel; y: number; scaleMs: number }) {
  let x = labelWidth;
  const total = totalMs(r);
  return (
    <g transform={`translate(0,${y})`} data-testid={`request-${r.correlationId}`} data-api={r.apiKey} data-total-ms={total}>
      <text x={0} y={17} fontSize={12}>
        {r.apiKey} #{r.correlationId} → broker {r.brokerId}
      </text>
      {requestStages.map(({ stage, label }) => {
        const ms = r.stagesMs[stage] ?? 0;
        if (ms <= 0) return null;
        const w = Math.max(2, (ms / scaleMs) * barWidth);
        const seg = (
          <rect key={stage} className={`kil-stage kil-stage--${stage}`} data-stage={stage} x={x} y={4} width={w} height={18}>
            <title>{`${label}: ${formatMs(ms)}`}</title>
          </rect>
        );
        x += w;
        return seg;
      })}
      <text x={x + 6} y={17} fontSize={11} className="kil-muted">
        {formatMs(total)}
        {r.note ? ` · ${r.note}` : ''}
      </text>
    </g>
  );
}

export function RequestLifecycleView({ requests, theme }: RequestLifecycleViewProps) {
  const scaleMs = Math.max(1, ...requests.map(totalMs));
  const height = Math.max(1, requests.length) * rowHeight + 4;
  return (
    <ViewFrame testId="request-lifecycle-view" label="The life of a request inside a broker" theme={theme} styleId="request" css={css} className="kil-request">
      {requests.length === 0 ? <p className="kil-note">No requests yet: produce or consume something and watch it travel through the broker.</p> : null}
      <svg viewBox={`0 0 ${labelWidth + barWidth + 140} ${height}`} width="100%" role="img" aria-label={requests.map((r) => `${r.apiKey} request ${r.correlationId} took ${formatMs(totalMs(r))}`).join('; ') || 'No requests'}>
        {requests.map((r, i) => (
          <RequestRow key={`${r.brokerId}-${r.correlationId}`} r={r} y={i * rowHeight} scaleMs={scaleMs} />
        ))}
      </svg>
      <dl aria-label="Stages">
        {requestStages.map((s) => (
          <div key={s.stage} style={{ display: 'contents' }}>
            <dt>
              <svg width={10} height={10} aria-hidden="true">
                <rect className={`kil-stage kil-stage--${s.stage}`} width={10} height={10} />
              </svg>{' '}
              {s.label}
            </dt>
            <dd>{s.where}</dd>
          </div>
        ))}
      </dl>
    </ViewFrame>
  );
}
