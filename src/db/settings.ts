// The `settings` store: one record per setting, typed by SettingValues.

import { db } from './open.ts';
import type { SettingName, SettingRecord, SettingValues } from './schema.ts';
import { asSettingRecord } from './validate.ts';

export async function getSetting<K extends SettingName>(
  name: K,
): Promise<SettingValues[K] | undefined> {
  const record = asSettingRecord(await (await db()).get('settings', name));
  // asSettingRecord ties value to name, so a record read under `name` holds SettingValues[K].
  return record?.name === name ? (record.value as SettingValues[K]) : undefined;
}

export async function setSetting<K extends SettingName>(
  name: K,
  value: SettingValues[K],
): Promise<void> {
  const record = { name, value } as SettingRecord;
  await (await db()).put('settings', record);
}
