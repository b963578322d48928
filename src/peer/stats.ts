// Counters a session exposes for tests, debugging and the UI's connection details.

export interface SessionStats {
  framesSent: number;
  framesReceived: number;
  /** Messages of a type we do not know (ignored, §5). */
  unknownTypes: number;
  /** Messages rejected with INVALID_FORMAT (§5). */
  malformed: number;
  /** Times we rekeyed our sending direction (§4.1). */
  rekeys: number;
  /** Times we accepted a REKEYED frame, i.e. followed the peer's rekey. */
  peerRekeys: number;
  /** Completed in-band re-handshakes (§4.2). */
  rehandshakes: number;
}

export function emptyStats(): SessionStats {
  return {
    framesSent: 0,
    framesReceived: 0,
    unknownTypes: 0,
    malformed: 0,
    rekeys: 0,
    peerRekeys: 0,
    rehandshakes: 0,
  };
}
