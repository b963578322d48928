// Validity rules for handshake patterns (Noise rev34 §7.3, and §9.3 for PSK patterns). Applied
// to every pattern the interpreter accepts, so a bad table entry or modifier combination can
// never reach the handshake code.

import type { HandshakePattern, Token } from './pattern.ts';

type Party = 'initiator' | 'responder';

interface PartyKeys {
  e: boolean;
  s: boolean;
}

/** Returns human-readable rule violations; an empty list means the pattern is valid. */
export function patternProblems(p: HandshakePattern): string[] {
  const problems: string[] = [];
  const sent: Record<Party, PartyKeys> = {
    initiator: { e: false, s: false },
    responder: { e: false, s: false },
  };
  for (const [party, pre] of [
    ['initiator', p.initiatorPremessage],
    ['responder', p.responderPremessage],
  ] as const) {
    for (const t of pre) {
      if (sent[party][t]) problems.push(`${party} pre-message repeats ${t}`);
      sent[party][t] = true;
    }
  }
  const dhDone = new Set<Token>();
  let pskSeen = false;

  // §7.3 rule 4 and §9.3, checked whenever `party` encrypts a payload or a static key.
  const checkSend = (party: Party, what: string): void => {
    const init = party === 'initiator';
    if (init && dhDone.has('se') && !dhDone.has('ee'))
      problems.push(`initiator sends ${what} after se without ee`);
    if (init && dhDone.has('ss') && !dhDone.has('es'))
      problems.push(`initiator sends ${what} after ss without es`);
    if (!init && dhDone.has('es') && !dhDone.has('ee'))
      problems.push(`responder sends ${what} after es without ee`);
    if (!init && dhDone.has('ss') && !dhDone.has('se'))
      problems.push(`responder sends ${what} after ss without se`);
    if (pskSeen && !sent[party].e) problems.push(`${party} sends ${what} after psk without e`);
  };

  p.messages.forEach((msg, i) => {
    const expected = i % 2 === 0 ? '->' : '<-';
    if (msg.direction !== expected) problems.push(`message ${i + 1} should be ${expected}`);
    const party: Party = msg.direction === '->' ? 'initiator' : 'responder';
    for (const t of msg.tokens) {
      if (t === 'e' || t === 's') {
        if (sent[party][t]) problems.push(`${party} sends ${t} twice`);
        if (t === 's') checkSend(party, 's');
        sent[party][t] = true;
      } else if (t === 'psk') {
        pskSeen = true;
      } else {
        // First letter names the initiator's key, second the responder's (§7.1).
        const ik = t[0] === 'e' ? 'e' : 's';
        const rk = t[1] === 'e' ? 'e' : 's';
        if (!sent.initiator[ik] || !sent.responder[rk])
          problems.push(`message ${i + 1}: ${t} before both keys are known`);
        if (dhDone.has(t)) problems.push(`${t} performed twice`);
        dhDone.add(t);
      }
    }
    checkSend(party, `payload ${i + 1}`);
  });
  checkSend('initiator', 'transport data');
  if (!p.oneWay) checkSend('responder', 'transport data');
  return problems;
}
