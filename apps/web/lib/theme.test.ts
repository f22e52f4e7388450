import { readFileSync } from 'node:fs';
import path from 'node:path';
import { baseCss } from '@kil/ui';
import { describe, expect, it } from 'vitest';
import { applyTheme, themeScript, themeStorageKey, type ThemeRoot } from './theme';

function fakeRoot() {
  const classes = new Set<string>();
  const root: ThemeRoot & { classes: Set<string> } = {
    classes,
    classList: { add: (n) => void classes.add(n), remove: (n) => void classes.delete(n) },
    style: { colorScheme: '' },
  };
  return root;
}

/** Runs the inline script against a stand-in page; returns the root and the OS-change listener. */
function runScript(stored: string | null, systemDark: boolean) {
  const root = fakeRoot();
  const store = new Map<string, string>(stored === null ? [] : [[themeStorageKey, stored]]);
  let onChange: ((e: { matches: boolean }) => void) | null = null;
  const window = { matchMedia: () => ({ matches: systemDark, addEventListener: (_: string, f: typeof onChange) => void (onChange = f) }) };
  const localStorage = { getItem: (k: string) => store.get(k) ?? null };
  new Function('document', 'window', 'localStorage', themeScript)({ documentElement: root }, window, localStorage);
  return { root, store, change: (matches: boolean) => onChange?.({ matches }) };
}

describe('theme', () => {
  it('applyTheme swaps the class and the colour scheme', () => {
    const root = fakeRoot();
    applyTheme(root, 'dark');
    applyTheme(root, 'light');
    expect([...root.classes]).toEqual(['light']);
    expect(root.style.colorScheme).toBe('light');
  });

  it('the inline script follows the system setting when nothing is stored, live', () => {
    const page = runScript(null, true);
    expect([...page.root.classes]).toEqual(['dark']);
    page.change(false);
    expect([...page.root.classes]).toEqual(['light']);
  });

  it('the inline script prefers a stored choice and ignores system changes then', () => {
    const page = runScript('light', true);
    expect([...page.root.classes]).toEqual(['light']);
    page.change(true);
    expect([...page.root.classes]).toEqual(['light']);
    expect(runScript('purple', false).root.classes.has('light')).toBe(true);
  });

  it('the site stylesheet gives lab views the same dark and light tokens as @kil/ui', () => {
    const css = readFileSync(path.join(import.meta.dirname, '../app/reading.css'), 'utf8');
    const tokens = (block: string) => Object.fromEntries([...block.matchAll(/(--kil-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2]?.trim()]));
    const ui = (selector: string) => tokens(baseCss.slice(baseCss.indexOf(selector)).split('}')[0] ?? '');
    const site = (selector: string) => tokens(css.slice(css.indexOf(selector)).split('}')[0] ?? '');
    const uiDark = ui('.kil-ui[data-theme="dark"]{');
    const uiLight = ui('.kil-ui{');
    expect(Object.keys(uiDark).length).toBeGreaterThan(10);
    expect(site('html.dark .kil-ui[data-theme="auto"]')).toEqual(uiDark);
    expect(site('html.light .kil-ui[data-theme="auto"]')).toEqual(uiLight);
  });
});
