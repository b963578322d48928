// Public surface of Peerline's Noise implementation (Noise Protocol Framework rev 34).
// Everything else in this folder is internal.

export type { AesBackend, BackendOptions, DhBackend } from './backend.ts';
export { webCryptoHasX25519 } from './backend.ts';
export type { CipherFunctions } from './cipher.ts';
export { cipherFunctions } from './cipher.ts';
export {
  CipherState,
  MAX_MESSAGE_LEN,
  MAX_NONCE,
  MAX_PLAINTEXT_LEN,
} from './cipher-state.ts';
export type { KeyPair } from './dh.ts';
export { generateKeyPair, publicKeyOf } from './dh-noble.ts';
export type { HandshakeOptions } from './handshake-options.ts';
export type { HandshakeStatus } from './handshake-phase.ts';
export { HandshakeState } from './handshake-state.ts';
export type { Direction, HandshakePattern, MessagePattern, Token } from './pattern.ts';
export { formatPattern, handshakePattern } from './pattern.ts';
export type { CipherName, NoiseProtocol } from './protocol.ts';
export { parseProtocolName } from './protocol.ts';
export type { TransportState } from './transport.ts';
export { assertValidPublicKey } from './x25519-key.ts';
