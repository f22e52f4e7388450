/**
 * Reassignment view (KIP-455): while a partition moves, its replica set is the union of the
 * old and the target replicas; the adding replicas copy the log from the leader and, once
 * every one of them is in the ISR, the controller drops the removing replicas (electing a
 * new leader first if the leader is among them). Progress of a new replica is its LEO
 * against the leader's.
 */
import type { ClusterSnapshot, PartitionSnapshot } from '@kil/engine';
import { type Theme, ViewFrame } from './theme';

export type ReassignmentPhase = 'copying' | 'completing' | 'done';

export interface ReassignmentReplicaModel {
  readonly brokerId: number;
  readonly change: 'adding' | 'removing' | 'keeping';
  readonly logEndOffset: number;
  readonly inIsr: boolean;
  readonly leader: boolean;
}

export interface ReassignmentModel {
  readonly topic: string;
  readonly partition: number;
  readonly phase: ReassignmentPhase;
  readonly targetReplicas: readonly number[];
  readonly leaderLogEndOffset: number;
  readonly replicas: readonly ReassignmentReplicaModel[];
}

export function reassignmentModel(p: PartitionSnapshot): ReassignmentModel {
  const states = new Map(p.replicaStates.map((r) => [r.brokerId, r]));
  const leaderLogEndOffset = states.get(p.leader)?.logEndOffset ?? p.logEndOffset;
  const replicas = p.replicas.map((id): ReassignmentReplicaModel => ({
    brokerId: id,
    change: p.addingReplicas.includes(id) ? 'adding' : p.removingReplicas.includes(id) ? 'removing' : 'keeping',
    logEndOffset: states.get(id)?.logEndOffset ?? 0,
    inIsr: p.isr.includes(id),
    leader: p.leader === id,
  }));
  const copying = replicas.some((r) => r.change === 'adding' && !r.inIsr);
  const phase: ReassignmentPhase = copying ? 'copying' : p.removingReplicas.length > 0 || p.addingReplicas.length > 0 ? 'completing' : 'done';
  return { topic: p.topic, partition: p.partition, phase, targetReplicas: p.replicas.filter((id) => !p.removingReplicas.includes(id)), leaderLogEndOffset, replicas };
}

/** Every partition of the snapshot with a reassignment in flight. */
export function reassignmentsFromSnapshot(snapshot: ClusterSnapshot, topic?: string): ReassignmentModel[] {
  return snapshot.topics
    .filter((t) => topic === undefined || t.name === topic)
    .flatMap((t) => t.partitions)
    .filter((p) => p.addingReplicas.length > 0 || p.removingReplicas.length > 0)
    .map(reassignmentModel);
}

const css = `
.kil-reassign .kil-bar{fill:var(--kil-panel);stroke:var(--kil-border);}
.kil-reassign .kil-progress{transition:width .4s ease;}
.kil-reassign [data-change="adding"] .kil-progress{fill:var(--kil-accent);}
.kil-reassign [data-change="keeping"] .kil-progress{fill:var(--kil-ok);}
.kil-reassign [data-change="removing"] .kil-progress{fill:var(--kil-faint);}
.kil-reassign [data-change="removing"]{opacity:.75;}
`;

function ReplicaLine({ r, leo, y }: { r: ReassignmentReplicaModel; leo: number; y: number }) {
  const fraction = leo <= 0 ? 1 : Math.min(1, r.logEndOffset / leo);
  const tags = [r.leader ? 'leader' : null, r.change, r.inIsr ? 'in ISR' : 'not in ISR'].filter(Boolean).join(' · ');
  return (
    <g transform={`translate(0,${y})`} data-testid={`reassign-replica-${r.brokerId}`} data-change={r.change} data-progress={fraction.toFixed(2)}>
      <text x={0} y={14} fontSize={12}>
        broker {r.brokerId}
      </text>
      <rect className="kil-bar" x={80} y={3} width={240} height={14} rx={3} />
      <rect className="kil-progress" x={80} y={3} width={240 * fraction} height={14} rx={3} />
      <text x={330} y={14} fontSize={11} className="kil-muted">
        {r.logEndOffset}/{leo} · {tags}
      </text>
    </g>
  );
}

const phaseText: Record<ReassignmentPhase, string> = {
  copying: 'copying: new replicas fetch the log from the leader',
  completing: 'all new replicas are in the ISR: the controller drops the old ones',
  done: 'done',
};

export function ReassignmentView({ models, theme }: { models: readonly ReassignmentModel[]; theme?: Theme }) {
  return (
    <ViewFrame testId="reassignment-view" label="Partition reassignments" theme={theme} styleId="reassign" css={css} className="kil-reassign">
      {models.length === 0 ? <p className="kil-note">No reassignment in progress: start one with kafka-reassign-partitions --execute.</p> : null}
      {models.map((m) => (
        <div key={`${m.topic}-${m.partition}`} data-reassignment={`${m.topic}-${m.partition}`} data-phase={m.phase}>
          <p className="kil-title">
            {m.topic}-{m.partition} → [{m.targetReplicas.join(', ')}] · {phaseText[m.phase]}
          </p>
          <svg viewBox={`0 0 600 ${m.replicas.length * 22}`} width="100%" style={{ maxWidth: 750 }} role="img" aria-label={`${m.topic}-${m.partition} moving to brokers ${m.targetReplicas.join(', ')}: ${phaseText[m.phase]}`}>
            {m.replicas.map((r, i) => (
              <ReplicaLine key={r.brokerId} r={r} leo={m.leaderLogEndOffset} y={i * 22} />
            ))}
          </svg>
        </div>
      ))}
    </ViewFrame>
  );
}
