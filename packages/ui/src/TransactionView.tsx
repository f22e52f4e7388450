/**
 * Transaction view: one transactional producer as its transaction coordinator sees it
 * (KIP-98 states: Empty, Ongoing, PrepareCommit/PrepareAbort, CompleteCommit/CompleteAbort,
 * plus PrepareEpochFence and Dead), the partitions in the transaction with whether the
 * COMMIT or ABORT marker has reached each, and each partition's LSO held back at the first
 * offset of the open transaction while its HW runs ahead (what read_committed consumers see).
 */
import type { TraceEvent } from '@kil/engine';
import { type Theme, ViewFrame } from './theme';

export type TransactionState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'PrepareEpochFence' | 'Dead';

/** The happy path drawn left to right; the abort states sit under their commit twins. */
const flow: readonly (readonly TransactionState[])[] = [['Empty'], ['Ongoing'], ['PrepareCommit', 'PrepareAbort'], ['CompleteCommit', 'CompleteAbort']];

export interface TxnPartitionModel {
  readonly topic: string;
  readonly partition: number;
  /** First offset this transaction wrote here; the LSO cannot pass it while the transaction is open. */
  readonly firstOffset: number | null;
  readonly marker: 'none' | 'commit' | 'abort';
  readonly lastStableOffset: number;
  readonly highWatermark: number;
}

export interface TransactionModel {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly state: TransactionState;
  readonly coordinatorId: number | null;
  /** transaction.timeout.ms */
  readonly timeoutMs?: number;
  readonly partitions: readonly TxnPartitionModel[];
}

/** The states a transaction has passed through to reach `state`, for highlighting. */
export function transactionPath(state: TransactionState): TransactionState[] {
  const path: TransactionState[] = ['Empty'];
  if (state === 'Empty' || state === 'Dead' || state === 'PrepareEpochFence') return state === 'Empty' ? path : [...path, 'Ongoing', state];
  path.push('Ongoing');
  if (state === 'Ongoing') return path;
  const abort = state.endsWith('Abort');
  path.push(abort ? 'PrepareAbort' : 'PrepareCommit');
  if (state.startsWith('Complete')) path.push(state);
  return path;
}

/**
 * Folds transaction events into a model. From the transaction coordinator (data.transactionalId
 * = the id): `txn-state-changed` (data.to, or data.state, plus producerId/producerEpoch; the
 * event's node is the coordinator) and `txn-partitions-added` (data.topics: [{name, partitions}]).
 * From the partition leaders, matched by the transaction's producer id: `txn-started-on-partition`
 * (data.firstOffset) and `txn-marker-written` (data.commit, or data.marker commit|abort).
 * LSO and HW per partition are left at the values the caller passes in `offsets`.
 */
export function transactionModelFromEvents(events: readonly TraceEvent[], transactionalId: string, offsets: (topic: string, partition: number) => { lastStableOffset: number; highWatermark: number } = () => ({ lastStableOffset: 0, highWatermark: 0 })): TransactionModel | null {
  let model: TransactionModel | null = null;
  const parts = new Map<string, { topic: string; partition: number; firstOffset: number | null; marker: TxnPartitionModel['marker'] }>();
  const partOf = (topic: string, partition: number) => {
    const key = `${topic}-${partition}`;
    const part = parts.get(key) ?? { topic, partition, firstOffset: null, marker: 'none' as const };
    parts.set(key, part);
    return part;
  };
  for (const e of events) {
    const d = e.data ?? {};
    const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null);
    if (d['transactionalId'] !== transactionalId) {
      // Partition leaders know the producer id, not the transactional id.
      if (model !== null && model.producerId >= 0 && num('producerId') === model.producerId) foldPartitionEvent(e, partOf);
      continue;
    }
    const before: TransactionModel = model ?? { transactionalId, producerId: -1, producerEpoch: -1, state: 'Empty', coordinatorId: null, partitions: [] };
    const named = typeof d['state'] === 'string' ? d['state'] : typeof d['to'] === 'string' ? d['to'] : null;
    const state = named !== null ? (named as TransactionState) : before.state;
    // A new transaction starts from Empty or a completed one: its partitions start afresh.
    if (state === 'Ongoing' && before.state !== 'Ongoing') parts.clear();
    const coordinatorId = num('coordinatorId') ?? (e.type === 'txn-state-changed' && e.node !== undefined ? e.node : null) ?? before.coordinatorId;
    model = { ...before, state, producerId: num('producerId') ?? before.producerId, producerEpoch: num('producerEpoch') ?? before.producerEpoch, coordinatorId };
    for (const t of Array.isArray(d['topics']) ? (d['topics'] as { name?: unknown; partitions?: unknown }[]) : []) {
      if (typeof t.name !== 'string' || !Array.isArray(t.partitions)) continue;
      for (const p of t.partitions) if (typeof p === 'number') partOf(t.name, p);
    }
    if (e.topic !== undefined && e.partition !== undefined) foldPartitionEvent(e, partOf);
  }
  return model ? { ...model, partitions: [...parts.values()].map((p) => ({ ...p, ...offsets(p.topic, p.partition) })) } : null;
}

type PartOf = (topic: string, partition: number) => { firstOffset: number | null; marker: TxnPartitionModel['marker'] };

function foldPartitionEvent(e: TraceEvent, partOf: PartOf): void {
  if (e.topic === undefined || e.partition === undefined) return;
  const d = e.data ?? {};
  const part = partOf(e.topic, e.partition);
  if (part.firstOffset === null && typeof d['firstOffset'] === 'number') part.firstOffset = d['firstOffset'];
  if (!/marker/.test(e.type)) return;
  if (d['marker'] === 'commit' || d['marker'] === 'abort') part.marker = d['marker'];
  else if (typeof d['commit'] === 'boolean') part.marker = d['commit'] ? 'commit' : 'abort';
}

const css = `
.kil-txn .kil-flow{display:flex;gap:6px;align-items:flex-start;flex-wrap:wrap;margin:6px 0;}
.kil-txn .kil-col{display:flex;flex-direction:column;gap:4px;}
.kil-txn .kil-state{font-size:12px;padding:2px 8px;border-radius:12px;border:1px solid var(--kil-border);color:var(--kil-muted);transition:background .3s;}
.kil-txn .kil-state[data-passed="true"]{border-color:var(--kil-txn);color:var(--kil-fg);}
.kil-txn .kil-state[aria-current="step"]{background:var(--kil-txn);border-color:var(--kil-txn);color:var(--kil-bg);}
.kil-txn .kil-arrow{color:var(--kil-faint);padding-top:2px;}
.kil-txn .kil-lso{fill:var(--kil-txn);}
.kil-txn .kil-bar{fill:var(--kil-panel);stroke:var(--kil-border);}
.kil-txn .kil-stable{fill:var(--kil-ok-soft);stroke:var(--kil-ok);transition:width .4s;}
.kil-txn .kil-open{fill:var(--kil-txn-soft);stroke:var(--kil-txn);transition:width .4s, x .4s;}
`;

function StateFlow({ state }: { state: TransactionState }) {
  const passed = transactionPath(state);
  return (
    <div className="kil-flow" role="list" aria-label="Transaction states">
      {flow.map((col, i) => (
        <div key={i} style={{ display: 'contents' }}>
          {i > 0 ? <span className="kil-arrow" aria-hidden="true">→</span> : null}
          <div className="kil-col">
            {col.map((s) => (
              <span key={s} role="listitem" className="kil-state" data-txn-state={s} data-passed={String(passed.includes(s))} aria-current={s === state ? 'step' : undefined}>
                {s}
              </span>
            ))}
          </div>
        </div>
      ))}
      {state === 'PrepareEpochFence' || state === 'Dead' ? (
        <span className="kil-state" role="listitem" aria-current="step" data-txn-state={state}>
          {state}
        </span>
      ) : null}
    </div>
  );
}

function PartitionBar({ p, y, maxOffset }: { p: TxnPartitionModel; y: number; maxOffset: number }) {
  const w = 300;
  const x = (o: number) => 150 + (o / Math.max(1, maxOffset)) * w;
  return (
    <g transform={`translate(0,${y})`} data-testid={`txn-partition-${p.topic}-${p.partition}`} data-marker={p.marker} data-lso={p.lastStableOffset}>
      <text x={0} y={15} fontSize={12}>
        {p.topic}-{p.partition}
      </text>
      <rect className="kil-bar" x={150} y={4} width={w} height={14} rx={3} />
      <rect className="kil-stable" x={150} y={4} width={x(p.lastStableOffset) - 150} height={14} rx={3} />
      {p.highWatermark > p.lastStableOffset ? <rect className="kil-open" x={x(p.lastStableOffset)} y={4} width={x(p.highWatermark) - x(p.lastStableOffset)} height={14} /> : null}
      <text x={x(maxOffset) + 8} y={15} fontSize={11} className="kil-muted">
        LSO {p.lastStableOffset} · HW {p.highWatermark} · {p.marker === 'none' ? 'no marker yet' : `${p.marker.toUpperCase()} marker written`}
      </text>
    </g>
  );
}

export function TransactionView({ model, theme }: { model: TransactionModel | null; theme?: Theme }) {
  if (!model) {
    return (
      <ViewFrame testId="transaction-view" label="Transaction" theme={theme} styleId="txn" css={css} className="kil-txn">
        <p className="kil-note">No transaction yet: start one with clients producer --topic T --rate 1 --transactional-id tx-1.</p>
      </ViewFrame>
    );
  }
  const maxOffset = Math.max(1, ...model.partitions.map((p) => p.highWatermark));
  return (
    <ViewFrame testId="transaction-view" label={`Transaction ${model.transactionalId}`} theme={theme} styleId="txn" css={css} className="kil-txn" extra={{ 'data-state': model.state }}>
      <p className="kil-title">
        transactional.id {model.transactionalId} · producerId {model.producerId} · epoch {model.producerEpoch}
        {model.coordinatorId !== null ? ` · coordinator broker ${model.coordinatorId}` : ''}
      </p>
      <StateFlow state={model.state} />
      <svg viewBox={`0 0 700 ${Math.max(1, model.partitions.length) * 24}`} width="100%" role="img" aria-label={`Partitions in the transaction: ${model.partitions.map((p) => `${p.topic}-${p.partition} LSO ${p.lastStableOffset}, HW ${p.highWatermark}, marker ${p.marker}`).join('; ') || 'none'}`}>
        {model.partitions.map((p, i) => (
          <PartitionBar key={`${p.topic}-${p.partition}`} p={p} y={i * 24} maxOffset={maxOffset} />
        ))}
      </svg>
      <p className="kil-note">read_committed consumers read only below the LSO; records between the LSO and the HW belong to a transaction that has not finished yet.</p>
    </ViewFrame>
  );
}
