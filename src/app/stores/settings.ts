// Theme preference. The DB holds the truth; localStorage mirrors it only so the first paint
// already has the right colours (IndexedDB answers too late for that).

import { createSignal } from 'solid-js';
import type { ThemeSetting } from '../../db/schema.ts';
import { getSetting, setSetting } from '../../db/settings.ts';

const MIRROR_KEY = 'peerline.theme';
const THEMES: readonly ThemeSetting[] = ['system', 'light', 'dark'];

function isTheme(v: unknown): v is ThemeSetting {
  return THEMES.includes(v as ThemeSetting);
}

function readMirror(): ThemeSetting {
  try {
    const v = localStorage.getItem(MIRROR_KEY);
    return isTheme(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

function apply(theme: ThemeSetting): void {
  // CSS reads [data-theme]; 'system' removes it so prefers-color-scheme decides.
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(MIRROR_KEY, theme);
  } catch {
    // Storage may be unavailable (private mode quotas); the DB still has the setting.
  }
}

const [theme, setThemeSignal] = createSignal<ThemeSetting>(readMirror());

export { theme };

/** Applies the mirrored theme at once, then the stored one when the DB answers. */
export async function startTheme(): Promise<void> {
  apply(theme());
  const stored = await getSetting('theme');
  if (stored && stored !== theme()) {
    setThemeSignal(stored);
    apply(stored);
  }
}

export async function setTheme(next: ThemeSetting): Promise<void> {
  setThemeSignal(next);
  apply(next);
  await setSetting('theme', next);
}

/** After the identity is deleted the settings are gone too. */
export function resetTheme(): void {
  setThemeSignal('system');
  apply('system');
}
