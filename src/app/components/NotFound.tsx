import { replace } from '../stores/router.ts';

/** For a screen whose contact was deleted (e.g. restored by the back button). */
export function NotFound() {
  return (
    <section class="card" aria-labelledby="missing-title">
      <h2 id="missing-title">Contact not found</h2>
      <p>This contact was deleted, or the screen is out of date.</p>
      <button type="button" class="btn primary" onClick={() => replace({ name: 'home' })}>
        Go to chats
      </button>
    </section>
  );
}
