import { describe, expect, it } from "vitest";
import { describePeer, volumePercent } from "./peerStatus";

const quality = (score: "excellent" | "good" | "fair" | "poor", packetLoss = 0.02, jitterMs = 12.4, rttMs: number | null = 41) => ({ score, packetLoss, jitterMs, rttMs, bitrateKbps: 32 });

describe("describePeer", () => {
  it("shows the measured quality with its numbers", () => {
    expect(describePeer({ state: "connected", relayed: false, quality: quality("good") })).toEqual({
      tone: "good",
      label: "Good connection · 2 % loss · 12 ms jitter · 41 ms round trip",
    });
  });

  it("says when the call goes through the relay", () => {
    expect(describePeer({ state: "connected", relayed: true, quality: quality("poor", 0.1, 80, null) }).label).toBe("Poor connection · 10 % loss · 80 ms jitter · via relay");
  });

  it("is pending while connecting and red once the connection gave up", () => {
    expect(describePeer({ state: "connecting", relayed: null, quality: null }).tone).toBe("pending");
    expect(describePeer({ state: "reconnecting", relayed: null, quality: null }).label).toMatch(/reconnecting/);
    expect(describePeer({ state: "failed", relayed: null, quality: null })).toEqual({ tone: "failed", label: "Voice connection failed" });
  });

  it("counts a connection without a first sample yet as connected", () => {
    expect(describePeer({ state: "connected", relayed: false, quality: null })).toEqual({ tone: "excellent", label: "Connected" });
  });
});

describe("volumePercent", () => {
  it("reads 0..2 as 0–200 %", () => {
    expect(volumePercent(0)).toBe(0);
    expect(volumePercent(1.25)).toBe(125);
    expect(volumePercent(5)).toBe(200);
  });
});
