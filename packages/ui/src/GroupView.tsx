/**
 * Consumer group view: the coordinator's group state (Empty, PreparingRebalance,
 * CompletingRebalance, Stable, Dead — Kafka's classic protocol), the generation, the members
 * and the partitions each owns. During a rebalance the eager protocol revokes every
 * partition first; the cooperative one (KIP-429) revokes only those that move, so
 * `GroupComparison` puts the two side by side.
 */
import type { TraceEvent } from '@kil/engine';
import { type Theme, ViewFrame } from './theme';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';
export const groupStates: readonly GroupState[] = ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'];

export interface GroupMemberModel {
  readonly memberId: string;
  readonly clientId?: string;
  /** Static membership (group.instance.id, KIP-345). */
  readonly groupInstanceId?: string | null;
  /** Partitions ("orders-0") the member consumes now. */
  readonly owned: readonly string[];
  /** Being given up in this rebalance. */
  readonly revoking?: readonly string[];
  /** Assigned but not yet owned: cooperative rebalancing hands them over in a second round. */
  readonly pending?: readonly string[];
}

export interface GroupModel {
  readonly groupId: string;
  readonly state: GroupState;
  readonly generationId: number;
  readonly rebalanceProtocol: 'eager' | 'cooperative';
  /** partition.assignment.strategy, e.g. range, roundrobin, sticky, cooperative-sticky. */
  readonly assignor: string;
  readonly leaderMemberId?: string | null;
  readonly coordinatorId?: number | null;
  readonly members: readonly GroupMemberModel[];
  /** Partitions of the subscribed topics that nobody consumes right now. */
  readonly unowned?: readonly string[];
}

type MutableMember = { memberId: string; clientId?: string; groupInstanceId?: string | null; owned: string[]; revoking: string[]; pending: string[] };

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** States the group coordinator's events imply (they name the transition, not always the state). */
const stateAfter: Readonly<Record<string, GroupState>> = {
  'group-rebalance-started': 'PreparingRebalance',
  'group-join-completed': 'CompletingRebalance',
  'group-assignment-completed': 'Stable',
  'group-static-rejoin-no-rebalance': 'Stable',
  'group-deleted': 'Dead',
};

type Folding = { model: Omit<GroupModel, 'members'>; members: Map<string, MutableMember> };

function applyGroupEvent(g: Folding, e: TraceEvent): void {
  const d = e.data ?? {};
  const state = str(d['state']) ?? stateAfter[e.type] ?? null;
  if (state && (groupStates as readonly string[]).includes(state)) g.model = { ...g.model, state: state as GroupState };
  if (typeof d['generationId'] === 'number') g.model = { ...g.model, generationId: d['generationId'] };
  const assignor = str(d['assignor']) ?? str(d['protocolName']);
  if (assignor) g.model = { ...g.model, assignor, rebalanceProtocol: assignor.startsWith('cooperative') ? 'cooperative' : 'eager' };
  if (str(d['leaderId'])) g.model = { ...g.model, leaderMemberId: str(d['leaderId']) };
  if (e.type === 'group-join-completed' && e.node !== undefined) g.model = { ...g.model, coordinatorId: e.node };
  const memberId = str(d['memberId']);
  if (/member-(joined|added)/.test(e.type) && memberId) g.members.set(memberId, { memberId, ...(str(d['clientId']) ? { clientId: str(d['clientId'])! } : {}), groupInstanceId: str(d['groupInstanceId']), owned: [], revoking: [], pending: [] });
  if (/member-(left|removed|expired)/.test(e.type) && memberId) g.members.delete(memberId);
  if (e.type === 'group-static-member-replaced') replaceMember(g, str(d['oldMemberId']), str(d['newMemberId']));
  // A completed join lists exactly the members of the new generation.
  if (e.type === 'group-join-completed' && Array.isArray(d['members'])) {
    const ids = strList(d['members']);
    for (const id of [...g.members.keys()]) if (!ids.includes(id)) g.members.delete(id);
    for (const id of ids) if (!g.members.has(id)) g.members.set(id, { memberId: id, owned: [], revoking: [], pending: [] });
  }
  if (/revoked|revoking/.test(e.type) && memberId) {
    const m = g.members.get(memberId);
    const parts = strList(d['partitions']);
    if (m) Object.assign(m, { owned: m.owned.filter((p) => !parts.includes(p)), revoking: parts });
  }
  const assignment = d['assignment'];
  if (/assign|sync/.test(e.type) && assignment && typeof assignment === 'object') {
    for (const [id, parts] of Object.entries(assignment as Record<string, unknown>)) {
      const m = g.members.get(id);
      if (m) Object.assign(m, { owned: strList(parts), revoking: [], pending: [] });
    }
  }
}

function replaceMember(g: Folding, oldId: string | null, newId: string | null): void {
  if (!oldId || !newId) return;
  const old = g.members.get(oldId);
  g.members.delete(oldId);
  g.members.set(newId, { ...(old ?? { owned: [], revoking: [], pending: [] }), memberId: newId });
}

/**
 * The lab's built-in consumers report their own partitions (`consumer-partitions-assigned`,
 * `-revoked`, `-lost`, data.client and data.partitions "orders-0, orders-1"). Kafka's member
 * ids start with the client id, which ties a consumer to its member.
 */
function applyConsumerEvent(g: Folding, e: TraceEvent): void {
  const client = str(e.data?.['client']);
  const m = client === null ? undefined : [...g.members.values()].find((x) => x.memberId.startsWith(`${client}-`));
  if (!m) return;
  const raw = e.data?.['partitions'];
  const parts = typeof raw === 'string' ? raw.split(',').map((p) => p.trim()).filter((p) => p !== '') : strList(raw);
  if (e.type === 'consumer-partitions-assigned') Object.assign(m, { owned: [...new Set([...m.owned, ...parts])], pending: m.pending.filter((p) => !parts.includes(p)), revoking: [] });
  else if (e.type === 'consumer-partitions-revoked') Object.assign(m, { owned: m.owned.filter((p) => !parts.includes(p)), revoking: parts });
  else if (e.type === 'consumer-partitions-lost') Object.assign(m, { owned: [], revoking: [] });
}

/**
 * Folds group events (data.groupId = the group) into a model. It reads data.state (or the
 * state a coordinator event implies: rebalance started, join completed, assignment
 * completed), data.generationId, data.assignor or data.protocolName, data.leaderId, the
 * members of each completed join (data.members), member joined/removed/replaced, revoked
 * partitions (data.memberId, data.partitions), assignments (data.assignment: memberId ->
 * ["orders-0", ...]), and the built-in consumers' own partition events.
 */
export function groupModelFromEvents(events: readonly TraceEvent[], groupId: string): GroupModel | null {
  const g: Folding = { model: { groupId, state: 'Empty' as GroupState, generationId: 0, rebalanceProtocol: 'eager' as const, assignor: 'range' }, members: new Map<string, MutableMember>() };
  let seen = false;
  for (const e of events) {
    if (e.data?.['groupId'] === groupId) {
      seen = true;
      applyGroupEvent(g, e);
    } else if (seen && e.type.startsWith('consumer-partitions-')) {
      applyConsumerEvent(g, e);
    }
  }
  return seen ? { ...g.model, members: [...g.members.values()] } : null;
}

const css = `
.kil-group .kil-states{display:flex;gap:4px;flex-wrap:wrap;margin:4px 0 8px;padding:0;list-style:none;}
.kil-group .kil-states li{font-size:11px;padding:1px 6px;border-radius:10px;border:1px solid var(--kil-border);color:var(--kil-muted);transition:background .3s,color .3s;}
.kil-group .kil-states li[aria-current="step"]{background:var(--kil-accent);border-color:var(--kil-accent);color:var(--kil-on-accent);}
.kil-group .kil-members{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;list-style:none;margin:0;padding:0;}
.kil-group .kil-member{border:1px solid var(--kil-border);border-radius:6px;padding:6px;background:var(--kil-panel);}
.kil-group .kil-chip{display:inline-block;font-size:11px;margin:2px;padding:1px 5px;border-radius:4px;border:1px solid;transition:opacity .3s;}
.kil-group .kil-chip[data-status="owned"]{background:var(--kil-ok-soft);border-color:var(--kil-ok);}
.kil-group .kil-chip[data-status="revoking"]{background:var(--kil-bad-soft);border-color:var(--kil-bad);text-decoration:line-through;}
.kil-group .kil-chip[data-status="pending"]{background:var(--kil-warn-soft);border-color:var(--kil-warn);border-style:dashed;}
.kil-group .kil-chip[data-status="unowned"]{border-color:var(--kil-faint);color:var(--kil-muted);}
.kil-group .kil-side{display:grid;grid-template-columns:1fr 1fr;gap:12px;}
`;

function Chips({ parts, status }: { parts: readonly string[] | undefined; status: 'owned' | 'revoking' | 'pending' | 'unowned' }) {
  return (
    <>
      {(parts ?? []).map((p) => (
        <span key={`${status}-${p}`} className="kil-chip" data-status={status} data-tp={p} title={`${p}: ${status}`}>
          {p}
        </span>
      ))}
    </>
  );
}

export interface GroupViewProps {
  readonly model: GroupModel | null;
  readonly theme?: Theme;
  /** Heading override, e.g. "eager (range)". */
  readonly title?: string;
}

export function GroupView({ model, theme, title }: GroupViewProps) {
  if (!model) {
    return (
      <ViewFrame testId="group-view" label="Consumer group" theme={theme} styleId="group" css={css} className="kil-group">
        <p className="kil-note">No group yet: start consumers with clients consumers --group G --topic T --count 3.</p>
      </ViewFrame>
    );
  }
  return (
    <ViewFrame testId="group-view" label={`Consumer group ${model.groupId}`} theme={theme} styleId="group" css={css} className="kil-group" extra={{ 'data-state': model.state, 'data-generation': model.generationId, 'data-protocol': model.rebalanceProtocol }}>
      <p className="kil-title">
        {title ?? `group ${model.groupId}`} · generation {model.generationId} · {model.assignor} ({model.rebalanceProtocol}){model.coordinatorId != null ? ` · coordinator broker ${model.coordinatorId}` : ''}
      </p>
      <ol className="kil-states" aria-label="Group state">
        {groupStates.map((s) => (
          <li key={s} aria-current={s === model.state ? 'step' : undefined}>
            {s}
          </li>
        ))}
      </ol>
      <ul className="kil-members" aria-label="Members">
        {model.members.map((m) => (
          <li key={m.memberId} className="kil-member" data-member={m.memberId}>
            <div>
              <strong>{m.clientId ?? m.memberId}</strong>
              {m.memberId === model.leaderMemberId ? ' · leader' : ''}
              {m.groupInstanceId ? ` · static ${m.groupInstanceId}` : ''}
            </div>
            <Chips parts={m.owned} status="owned" />
            <Chips parts={m.revoking} status="revoking" />
            <Chips parts={m.pending} status="pending" />
            {m.owned.length + (m.revoking?.length ?? 0) + (m.pending?.length ?? 0) === 0 ? <span className="kil-muted"> no partitions</span> : null}
          </li>
        ))}
      </ul>
      {model.unowned && model.unowned.length > 0 ? (
        <p className="kil-note" data-testid="group-unowned">
          Not consumed right now: <Chips parts={model.unowned} status="unowned" />
        </p>
      ) : null}
    </ViewFrame>
  );
}

/** Eager and cooperative rebalancing of the same change, side by side. */
export function GroupComparison({ eager, cooperative, theme }: { eager: GroupModel | null; cooperative: GroupModel | null; theme?: Theme }) {
  const paused = (m: GroupModel | null) => (m ? m.members.reduce((n, x) => n + (x.revoking?.length ?? 0) + (x.pending?.length ?? 0), 0) + (m.unowned?.length ?? 0) : 0);
  return (
    <ViewFrame testId="group-comparison" label="Eager versus cooperative rebalancing" theme={theme} styleId="group" css={css} className="kil-group">
      <div className="kil-side">
        <div data-testid="group-eager">
          <GroupView model={eager} theme={theme} title="eager" />
          <p className="kil-note">{paused(eager)} partition(s) paused: every member gives up everything, then waits for the new assignment.</p>
        </div>
        <div data-testid="group-cooperative">
          <GroupView model={cooperative} theme={theme} title="cooperative (KIP-429)" />
          <p className="kil-note">{paused(cooperative)} partition(s) paused: only the partitions that move are revoked; the rest keep flowing.</p>
        </div>
      </div>
    </ViewFrame>
  );
}
