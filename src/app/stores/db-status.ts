// Whether this tab may keep using the database (see src/db/open.ts for why it might not).

import { createSignal } from 'solid-js';
import { onDbEvent } from '../../db/open.ts';

export type DbStatus = 'ok' | 'blocked' | 'blocking' | 'terminated';

const [dbStatus, setDbStatus] = createSignal<DbStatus>('ok');

export { dbStatus };

export function startDbStatus(): void {
  onDbEvent((e) => setDbStatus(e.kind === 'open' ? 'ok' : e.kind));
}
