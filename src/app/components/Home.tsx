import { Show } from 'solid-js';
import { contacts } from '../stores/contacts.ts';
import { navigate } from '../stores/router.ts';
import { ContactList } from './ContactList.tsx';
import { EmptyContacts } from './EmptyContacts.tsx';
import { MyLinkPanel } from './MyLinkPanel.tsx';

export function Home() {
  return (
    <div class="home">
      <section class="card chats" aria-labelledby="chats-title">
        <div class="section-head">
          <h2 id="chats-title">Chats</h2>
          <button
            type="button"
            class="btn primary"
            onClick={() => navigate({ name: 'add', input: '' })}
          >
            Add contact
          </button>
        </div>
        <Show when={contacts().length > 0} fallback={<EmptyContacts />}>
          <ContactList />
        </Show>
      </section>
      <MyLinkPanel />
    </div>
  );
}
