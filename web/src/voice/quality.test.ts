import { describe, expect, it } from "vitest";
import { qualityBetween, sampleFromStats, scoreQuality, selectedCandidateType } from "./quality";

function stats(reports: Array<Record<string, unknown>>) {
  return { forEach: (callback: (report: Record<string, unknown>) => void) => reports.forEach(callback) };
}

const connectedPair = [
  { id: "T1", type: "transport", selectedCandidatePairId: "CP1" },
  { id: "CP1", type: "candidate-pair", localCandidateId: "L1", state: "succeeded", nominated: true, currentRoundTripTime: 0.04 },
  { id: "L1", type: "local-candidate", candidateType: "relay" },
];

function inbound(timestamp: number, packetsReceived: number, packetsLost: number, bytesReceived: number, jitter = 0.005) {
  return { id: "IN", type: "inbound-rtp", kind: "audio", timestamp, packetsReceived, packetsLost, bytesReceived, jitter };
}

describe("scoreQuality", () => {
  it.each([
    [0, 5, 20, "excellent"],
    [0.02, 10, 20, "good"],
    [0, 40, 20, "good"],
    [0, 5, 200, "good"],
    [0.04, 5, 20, "fair"],
    [0, 80, 20, "fair"],
    [0.08, 5, 20, "poor"],
    [0, 150, 20, "poor"],
    [0, 5, 900, "poor"],
  ] as const)("loss %s, jitter %s ms, rtt %s ms is %s", (loss, jitter, rtt, expected) => {
    expect(scoreQuality(loss, jitter, rtt)).toBe(expected);
  });

  it("judges by loss and jitter alone before a round-trip time is known", () => {
    expect(scoreQuality(0, 5, null)).toBe("excellent");
  });
});

describe("stats", () => {
  it("finds the selected pair's candidate type and round-trip time", () => {
    const sample = sampleFromStats(stats([...connectedPair, inbound(1000, 50, 0, 4000)]));
    expect(selectedCandidateType(stats(connectedPair))).toBe("relay");
    expect(sample?.rttMs).toBeCloseTo(40);
    expect(sample?.jitterMs).toBeCloseTo(5);
  });

  it("falls back to the nominated pair when the transport names none", () => {
    expect(selectedCandidateType(stats(connectedPair.slice(1)))).toBe("relay");
    expect(selectedCandidateType(stats([]))).toBeNull();
  });

  it("has no sample before audio arrives", () => {
    expect(sampleFromStats(stats(connectedPair))).toBeNull();
  });

  it("measures loss and bitrate over the last interval, not since the call began", () => {
    // 10 % loss early in the call, none in the last second.
    const earlier = sampleFromStats(stats([...connectedPair, inbound(1_000, 90, 10, 10_000)]))!;
    const now = sampleFromStats(stats([...connectedPair, inbound(2_000, 140, 10, 14_000)]))!;
    const quality = qualityBetween(earlier, now);
    expect(quality.packetLoss).toBe(0);
    expect(quality.bitrateKbps).toBeCloseTo(32);
    expect(quality.score).toBe("excellent");
    const worse = sampleFromStats(stats([...connectedPair, inbound(3_000, 180, 20, 18_000)]))!;
    expect(qualityBetween(now, worse).packetLoss).toBeCloseTo(0.2);
    expect(qualityBetween(now, worse).score).toBe("poor");
  });
});
