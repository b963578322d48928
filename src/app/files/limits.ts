// The "Maximum file size" setting: largest file this browser sends or accepts. The engines read
// it when they are created; Settings changes it (registry.ts applies it to running engines).

import { createSignal } from 'solid-js';
import { getSetting, setSetting } from '../../db/settings.ts';

/** Default maximum (design: 16 GiB). */
export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 ** 3;

const [maxFileSize, setMaxSignal] = createSignal(DEFAULT_MAX_FILE_SIZE);

export { maxFileSize };

const listeners = new Set<(bytes: number) => void>();

/** Runs `f` on every change; returns the unsubscribe function. */
export function onMaxFileSize(f: (bytes: number) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export async function loadMaxFileSize(): Promise<number> {
  const stored = await getSetting('maxFileSize').catch(() => undefined);
  setMaxSignal(stored ?? DEFAULT_MAX_FILE_SIZE);
  return maxFileSize();
}

export async function setMaxFileSize(bytes: number): Promise<void> {
  setMaxSignal(bytes);
  for (const f of listeners) f(bytes);
  await setSetting('maxFileSize', bytes);
}
