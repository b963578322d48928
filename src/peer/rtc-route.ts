// Which way a WebRTC connection took, from RTCPeerConnection.getStats() (W3C webrtc-stats):
// the transport's selected candidate pair and the types of its two candidates. A pair with a
// `relay` candidate on either end goes through TURN; otherwise the peers talk directly (host,
// or through a NAT mapping: srflx / prflx).

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface Route {
  readonly kind: 'direct' | 'relayed';
  readonly local: CandidateType;
  readonly remote: CandidateType;
}

type Report = Record<string, unknown>;

const CANDIDATE_TYPES: ReadonlySet<unknown> = new Set(['host', 'srflx', 'prflx', 'relay']);

function isReport(v: unknown): v is Report {
  return typeof v === 'object' && v !== null;
}

function candidateType(report: Report | undefined): CandidateType | undefined {
  const t = report?.candidateType;
  return CANDIDATE_TYPES.has(t) ? (t as CandidateType) : undefined;
}

/** The selected pair: the transport's pointer (spec), else a pair flagged selected (older). */
function selectedPair(byId: Map<string, Report>, reports: readonly Report[]): Report | undefined {
  for (const r of reports) {
    if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string') {
      const pair = byId.get(r.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  return reports.find((r) => r.type === 'candidate-pair' && r.selected === true);
}

export function routeFromStats(raw: readonly unknown[]): Route | undefined {
  const reports = raw.filter(isReport);
  const byId = new Map<string, Report>();
  for (const r of reports) if (typeof r.id === 'string') byId.set(r.id, r);
  const pair = selectedPair(byId, reports);
  if (!pair) return undefined;
  const local = candidateType(
    typeof pair.localCandidateId === 'string' ? byId.get(pair.localCandidateId) : undefined,
  );
  const remote = candidateType(
    typeof pair.remoteCandidateId === 'string' ? byId.get(pair.remoteCandidateId) : undefined,
  );
  if (!local || !remote) return undefined;
  return { kind: local === 'relay' || remote === 'relay' ? 'relayed' : 'direct', local, remote };
}
