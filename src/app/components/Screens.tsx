import { lazy, Match, Suspense, Switch } from 'solid-js';
import { type View, view } from '../stores/router.ts';
import { Home } from './Home.tsx';

// Only Home is in the first bundle; every other screen loads when first opened.
const AddContact = lazy(() => import('./AddContact.tsx').then((m) => ({ default: m.AddContact })));
const ConfirmContact = lazy(() =>
  import('./ConfirmContact.tsx').then((m) => ({ default: m.ConfirmContact })),
);
const ContactPage = lazy(() =>
  import('./ContactPage.tsx').then((m) => ({ default: m.ContactPage })),
);
const SafetyNumber = lazy(() =>
  import('./SafetyNumber.tsx').then((m) => ({ default: m.SafetyNumber })),
);
const Chat = lazy(() => import('./Chat.tsx').then((m) => ({ default: m.Chat })));
const Settings = lazy(() => import('./Settings.tsx').then((m) => ({ default: m.Settings })));

function only<N extends View['name']>(name: N): Extract<View, { name: N }> | undefined {
  const v = view();
  return v.name === name ? (v as Extract<View, { name: N }>) : undefined;
}

/** The screen for the current view, once an identity exists. */
export function Screens() {
  return (
    <Suspense fallback={<p class="loading">Loading…</p>}>
      <Switch fallback={<Home />}>
        <Match when={only('add')} keyed>
          {(v) => <AddContact input={v.input} />}
        </Match>
        <Match when={only('confirm')} keyed>
          {(v) => <ConfirmContact contactKey={v.key} />}
        </Match>
        <Match when={only('contact')} keyed>
          {(v) => <ContactPage contactKey={v.key} />}
        </Match>
        <Match when={only('safety')} keyed>
          {(v) => <SafetyNumber contactKey={v.key} />}
        </Match>
        <Match when={only('chat')} keyed>
          {(v) => <Chat contactKey={v.key} />}
        </Match>
        <Match when={only('settings')}>
          <Settings />
        </Match>
      </Switch>
    </Suspense>
  );
}
