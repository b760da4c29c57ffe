/**
 * Call quality from `RTCPeerConnection.getStats()` (spec 15.2.2). Loss is
 * measured over the interval between two samples, not since the call began,
 * so the indicator follows the network as it is now. Pure.
 */

export type QualityScore = "excellent" | "good" | "fair" | "poor";

export interface QualityMetrics {
  packetLoss: number; // 0..1 over the last interval
  jitterMs: number;
  rttMs: number | null;
  bitrateKbps: number;
  score: QualityScore;
}

/** Upper bounds (exclusive) for each score; anything worse than `fair` is `poor`. */
const BANDS: ReadonlyArray<{ score: QualityScore; loss: number; jitterMs: number; rttMs: number }> = [
  { score: "excellent", loss: 0.01, jitterMs: 30, rttMs: 150 },
  { score: "good", loss: 0.03, jitterMs: 50, rttMs: 300 },
  { score: "fair", loss: 0.05, jitterMs: 100, rttMs: 500 },
];

export function scoreQuality(packetLoss: number, jitterMs: number, rttMs: number | null): QualityScore {
  for (const band of BANDS) {
    if (packetLoss < band.loss && jitterMs < band.jitterMs && (rttMs === null || rttMs < band.rttMs)) return band.score;
  }
  return "poor";
}

/** The figures quality needs, picked out of one stats report. */
export interface AudioSample {
  timestampMs: number;
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  jitterMs: number;
  rttMs: number | null;
}

type StatsLike = { forEach(callback: (report: Record<string, unknown>) => void): void; get?(id: string): unknown };

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function indexById(stats: StatsLike): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  stats.forEach((report) => byId.set(String(report.id), report));
  return byId;
}

function selectedPair(byId: Map<string, Record<string, unknown>>): Record<string, unknown> | undefined {
  for (const report of byId.values()) {
    if (report.type === "transport" && typeof report.selectedCandidatePairId === "string") return byId.get(report.selectedCandidatePairId);
  }
  for (const report of byId.values()) {
    if (report.type === "candidate-pair" && report.state === "succeeded" && report.nominated === true) return report;
  }
  return undefined;
}

/** Type of the local candidate of the selected pair ("host", "srflx", "prflx", "relay"), if any. */
export function selectedCandidateType(stats: StatsLike): string | null {
  const byId = indexById(stats);
  const pair = selectedPair(byId);
  const local = pair ? byId.get(String(pair.localCandidateId)) : undefined;
  return local && typeof local.candidateType === "string" ? local.candidateType : null;
}

/** The inbound audio figures, or null before the first packet arrived. */
export function sampleFromStats(stats: StatsLike): AudioSample | null {
  const byId = indexById(stats);
  let inbound: Record<string, unknown> | null = null;
  let remoteInboundRtt: number | null = null;
  for (const report of byId.values()) {
    if (report.type === "inbound-rtp" && report.kind === "audio") inbound = report;
    if (report.type === "remote-inbound-rtp" && report.kind === "audio") remoteInboundRtt = num(report.roundTripTime);
  }
  if (!inbound) return null;
  const pair = selectedPair(byId);
  const rtt = (pair ? num(pair.currentRoundTripTime) : null) ?? remoteInboundRtt;
  return {
    timestampMs: num(inbound.timestamp) ?? 0,
    packetsReceived: num(inbound.packetsReceived) ?? 0,
    packetsLost: Math.max(0, num(inbound.packetsLost) ?? 0),
    bytesReceived: num(inbound.bytesReceived) ?? 0,
    jitterMs: (num(inbound.jitter) ?? 0) * 1000,
    rttMs: rtt === null ? null : rtt * 1000,
  };
}

/** Quality over the interval from `previous` to `current` (since the start without `previous`). */
export function qualityBetween(previous: AudioSample | null, current: AudioSample): QualityMetrics {
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  const total = Math.max(0, received) + Math.max(0, lost);
  const packetLoss = total > 0 ? Math.max(0, lost) / total : 0;
  const elapsedS = previous ? (current.timestampMs - previous.timestampMs) / 1000 : 0;
  const bytes = current.bytesReceived - (previous?.bytesReceived ?? 0);
  const bitrateKbps = elapsedS > 0 ? (bytes * 8) / elapsedS / 1000 : 0;
  return {
    packetLoss,
    jitterMs: current.jitterMs,
    rttMs: current.rttMs,
    bitrateKbps,
    score: scoreQuality(packetLoss, current.jitterMs, current.rttMs),
  };
}
