import '../styles/files.css';
import { createSignal, For, onMount, Show } from 'solid-js';
import {
  DEFAULT_MAX_FILE_SIZE,
  loadMaxFileSize,
  maxFileSize,
  setMaxFileSize,
} from '../files/limits.ts';

const GiB = 1024 ** 3;
const CHOICES: readonly { bytes: number; label: string }[] = [
  { bytes: 100 * 1024 ** 2, label: '100 MiB' },
  { bytes: GiB, label: '1 GiB' },
  { bytes: 4 * GiB, label: '4 GiB' },
  { bytes: DEFAULT_MAX_FILE_SIZE, label: '16 GiB (default)' },
  { bytes: 64 * GiB, label: '64 GiB' },
];

type SaveState = 'idle' | 'saved' | 'failed';

/** Largest file this browser sends or accepts; bigger offers are declined automatically. */
export function FileSizeSetting() {
  const [state, setState] = createSignal<SaveState>('idle');
  onMount(() => void loadMaxFileSize());
  const choices = () =>
    CHOICES.some((c) => c.bytes === maxFileSize())
      ? CHOICES
      : [...CHOICES, { bytes: maxFileSize(), label: `${maxFileSize()} bytes` }];
  return (
    <div class="field">
      <label for="max-file-size">Maximum file size</label>
      <select
        id="max-file-size"
        class="file-size-select"
        aria-describedby="max-file-size-hint"
        onChange={async (e) => {
          try {
            await setMaxFileSize(Number(e.currentTarget.value));
            setState('saved');
          } catch {
            setState('failed');
          }
        }}
      >
        <For each={choices()}>
          {(c) => (
            <option value={c.bytes} selected={c.bytes === maxFileSize()}>
              {c.label}
            </option>
          )}
        </For>
      </select>
      <p id="max-file-size-hint" class="hint">
        Larger files are not sent, and offers of larger files are declined automatically.
      </p>
      <p class="hint" role="status">
        <Show when={state() === 'saved'}>Saved.</Show>
        <Show when={state() === 'failed'}>The setting could not be saved.</Show>
      </p>
    </div>
  );
}
