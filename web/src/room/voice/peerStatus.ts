/**
 * How one voice connection is shown next to a person: a coloured dot and the
 * words for its tooltip (and for screen readers). Pure, so it is tested
 * without a DOM.
 */
import type { PeerSnapshot, QualityScore } from "../../voice";

export type DotTone = QualityScore | "pending" | "failed";

export interface PeerStatus {
  tone: DotTone;
  /** Short, for the tooltip: "Good connection · 2 % loss · 40 ms". */
  label: string;
}

const QUALITY_WORDS: Record<QualityScore, string> = {
  excellent: "Excellent connection",
  good: "Good connection",
  fair: "Fair connection",
  poor: "Poor connection",
};

export function describePeer(peer: Pick<PeerSnapshot, "state" | "quality" | "relayed">): PeerStatus {
  switch (peer.state) {
    case "new":
    case "connecting":
      return { tone: "pending", label: "Connecting voice…" };
    case "reconnecting":
      return { tone: "pending", label: "Voice reconnecting…" };
    case "failed":
      return { tone: "failed", label: "Voice connection failed" };
    case "closed":
      return { tone: "failed", label: "Voice disconnected" };
    case "connected":
      break;
  }
  const route = peer.relayed ? " · via relay" : "";
  const quality = peer.quality;
  if (!quality) return { tone: "excellent", label: `Connected${route}` };
  const details = [`${Math.round(quality.packetLoss * 100)} % loss`, `${Math.round(quality.jitterMs)} ms jitter`];
  if (quality.rttMs !== null) details.push(`${Math.round(quality.rttMs)} ms round trip`);
  return { tone: quality.score, label: `${QUALITY_WORDS[quality.score]} · ${details.join(" · ")}${route}` };
}

/** Volume 0..2 as the percentage people read (0–200 %). */
export function volumePercent(volume: number): number {
  return Math.round(Math.min(2, Math.max(0, volume)) * 100);
}
