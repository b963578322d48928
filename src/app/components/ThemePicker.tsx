import { For } from 'solid-js';
import type { ThemeSetting } from '../../db/schema.ts';
import { setTheme, theme } from '../stores/settings.ts';

const CHOICES: readonly { value: ThemeSetting; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function ThemePicker() {
  return (
    <fieldset class="choices">
      <legend>Theme</legend>
      <For each={CHOICES}>
        {(choice) => (
          <label class="choice">
            <input
              type="radio"
              name="theme"
              value={choice.value}
              checked={theme() === choice.value}
              onChange={() => void setTheme(choice.value)}
            />
            {choice.label}
          </label>
        )}
      </For>
    </fieldset>
  );
}
