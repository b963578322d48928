import { For } from 'solid-js';
import { contacts } from '../stores/contacts.ts';
import { ContactListItem } from './ContactListItem.tsx';

/** Contacts, most recent conversation first. */
export function ContactList() {
  return (
    <ul class="contact-list" aria-label="Contacts">
      <For each={contacts()}>{(c) => <ContactListItem contact={c} />}</For>
    </ul>
  );
}
