/**
 * Mirroring view: two clusters and the topics MirrorMaker 2 copies from one to the other
 * (KIP-382). With the DefaultReplicationPolicy the copy of `orders` from a cluster aliased
 * `us` is called `us.orders` on the target (IdentityReplicationPolicy keeps the name).
 * A Cluster Linking-style mirror topic keeps the name (like the identity policy) and the
 * offsets. Lag here is counted in records: records committed on the source (HW minus log
 * start) that the target copy does not have yet.
 */
import { useId } from 'react';
import type { ClusterSnapshot, TopicSnapshot } from '@kil/engine';
import { type Theme, ViewFrame } from './theme';

export interface MirrorPartitionModel {
  readonly partition: number;
  readonly sourceRecords: number;
  readonly targetRecords: number;
  readonly lagRecords: number;
}

export interface MirrorTopicModel {
  readonly sourceTopic: string;
  readonly targetTopic: string;
  /** False until the target cluster has the mirrored topic. */
  readonly targetExists: boolean;
  readonly partitions: readonly MirrorPartitionModel[];
}

export interface MirroringModel {
  readonly sourceAlias: string;
  readonly targetAlias: string;
  readonly topics: readonly MirrorTopicModel[];
}

export interface MirroringOptions {
  readonly sourceAlias: string;
  readonly targetAlias: string;
  /** Source topics to mirror (MM2's `topics`), default every non-internal topic. */
  readonly topics?: readonly string[];
  readonly replicationPolicy?: 'default' | 'identity';
}

/** A geo lab's second region and its mirror flows, as the lab's snapshot message carries them. */
export interface GeoMirrors {
  readonly primaryAlias: string;
  readonly alias: string;
  readonly snapshot: ClusterSnapshot;
  readonly mirrors: readonly {
    readonly mode: 'mm2' | 'link';
    readonly source: string;
    readonly target: string;
    readonly topics: readonly { readonly sourceTopic: string; readonly targetTopic: string }[];
  }[];
}

/**
 * One model per mirror flow of a two-cluster lab (MirrorMaker 2 renames, a mirror topic
 * keeps names); with no flow yet, what a MirrorMaker 2 flow from the primary would copy.
 */
export function mirroringModelsFromGeo(primary: ClusterSnapshot, geo: GeoMirrors): MirroringModel[] {
  const byAlias = new Map([[geo.primaryAlias, primary], [geo.alias, geo.snapshot]]);
  if (geo.mirrors.length === 0) return [mirroringModelFromSnapshots(primary, geo.snapshot, { sourceAlias: geo.primaryAlias, targetAlias: geo.alias })];
  return geo.mirrors.map((flow) =>
    mirroringModelFromSnapshots(byAlias.get(flow.source) ?? primary, byAlias.get(flow.target) ?? geo.snapshot, {
      sourceAlias: flow.source,
      targetAlias: flow.target,
      topics: flow.topics.map((t) => t.sourceTopic),
      replicationPolicy: flow.mode === 'link' ? 'identity' : 'default',
    }),
  );
}

const committed = (p: { highWatermark: number; logStartOffset: number }) => Math.max(0, p.highWatermark - p.logStartOffset);

export function mirroringModelFromSnapshots(source: ClusterSnapshot, target: ClusterSnapshot, o: MirroringOptions): MirroringModel {
  const picked = source.topics.filter((t) => (o.topics ? o.topics.includes(t.name) : !t.internal));
  const topics = picked.map((t: TopicSnapshot): MirrorTopicModel => {
    const targetTopic = o.replicationPolicy === 'identity' ? t.name : `${o.sourceAlias}.${t.name}`;
    const copy = target.topics.find((x) => x.name === targetTopic);
    return {
      sourceTopic: t.name,
      targetTopic,
      targetExists: copy !== undefined,
      partitions: t.partitions.map((p) => {
        const q = copy?.partitions.find((x) => x.partition === p.partition);
        const sourceRecords = committed(p);
        const targetRecords = q ? committed(q) : 0;
        return { partition: p.partition, sourceRecords, targetRecords, lagRecords: Math.max(0, sourceRecords - targetRecords) };
      }),
    };
  });
  return { sourceAlias: o.sourceAlias, targetAlias: o.targetAlias, topics };
}

const css = `
.kil-mirror .kil-cluster-box{fill:var(--kil-panel);stroke:var(--kil-border);}
.kil-mirror .kil-flow{stroke:var(--kil-accent);stroke-width:1.5;fill:none;}
.kil-mirror [data-lag="true"] .kil-flow{stroke:var(--kil-warn);stroke-dasharray:5 3;animation:kil-flow 1s linear infinite;}
@keyframes kil-flow{to{stroke-dashoffset:-8;}}
.kil-mirror .kil-arrow-head{fill:var(--kil-accent);}
`;

const rowHeight = 20;

export function MirroringView({ model, theme }: { model: MirroringModel; theme?: Theme }) {
  const rows = model.topics.flatMap((t) => t.partitions.map((p) => ({ t, p })));
  const height = 40 + Math.max(1, rows.length) * rowHeight;
  // Several mirroring views may share a page, so the arrow marker needs a unique id.
  const arrowId = `kil-arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  return (
    <ViewFrame testId="mirroring-view" label={`Mirroring from ${model.sourceAlias} to ${model.targetAlias}`} theme={theme} styleId="mirror" css={css} className="kil-mirror">
      {rows.length === 0 ? <p className="kil-note">No topics to mirror yet.</p> : null}
      <svg viewBox={`0 0 720 ${height}`} width="100%" role="img" aria-label={model.topics.map((t) => `${t.sourceTopic} → ${t.targetTopic}: ${t.partitions.reduce((n, p) => n + p.lagRecords, 0)} records behind`).join('; ') || 'Nothing mirrored'}>
        <defs>
          <marker id={arrowId} viewBox="0 0 10 10" refX={9} refY={5} markerWidth={6} markerHeight={6} orient="auto">
            <path className="kil-arrow-head" d="M0,0 L10,5 L0,10 z" />
          </marker>
        </defs>
        <rect className="kil-cluster-box" x={0} y={0} width={250} height={height} rx={8} />
        <rect className="kil-cluster-box" x={470} y={0} width={250} height={height} rx={8} />
        <text x={12} y={22} fontSize={13} fontWeight={600}>
          source: {model.sourceAlias}
        </text>
        <text x={482} y={22} fontSize={13} fontWeight={600}>
          target: {model.targetAlias}
        </text>
        {rows.map(({ t, p }, i) => {
          const y = 40 + i * rowHeight;
          return (
            <g key={`${t.sourceTopic}-${p.partition}`} data-mirror={`${t.sourceTopic}-${p.partition}`} data-lag={String(p.lagRecords > 0)} data-lag-records={p.lagRecords}>
              <text x={12} y={y + 4} fontSize={12}>
                {t.sourceTopic}-{p.partition} · {p.sourceRecords} records
              </text>
              <path className="kil-flow" d={`M255,${y} H465`} markerEnd={`url(#${arrowId})`} />
              <text x={360} y={y - 3} fontSize={10} textAnchor="middle" className="kil-muted">
                {p.lagRecords > 0 ? `${p.lagRecords} behind` : 'in sync'}
              </text>
              <text x={482} y={y + 4} fontSize={12} className={t.targetExists ? undefined : 'kil-muted'}>
                {t.targetTopic}-{p.partition} · {t.targetExists ? `${p.targetRecords} records` : 'not created yet'}
              </text>
            </g>
          );
        })}
      </svg>
    </ViewFrame>
  );
}
