/** Light and dark themes: follow the system unless the user picked one (kept in localStorage). */
import type { Theme } from '../state/store';

const KEY = 'procpulse.theme';

export function storedTheme(): Theme {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

export function storeTheme(t: Theme): void {
  try {
    if (t === 'auto') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, t);
  } catch {
    // Storage may be unavailable (embedded, private mode): the choice lasts for this page only.
  }
}

/** The theme actually shown. */
export function resolveTheme(t: Theme): 'light' | 'dark' {
  if (t !== 'auto') return t;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies a theme to the document; calls `onChange` when the shown theme changes later (system switch). */
export function applyTheme(t: Theme, onChange?: () => void): void {
  document.documentElement.dataset.theme = resolveTheme(t);
  if (onChange) {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', onChange);
  }
}
