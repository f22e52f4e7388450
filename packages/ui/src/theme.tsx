/**
 * Theme and styling shared by every view. Colours are CSS custom properties on the
 * `.kil-ui` wrapper, so a view follows the reader's `prefers-color-scheme` unless the host
 * pins a theme with the `theme` prop. Styles ship inside the components as React 19
 * hoisted `<style>` elements (deduplicated by `href`), so a view renders correctly in a
 * lesson, on the lab page or in a test without any global stylesheet.
 */
import type { ReactNode } from 'react';

/** 'auto' follows the reader's operating system setting. */
export type Theme = 'light' | 'dark' | 'auto';

const lightTokens = `
  --kil-fg:#0f172a; --kil-muted:#475569; --kil-faint:#94a3b8; --kil-bg:#ffffff; --kil-panel:#f8fafc;
  --kil-border:#cbd5e1; --kil-accent:#2563eb; --kil-accent-soft:#dbeafe; --kil-on-accent:#ffffff;
  --kil-ok:#15803d; --kil-ok-soft:#dcfce7; --kil-warn:#b45309; --kil-warn-soft:#fef3c7;
  --kil-bad:#dc2626; --kil-bad-soft:#fee2e2; --kil-txn:#7c3aed; --kil-txn-soft:#ede9fe;
  --kil-remote:#0891b2; --kil-remote-soft:#cffafe; --kil-committed:#bbf7d0; --kil-uncommitted:#fde68a;`;

const darkTokens = `
  --kil-fg:#e2e8f0; --kil-muted:#94a3b8; --kil-faint:#64748b; --kil-bg:#0f172a; --kil-panel:#1e293b;
  --kil-border:#334155; --kil-accent:#60a5fa; --kil-accent-soft:#1e3a8a; --kil-on-accent:#0f172a;
  --kil-ok:#4ade80; --kil-ok-soft:#14532d; --kil-warn:#fbbf24; --kil-warn-soft:#713f12;
  --kil-bad:#f87171; --kil-bad-soft:#7f1d1d; --kil-txn:#c4b5fd; --kil-txn-soft:#4c1d95;
  --kil-remote:#67e8f9; --kil-remote-soft:#164e63; --kil-committed:#166534; --kil-uncommitted:#92400e;`;

/** Base rules every view relies on: tokens, text colours, focus rings, reduced motion. */
export const baseCss = `
.kil-ui{${lightTokens} color:var(--kil-fg); font-family:ui-sans-serif,system-ui,sans-serif; font-size:14px;}
.kil-ui[data-theme="dark"]{${darkTokens} color-scheme:dark;}
@media (prefers-color-scheme: dark){ .kil-ui[data-theme="auto"]{${darkTokens} color-scheme:dark;} }
.kil-ui svg text{fill:var(--kil-fg);}
.kil-ui svg text.kil-muted{fill:var(--kil-muted);}
.kil-ui svg text.kil-on-accent{fill:var(--kil-on-accent);}
.kil-ui .kil-muted{color:var(--kil-muted);}
.kil-ui .kil-panel{fill:var(--kil-panel);stroke:var(--kil-border);}
.kil-ui .kil-line{stroke:var(--kil-border);}
.kil-ui [role="button"]{cursor:pointer;}
.kil-ui [role="button"]:focus{outline:none;}
.kil-ui [role="button"]:focus-visible .kil-focus{stroke:var(--kil-accent);stroke-width:3;}
.kil-ui button:focus-visible,.kil-ui select:focus-visible,.kil-ui input:focus-visible{outline:2px solid var(--kil-accent);outline-offset:2px;}
.kil-ui .kil-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;}
.kil-ui .kil-title{font-weight:600;margin:0 0 6px;}
.kil-ui .kil-note{font-size:12px;color:var(--kil-muted);margin:4px 0;}
.kil-ui .kil-alert{font-size:13px;border-left:3px solid var(--kil-warn);background:var(--kil-warn-soft);padding:4px 8px;margin:6px 0;}
.kil-ui .kil-alert[data-level="bad"]{border-color:var(--kil-bad);background:var(--kil-bad-soft);}
.kil-ui .kil-alert[data-level="info"]{border-color:var(--kil-accent);background:var(--kil-accent-soft);}
@media (prefers-reduced-motion: reduce){ .kil-ui *, .kil-ui *::before, .kil-ui *::after{animation:none !important;transition:none !important;} }
`;

/** Emits one stylesheet, once per page however many views use it (React 19 dedupes by href). */
export function KilStyle({ id, css }: { readonly id: string; readonly css: string }) {
  return (
    <style href={`kil-ui-${id}`} precedence="kil-ui">
      {css}
    </style>
  );
}

export interface ViewFrameProps {
  readonly testId: string;
  readonly label: string;
  readonly theme?: Theme | undefined;
  readonly styleId: string;
  readonly css: string;
  readonly className?: string | undefined;
  readonly children: ReactNode;
  readonly extra?: Readonly<Record<string, string | number | undefined>>;
}

/** The wrapper of every view: theme scope, accessible name, stable test id, styles. */
export function ViewFrame({ testId, label, theme = 'auto', styleId, css, className, children, extra }: ViewFrameProps) {
  return (
    <section className={className ? `kil-ui ${className}` : 'kil-ui'} data-theme={theme} data-testid={testId} aria-label={label} {...extra}>
      <KilStyle id="base" css={baseCss} />
      <KilStyle id={styleId} css={css} />
      {children}
    </section>
  );
}

/** Keyboard activation for SVG groups that act as buttons (Enter and Space, as a button does). */
export function activateOnKey(run: () => void) {
  return (event: { key: string; preventDefault: () => void }) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      run();
    }
  };
}

/** Lab time to the millisecond, for timelines where events a few ms apart must read apart. */
export function formatClock(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

/** Formats virtual milliseconds the way the lab clock shows them. */
export function formatMs(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
