/**
 * Controller failover (or controlled shutdown) time against partition count, ZooKeeper-era
 * controller versus KRaft, from the engine's comparison model. The x axis is logarithmic,
 * because the counts span 1,000 to 200,000 and beyond; the y axis is linear, so that the
 * ZooKeeper line's growth with partitions reads as what it is. A table carries the same
 * numbers for screen readers, and the two metadata paths sit underneath.
 */
import type { ControllerComparison, ModeOutcome } from '@kil/engine';
import { type Theme, ViewFrame } from './theme';

export interface ControllerComparisonViewProps {
  readonly comparison: ControllerComparison;
  readonly theme?: Theme;
}

export interface ControllerChartPoint {
  readonly series: 'zookeeper' | 'kraft';
  readonly partitions: number;
  readonly ms: number;
  readonly x: number;
  readonly y: number;
}

export interface ControllerChartModel {
  readonly points: readonly ControllerChartPoint[];
  readonly xTicks: readonly { readonly partitions: number; readonly x: number }[];
  readonly yTicks: readonly { readonly ms: number; readonly y: number }[];
  readonly yMaxMs: number;
}

const WIDTH = 720;
const HEIGHT = 320;
const PLOT = { left: 70, right: 700, top: 20, bottom: 260 } as const;

/** A round top for the y axis: 1, 2 or 5 times a power of ten, at or above `ms`. */
export function niceCeilingMs(ms: number): number {
  if (ms <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(ms));
  const step = [1, 2, 5, 10].find((m) => m * power >= ms) ?? 10;
  return step * power;
}

/** Positions on a log10 x axis spanning the partition counts and a linear y axis from 0. */
export function controllerChartModel(comparison: ControllerComparison): ControllerChartModel {
  const counts = comparison.rows.map((r) => r.partitions);
  // Half a decade of margin keeps the end points off the axes; an empty table still gets a scale.
  const lowLog = Math.log10(counts.length > 0 ? Math.min(...counts) : 1) - 0.15;
  const highLog = Math.log10(counts.length > 0 ? Math.max(...counts) : 10) + 0.15;
  const xOf = (n: number): number => PLOT.left + ((Math.log10(n) - lowLog) / (highLog - lowLog)) * (PLOT.right - PLOT.left);
  const yMaxMs = niceCeilingMs(Math.max(0, ...comparison.rows.map((r) => Math.max(r.zookeeper.totalMs, r.kraft.totalMs))));
  const yOf = (ms: number): number => PLOT.bottom - (ms / yMaxMs) * (PLOT.bottom - PLOT.top);
  const points = comparison.rows.flatMap((r) =>
    (['zookeeper', 'kraft'] as const).map((series): ControllerChartPoint => ({ series, partitions: r.partitions, ms: r[series].totalMs, x: xOf(r.partitions), y: yOf(r[series].totalMs) })),
  );
  const xTicks = counts.map((partitions) => ({ partitions, x: xOf(partitions) }));
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ ms: f * yMaxMs, y: yOf(f * yMaxMs) }));
  return { points, xTicks, yTicks, yMaxMs };
}

/** 1,000 → "1k", 200,000 → "200k", 2,000,000 → "2M". */
export function compactCount(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1000) return `${+(n / 1000).toFixed(1)}k`;
  return String(n);
}

/** Virtual time as people read it: 49 ms, 2.05 s, 53.7 s, 6.3 min. */
export function durationLabel(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

const css = `
.kil-ctl .kil-axis{stroke:var(--kil-muted);}
.kil-ctl .kil-grid{stroke:var(--kil-border);stroke-dasharray:2 3;}
.kil-ctl [data-series="zookeeper"]{stroke:var(--kil-warn);fill:var(--kil-warn);}
.kil-ctl [data-series="kraft"]{stroke:var(--kil-accent);fill:var(--kil-accent);}
.kil-ctl polyline{fill:none;stroke-width:2.5;}
.kil-ctl table{border-collapse:collapse;font-size:13px;margin-top:8px;}
.kil-ctl caption{text-align:left;font-weight:600;margin-bottom:4px;}
.kil-ctl th,.kil-ctl td{border:1px solid var(--kil-border);padding:3px 6px;text-align:right;font-variant-numeric:tabular-nums;}
.kil-ctl th[scope="col"]{background:var(--kil-panel);}
.kil-ctl .kil-paths{display:flex;flex-wrap:wrap;gap:16px;font-size:12px;}
.kil-ctl .kil-paths ol{margin:4px 0;padding-left:18px;}
`;

const SERIES = [
  { series: 'zookeeper', name: 'ZooKeeper-era controller' },
  { series: 'kraft', name: 'KRaft' },
] as const;

export function ControllerComparisonView({ comparison, theme }: ControllerComparisonViewProps) {
  const chart = controllerChartModel(comparison);
  const what = comparison.scenario === 'failover' ? `Controller failover after ${comparison.failure === 'crash' ? 'a crash' : 'a clean stop'}` : 'Controlled shutdown of one broker';
  const largest = comparison.rows.at(-1);
  const summary = largest ? `${what}: at ${largest.partitions} partitions ZooKeeper mode takes ${durationLabel(largest.zookeeper.totalMs)}, KRaft ${durationLabel(largest.kraft.totalMs)}` : what;
  return (
    <ViewFrame testId="controller-comparison-view" label={`${what}: ZooKeeper versus KRaft`} theme={theme} styleId="controller-comparison" css={css} className="kil-ctl">
      <p className="kil-title">{what}: time against partition count (model, virtual time)</p>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={summary}>
        <Axes chart={chart} />
        {SERIES.map(({ series, name }) => {
          const points = chart.points.filter((p) => p.series === series);
          return (
            <g key={series} data-series={series} aria-label={name}>
              <polyline data-series={series} points={points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')} />
              {points.map((p) => (
                <circle key={p.partitions} data-series={series} data-partitions={p.partitions} data-ms={p.ms} cx={p.x} cy={p.y} r={4}>
                  <title>{`${name}, ${p.partitions} partitions: ${durationLabel(p.ms)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
        <Legend />
      </svg>
      <ComparisonTable comparison={comparison} caption={`${what}, ZooKeeper versus KRaft (model, virtual time)`} />
      {largest ? <Paths zookeeper={largest.zookeeper} kraft={largest.kraft} /> : null}
    </ViewFrame>
  );
}

function Axes({ chart }: { chart: ControllerChartModel }) {
  return (
    <g aria-hidden="true">
      <line className="kil-axis" x1={PLOT.left} y1={PLOT.bottom} x2={PLOT.right} y2={PLOT.bottom} />
      <line className="kil-axis" x1={PLOT.left} y1={PLOT.top} x2={PLOT.left} y2={PLOT.bottom} />
      {chart.yTicks.map((t) => (
        <g key={t.ms} data-y-tick={t.ms}>
          <line className="kil-grid" x1={PLOT.left} y1={t.y} x2={PLOT.right} y2={t.y} />
          <text x={PLOT.left - 6} y={t.y + 4} fontSize={11} textAnchor="end" className="kil-muted">
            {durationLabel(t.ms)}
          </text>
        </g>
      ))}
      {chart.xTicks.map((t) => (
        <g key={t.partitions} data-x-tick={t.partitions}>
          <line className="kil-axis" x1={t.x} y1={PLOT.bottom} x2={t.x} y2={PLOT.bottom + 5} />
          <text x={t.x} y={PLOT.bottom + 18} fontSize={11} textAnchor="middle" className="kil-muted">
            {compactCount(t.partitions)}
          </text>
        </g>
      ))}
      <text x={(PLOT.left + PLOT.right) / 2} y={HEIGHT - 14} fontSize={12} textAnchor="middle">
        partitions in the cluster (log scale)
      </text>
      <text x={16} y={(PLOT.top + PLOT.bottom) / 2} fontSize={12} textAnchor="middle" transform={`rotate(-90 16 ${(PLOT.top + PLOT.bottom) / 2})`}>
        time (virtual)
      </text>
    </g>
  );
}

function Legend() {
  return (
    <g aria-hidden="true">
      {SERIES.map(({ series, name }, i) => (
        <g key={series} transform={`translate(${PLOT.left + 16},${PLOT.top + 8 + i * 18})`}>
          <line data-series={series} x1={0} y1={0} x2={18} y2={0} strokeWidth={3} />
          <text x={24} y={4} fontSize={12}>
            {name}
          </text>
        </g>
      ))}
    </g>
  );
}

function ComparisonTable({ comparison, caption }: { comparison: ControllerComparison; caption: string }) {
  return (
    <table data-testid="controller-comparison-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Partitions</th>
          <th scope="col">ZooKeeper mode</th>
          <th scope="col">KRaft</th>
          <th scope="col">Ratio</th>
        </tr>
      </thead>
      <tbody>
        {comparison.rows.map((r) => (
          <tr key={r.partitions} data-row={r.partitions}>
            <th scope="row">{r.partitions.toLocaleString('en-US')}</th>
            <td>{durationLabel(r.zookeeper.totalMs)}</td>
            <td>{durationLabel(r.kraft.totalMs)}</td>
            <td>{`${r.ratio.toFixed(1)}×`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Paths({ zookeeper, kraft }: { zookeeper: ModeOutcome; kraft: ModeOutcome }) {
  return (
    <div className="kil-paths">
      {[zookeeper, kraft].map((outcome) => (
        <section key={outcome.mode} data-path={outcome.mode} aria-label={`${outcome.mode === 'zookeeper' ? 'ZooKeeper mode' : 'KRaft'} metadata path`}>
          <p className="kil-note">
            {outcome.mode === 'zookeeper' ? 'ZooKeeper mode' : 'KRaft'} at {outcome.partitions.toLocaleString('en-US')} partitions — {outcome.systems.join(' + ')}
          </p>
          <ol>
            {outcome.path.map((s) => (
              <li key={`${s.from}-${s.message}`} data-style={s.style}>
                {`${s.from} → ${s.to}: ${s.message} (${s.style}, × ${s.count.toLocaleString('en-US')})`}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
