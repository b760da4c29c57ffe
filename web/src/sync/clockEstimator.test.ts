import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClockEstimator, ClockSync, FIRST_REBURST_MS, PING_SPACING_MS, SAMPLES_PER_BURST, STEADY_REBURST_MS, sampleFromPong } from "./clockEstimator";

/** A fake network: server clock = local + trueOffset; each leg's delay from a list. */
function exchange(estimator: ClockEstimator, local: number, trueOffset: number, up: number, down: number, serverWork = 0.2) {
  const t0 = local;
  const t1 = t0 + up + trueOffset;
  const t2 = t1 + serverWork;
  const t3 = t2 - trueOffset + down;
  estimator.addSample(sampleFromPong(t0, t1, t2, t3));
}

describe("clock offset estimation", () => {
  it("computes offset and RTT with the NTP formula", () => {
    const s = sampleFromPong(1000, 6010, 6011, 1021);
    expect(s.rttMs).toBe(20);
    expect(s.offsetMs).toBe(5000);
  });

  it("trusts the lowest-RTT samples, so congested pings do not skew the offset", () => {
    const est = new ClockEstimator();
    // Two clean round trips (5 ms each way) and six where the uplink queued for 40–150 ms.
    exchange(est, 0, 1234, 5, 5);
    exchange(est, 50, 1234, 5, 5.4);
    for (const [i, queued] of [40, 80, 150, 60, 90, 120].entries()) exchange(est, 100 + i * 50, 1234, 5 + queued, 5);
    est.endBurst();
    expect(est.offsetMs).toBeCloseTo(1234, 0);
    expect(est.rttMs).toBeLessThan(11);
    expect(est.lastBurstRttMs).toBeGreaterThan(50);
  });

  it("follows a clock jump at once instead of averaging it away", () => {
    const est = new ClockEstimator();
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 8; i++) exchange(est, b * 1000 + i * 50, 500, 4, 4);
      est.endBurst();
    }
    expect(est.offsetMs).toBeCloseTo(500, 0);
    // The machine slept and NTP stepped the clock by 2 s.
    for (let i = 0; i < 8; i++) exchange(est, 5000 + i * 50, 2500, 4, 4);
    est.endBurst();
    expect(est.offsetMs).toBeCloseTo(2500, 0);
    expect(est.jumps).toBe(1);
  });

  it("does not let a congested burst fake a jump", () => {
    const est = new ClockEstimator();
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 8; i++) exchange(est, b * 1000 + i * 50, 500, 2, 2);
      est.endBurst();
    }
    // Every pong of this burst waited ~80 ms behind a busy main thread.
    for (let i = 0; i < 8; i++) exchange(est, 5000 + i * 50, 500, 2, 80 + i);
    est.endBurst();
    expect(est.jumps).toBe(0);
    expect(est.offsetMs).toBeCloseTo(500, 0);
  });

  it("does not call ordinary jitter a jump", () => {
    const est = new ClockEstimator();
    for (let b = 0; b < 5; b++) {
      for (let i = 0; i < 8; i++) exchange(est, b * 1000 + i * 50, 500 + (b % 2 ? 3 : -3), 4 + (i % 3), 4);
      est.endBurst();
    }
    expect(est.jumps).toBe(0);
    expect(Math.abs(est.offsetMs - 500)).toBeLessThan(5);
  });
});

describe("ClockSync schedule", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends bursts of 8 spaced pings, re-estimates after 10 s then every 30 s", async () => {
    const sent: number[] = [];
    const estimator = new ClockEstimator();
    const trueOffset = 700;
    const now = () => Date.now();
    const sync: ClockSync = new ClockSync(
      estimator,
      (t0) => {
        sent.push(t0);
        // The server answers 10 ms later on the fake network.
        setTimeout(() => sync.onPong(t0, t0 + 5 + trueOffset, t0 + 5 + trueOffset), 10);
        return true;
      },
      now,
    );
    sync.start();
    await vi.advanceTimersByTimeAsync(SAMPLES_PER_BURST * PING_SPACING_MS + 20);
    expect(sent).toHaveLength(8);
    expect(estimator.hasEstimate).toBe(true);
    expect(estimator.offsetMs).toBeCloseTo(trueOffset, 0);
    await vi.advanceTimersByTimeAsync(FIRST_REBURST_MS + 500);
    expect(sent).toHaveLength(16);
    await vi.advanceTimersByTimeAsync(STEADY_REBURST_MS - 1_000);
    expect(sent).toHaveLength(16);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent).toHaveLength(24);
    sync.stop();
  });

  it("finishes a burst whose pongs were lost rather than stalling", async () => {
    const estimator = new ClockEstimator();
    const sent: number[] = [];
    const sync = new ClockSync(estimator, (t0) => (sent.push(t0), true), () => Date.now());
    sync.start();
    await vi.advanceTimersByTimeAsync(3_000 + FIRST_REBURST_MS);
    expect(sent.length).toBe(16);
    sync.stop();
  });
});
