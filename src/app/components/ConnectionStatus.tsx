import { createMemo, Match, Show, Switch } from 'solid-js';
import type { ContactRecord } from '../../db/schema.ts';
import type { LinkState } from '../../peer/link-manager.ts';
import { linkState, networkMode, retryContact, signalingState } from '../net/network.ts';
import { navigate } from '../stores/router.ts';

function describeLink(s: LinkState, name: string, signalingReady: boolean): string {
  switch (s.kind) {
    case 'connected':
      if (s.route?.kind === 'relayed')
        return 'Connected through a relay server (TURN) · encrypted end to end';
      return s.route
        ? 'Connected directly · encrypted end to end'
        : 'Connected · encrypted end to end';
    case 'connecting':
      return `Connecting to ${name}…`;
    case 'offline':
      return `${name} is not online. Messages wait on this device and are sent when ${name} comes online.`;
    case 'retrying':
      return `Connection lost. Trying again in a moment (attempt ${s.failures + 1}).`;
    case 'blocked':
      return `You blocked ${name}: no connection is made.`;
    case 'insecure':
      return 'Connection refused for your security.';
    case 'idle':
      return signalingReady
        ? 'Not connected.'
        : 'Not connected: the signaling server cannot be reached right now. Messages wait on this device.';
  }
}

/** The chat header's connection line, and the security error when the key did not match. */
export function ConnectionStatus(props: { contact: ContactRecord }) {
  const state = createMemo(() => linkState(props.contact.key));
  const route = () => {
    const s = state();
    return s.kind === 'connected' ? s.route?.kind : undefined;
  };
  const text = () => {
    if (networkMode() === 'standby') return 'Peerline is connected in another tab of this browser.';
    return describeLink(state(), props.contact.name, signalingState().kind === 'ready');
  };
  return (
    <>
      <p
        class={`connection ${state().kind}`}
        role="status"
        data-testid="connection-status"
        data-state={state().kind}
        data-route={route() ?? ''}
      >
        <Show when={props.contact.verified}>
          <span class="tag ok">Verified</span>{' '}
        </Show>
        <Show when={state().kind === 'connected'}>
          <span class={`dot ${route() ?? 'direct'}`} aria-hidden="true" />
        </Show>
        {text()}
      </p>
      <Switch>
        <Match when={state().kind === 'insecure'}>
          <div class="security-alert" role="alert" data-testid="security-alert">
            <h3>Security warning: this is not {props.contact.name}’s key</h3>
            <p>
              Someone tried to connect as <strong>{props.contact.name}</strong> with a different key
              (identity mismatch, error 1011). This can be an attack through the signaling server or
              the network. Peerline refused the connection: <strong>nothing was sent</strong>, and
              your messages stay on this device.
            </p>
            <p>
              Compare safety numbers with {props.contact.name} in person before you trust this chat
              again.
            </p>
            <div class="actions">
              <button
                type="button"
                class="btn"
                onClick={() => navigate({ name: 'safety', key: props.contact.key })}
              >
                Compare safety numbers
              </button>
              <button type="button" class="btn" onClick={() => retryContact(props.contact.key)}>
                Try again
              </button>
            </div>
          </div>
        </Match>
      </Switch>
    </>
  );
}
