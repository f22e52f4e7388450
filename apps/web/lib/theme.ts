/**
 * The site's light and dark themes. The theme is a class on <html> (`light` or `dark`)
 * plus `color-scheme`, so form controls and scrollbars follow it. A reader's explicit
 * choice is kept in localStorage; without one the page follows prefers-color-scheme,
 * live. `themeScript` runs inline in <head> before the body paints, so a dark page never
 * flashes white first.
 */

export type SiteTheme = 'light' | 'dark';

export const themeStorageKey = 'kil-theme';

/** Structural so that tests can pass a stand-in for document.documentElement. */
export interface ThemeRoot {
  readonly classList: { add(name: string): void; remove(name: string): void };
  readonly style: { colorScheme: string };
}

export function applyTheme(root: ThemeRoot, theme: SiteTheme): void {
  root.classList.remove(theme === 'dark' ? 'light' : 'dark');
  root.classList.add(theme);
  root.style.colorScheme = theme;
}

/**
 * The inline script. It must stay tiny and must not throw: storage can be blocked, and an
 * error here would leave the page on the light theme, which is still readable.
 */
export const themeScript = `(function(){try{var k=${JSON.stringify(themeStorageKey)},r=document.documentElement,m=window.matchMedia('(prefers-color-scheme: dark)');` +
  `function a(t){r.classList.remove(t==='dark'?'light':'dark');r.classList.add(t);r.style.colorScheme=t;}` +
  `function s(){var v=localStorage.getItem(k);return v==='dark'||v==='light'?v:null;}` +
  `a(s()||(m.matches?'dark':'light'));` +
  `m.addEventListener('change',function(e){if(!s())a(e.matches?'dark':'light');});}catch(e){}})();`;
