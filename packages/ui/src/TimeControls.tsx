/**
 * Time controls for the lab: pause and resume, speed, single step, and a scrubber over the
 * trace. Seeking hands an event's seq to the host, which rebuilds that moment by replaying
 * the run deterministically; the controls themselves keep no time. Every control is a native
 * button, select or range input, so keyboard use (Tab, arrows, Home/End) comes for free.
 */
import type { TraceEvent } from '@kil/engine';
import { eventHeadline } from './event-format';
import { formatMs, type Theme, ViewFrame } from './theme';

export interface TimeControlsProps {
  readonly events: readonly TraceEvent[];
  /** The event the pictures show; null or absent: live (the latest). */
  readonly currentSeq?: number | null;
  readonly paused: boolean;
  readonly speed: number;
  readonly speeds?: readonly number[];
  readonly stepMs?: number;
  readonly onPause?: () => void;
  readonly onResume?: () => void;
  readonly onSpeed?: (speed: number) => void;
  readonly onStep?: (ms: number) => void;
  readonly onSeek?: (seq: number) => void;
  /** Leave the past and follow the live cluster again. */
  readonly onLive?: () => void;
  /** A link that reopens this moment (seed, inputs and seq), offered for sharing. */
  readonly permalink?: string;
  readonly theme?: Theme;
}

const css = `
.kil-time{display:flex;flex-direction:column;gap:6px;}
.kil-time .kil-row{display:flex;gap:8px;align-items:center;flex-wrap:wrap;font-size:13px;}
.kil-time button,.kil-time select{font:inherit;font-size:13px;color:inherit;background:var(--kil-bg);border:1px solid var(--kil-border);border-radius:4px;padding:2px 8px;cursor:pointer;}
.kil-time button:disabled{opacity:.5;cursor:default;}
.kil-time input[type=range]{width:100%;accent-color:var(--kil-accent);}
.kil-time .kil-ticks line{stroke:var(--kil-warn);stroke-width:2;}
.kil-time .kil-now{font-variant-numeric:tabular-nums;color:var(--kil-muted);}
.kil-time .kil-live{color:var(--kil-ok);font-weight:600;}
.kil-time .kil-past{color:var(--kil-warn);font-weight:600;}
.kil-time a{color:var(--kil-accent);}
`;

export const defaultSpeeds: readonly number[] = [0.25, 0.5, 1, 2, 4, 10];

/** Events worth a tick on the scrubber: the ones that change who leads or who is in sync. */
const keyEventPattern = /stopped|crashed|fenced|shutdown|leader|partition-change|offline|isr-|truncat|unclean|election|partitioned$/;

export function isKeyEvent(e: TraceEvent): boolean {
  return keyEventPattern.test(e.type);
}

/** The seq of the nearest key event before (-1) or after (+1) `currentSeq`, or null. */
export function adjacentKeyEvent(events: readonly TraceEvent[], currentSeq: number, direction: -1 | 1): number | null {
  const keys = events.filter(isKeyEvent).map((e) => e.seq);
  if (direction > 0) return keys.find((s) => s > currentSeq) ?? null;
  for (let i = keys.length - 1; i >= 0; i--) if (keys[i]! < currentSeq) return keys[i]!;
  return null;
}

/** Index into `events` of the event with `seq`, or of the last one before it. */
export function indexOfSeq(events: readonly TraceEvent[], seq: number): number {
  let found = -1;
  for (let i = 0; i < events.length && events[i]!.seq <= seq; i++) found = i;
  return Math.max(0, found);
}

function Scrubber({ events, index, onSeek }: { events: readonly TraceEvent[]; index: number; onSeek?: ((seq: number) => void) | undefined }) {
  const current = events[index];
  const last = Math.max(1, events.length - 1);
  const valueText = current ? `event ${index + 1} of ${events.length}, t = ${formatMs(current.timeMs)}: ${eventHeadline(current)}` : 'no events yet';
  return (
    <div>
      <input
        type="range"
        min={0}
        max={Math.max(0, events.length - 1)}
        step={1}
        value={index}
        disabled={!onSeek || events.length === 0}
        aria-label="Rewind along the cluster's events"
        aria-valuetext={valueText}
        data-testid="time-scrubber"
        onChange={(ev) => {
          const target = events[Number(ev.target.value)];
          if (target) onSeek?.(target.seq);
        }}
      />
      <svg viewBox="0 0 1000 8" width="100%" height={8} aria-hidden="true" className="kil-ticks" preserveAspectRatio="none">
        {events.map((e, i) => (isKeyEvent(e) ? <line key={e.seq} data-tick={e.seq} x1={(i / last) * 1000} x2={(i / last) * 1000} y1={0} y2={8} /> : null))}
      </svg>
    </div>
  );
}

function StepButtons({ events, seq, onSeek }: { events: readonly TraceEvent[]; seq: number; onSeek?: ((seq: number) => void) | undefined }) {
  const previous = adjacentKeyEvent(events, seq, -1);
  const next = adjacentKeyEvent(events, seq, 1);
  return (
    <>
      <button type="button" disabled={!onSeek || previous === null} onClick={() => previous !== null && onSeek?.(previous)} aria-label="Rewind to the previous key event">
        « key event
      </button>
      <button type="button" disabled={!onSeek || next === null} onClick={() => next !== null && onSeek?.(next)} aria-label="Go to the next key event">
        key event »
      </button>
    </>
  );
}

export function TimeControls(props: TimeControlsProps) {
  const { events, paused, speed, speeds = defaultSpeeds, stepMs = 100, onPause, onResume, onSpeed, onStep, onSeek, onLive, permalink, theme } = props;
  const lastSeq = events[events.length - 1]?.seq ?? 0;
  const live = props.currentSeq === undefined || props.currentSeq === null || props.currentSeq >= lastSeq;
  const seq = live ? lastSeq : (props.currentSeq ?? lastSeq);
  const index = events.length === 0 ? 0 : indexOfSeq(events, seq);
  const current = events[index];
  const speedOptions = speeds.includes(speed) ? speeds : [...speeds, speed].sort((a, b) => a - b);
  return (
    <ViewFrame testId="time-controls" label="Time controls" theme={theme} styleId="time" css={css} className="kil-time" extra={{ 'data-live': String(live), 'data-paused': String(paused) }}>
      <div className="kil-row" role="toolbar" aria-label="Lab time">
        <button type="button" onClick={paused ? onResume : onPause} aria-pressed={paused} data-testid="time-pause">
          {paused ? '▶ Resume' : '⏸ Pause'}
        </button>
        <button type="button" onClick={() => onStep?.(stepMs)} disabled={!paused || !onStep} data-testid="time-step" aria-label={`Step ${stepMs} ms of lab time`}>
          Step {formatMs(stepMs)}
        </button>
        <label>
          Speed{' '}
          <select value={String(speed)} onChange={(ev) => onSpeed?.(Number(ev.target.value))} data-testid="time-speed">
            {speedOptions.map((s) => (
              <option key={s} value={String(s)}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <StepButtons events={events} seq={seq} onSeek={onSeek} />
        {live ? (
          <span className="kil-live" data-testid="time-status">● live</span>
        ) : (
          <>
            <span className="kil-past" data-testid="time-status">viewing the past</span>
            <button type="button" onClick={onLive} disabled={!onLive} data-testid="time-live">
              Back to live
            </button>
          </>
        )}
      </div>
      <Scrubber events={events} index={index} onSeek={onSeek} />
      <div className="kil-row">
        <span className="kil-now" aria-live="polite" data-testid="time-now">
          {current ? `t = ${formatMs(current.timeMs)} · event ${current.seq}: ${eventHeadline(current)}` : 'No events yet'}
        </span>
        {permalink ? (
          <a href={permalink} data-testid="time-permalink">
            Link to this moment
          </a>
        ) : null}
      </div>
    </ViewFrame>
  );
}
