// Start-up order and the links between stores, in one place.

import { createEffect, on } from 'solid-js';
import { contactsState, loadContacts, resetContacts } from './contacts.ts';
import { startDbStatus } from './db-status.ts';
import { identityState, loadIdentity } from './identity.ts';
import { startLinkIntake } from './link-intake.ts';
import { startRouter } from './router.ts';
import { startTheme } from './settings.ts';

/** Before the first render: nothing here needs a reactive owner. */
export function startApp(): void {
  startDbStatus();
  startRouter();
  void startTheme();
  void loadIdentity();
}

/** Inside the render root: effects that tie the stores together. */
export function connectStores(): void {
  // Contacts belong to the identity: load them when it is ready (at start or after onboarding),
  // forget them when it is deleted.
  createEffect(
    on(
      () => identityState().status,
      (status) => {
        if (status === 'ready') void loadContacts();
        else if (status === 'absent') resetContacts();
      },
    ),
  );
  // A link opened before onboarding waits until there is an identity and a contact list.
  startLinkIntake(() => identityState().status === 'ready' && contactsState().status === 'ready');
}
