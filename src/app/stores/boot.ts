// Start-up order and the links between stores, in one place.

import { createEffect, on } from 'solid-js';
import { startMessaging } from '../net/messaging.ts';
import { startNetwork, stopNetwork, syncContacts } from '../net/network.ts';
import { contacts, contactsState, loadContacts, resetContacts } from './contacts.ts';
import { startDbStatus } from './db-status.ts';
import { currentIdentity, identityState, loadIdentity, me } from './identity.ts';
import { startLinkIntake } from './link-intake.ts';
import { loadMyStatus, resetPeers } from './presence.ts';
import { startRouter } from './router.ts';
import { startTheme } from './settings.ts';

/** Before the first render: nothing here needs a reactive owner. */
export function startApp(): void {
  startDbStatus();
  startRouter();
  void startTheme();
  void loadIdentity();
  startMessaging();
}

// Transfers load with the identity, in their own chunk: the first paint does not wait for them.
let filesLoaded: Promise<typeof import('../files/registry.ts')> | undefined;
const files = () => {
  filesLoaded ??= import('../files/registry.ts');
  return filesLoaded;
};

/** Inside the render root: effects that tie the stores together. */
export function connectStores(): void {
  // Contacts and connections belong to the identity: start them when it is ready (at start,
  // after onboarding or an import), stop them when it is deleted.
  createEffect(
    on(
      () => identityState().status,
      (status) => {
        if (status === 'ready') {
          void loadContacts();
          void loadMyStatus();
          const identity = currentIdentity();
          if (identity) startNetwork(identity, () => ({ name: me()?.displayName ?? '' }));
          // After startMessaging (startApp) and the network: files follow the same channels.
          files()
            .then((f) => f.startFiles())
            .catch(() => undefined);
        } else if (status === 'absent') {
          stopNetwork();
          // Only if they ever started: a first visit (no identity yet) need not load them.
          filesLoaded?.then((f) => f.stopFiles()).catch(() => undefined);
          resetPeers();
          resetContacts();
        }
      },
    ),
  );
  // Links follow the contact list: new contacts are called, blocked ones refused.
  createEffect(() => {
    if (contactsState().status !== 'ready') return;
    syncContacts(contacts().map((c) => ({ key: c.key, blocked: c.blocked })));
  });
  // A link opened before onboarding waits until there is an identity and a contact list.
  startLinkIntake(() => identityState().status === 'ready' && contactsState().status === 'ready');
}
