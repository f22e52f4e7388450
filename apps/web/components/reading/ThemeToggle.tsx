'use client';
/**
 * The header's dark-mode switch. The page's theme is chosen before first paint by the
 * inline script from lib/theme.ts (a stored choice, else the system setting); this button
 * flips it and remembers the choice in localStorage.
 */
import { useEffect, useState } from 'react';
import { applyTheme, themeStorageKey, type SiteTheme } from '../../lib/theme';

export function ThemeToggle() {
  const [theme, setTheme] = useState<SiteTheme | null>(null);

  useEffect(() => {
    setTheme(document.documentElement.classList.contains('dark') ? 'dark' : 'light');
  }, []);

  function toggle() {
    const next: SiteTheme = document.documentElement.classList.contains('dark') ? 'light' : 'dark';
    applyTheme(document.documentElement, next);
    try {
      localStorage.setItem(themeStorageKey, next);
    } catch {
      // Storage may be blocked; the choice then lasts until the page is left.
    }
    setTheme(next);
  }

  return (
    <button type="button" onClick={toggle} aria-pressed={theme === 'dark'} className="theme-toggle" data-testid="theme-toggle" title="Switch between light and dark">
      <span aria-hidden="true">{theme === 'dark' ? '☾' : '☀'}</span> Dark mode
    </button>
  );
}
