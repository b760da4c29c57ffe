/**
 * The controller's decisions on their own: drift samples and the time are
 * handed in, nothing runs. How soon it acts decides how soon a page that a
 * seek or a disturbance left out of step is back with the others (issue 11
 * §6: within 20 ms in ≤ 1 s).
 */
import { describe, expect, it } from "vitest";
import {
  DriftController,
  HTML5_TUNING,
  UNITY_MARGIN,
  YOUTUBE_TUNING,
  awayFromUnity,
  bandMs,
  decisionWindow,
  holdDelta,
  type Correction,
} from "./driftController";

const TICK = 250;
const FRAME = 1000 / 60;
const BAND = Math.max(HTML5_TUNING.deadBandMs, FRAME * HTML5_TUNING.bandFrames);

describe("decisionWindow", () => {
  it("waits for a full window while the drift is near the band", () => {
    expect(decisionWindow([14, 15], HTML5_TUNING, BAND)).toBeNull();
    expect(decisionWindow([14, 15, 13], HTML5_TUNING, BAND)).toBeNull();
    expect(decisionWindow([14, 15, 13, 14], HTML5_TUNING, BAND)).toEqual([14, 15, 13, 14]);
  });

  it("decides on two ticks when both are clearly off on one side", () => {
    expect(decisionWindow([-33], HTML5_TUNING, BAND)).toBeNull();
    expect(decisionWindow([-33, -34], HTML5_TUNING, BAND)).toEqual([-33, -34]);
    expect(decisionWindow([2, -33, -34], HTML5_TUNING, BAND)).toEqual([-33, -34]);
  });

  it("does not take two readings on opposite sides, or one near the band, as evidence", () => {
    expect(decisionWindow([33, -34], HTML5_TUNING, BAND)).toBeNull();
    expect(decisionWindow([-33, -15], HTML5_TUNING, BAND)).toBeNull();
  });

  it("always wants the full window for a noisy player", () => {
    expect(decisionWindow([-600, -600], YOUTUBE_TUNING, YOUTUBE_TUNING.deadBandMs)).toBeNull();
  });
});

describe("the dead band", () => {
  it("is wider at rates where the picture skips frames, if the tuning says so", () => {
    const tuning = { ...HTML5_TUNING, deadBandMs: 8, bandFrames: 0.5, offUnityBandFrames: 0.75 };
    expect(bandMs(tuning, FRAME, 1)).toBeCloseTo(FRAME / 2);
    expect(bandMs(tuning, FRAME, 1.25)).toBeCloseTo(0.75 * FRAME);
    expect(bandMs(tuning, null, 1.25)).toBe(8); // no frame seen yet: the band in ms
  });
});

describe("holdDelta", () => {
  it("holds at 20 % for a few frames, firmer for more, never past 40 %", () => {
    expect(holdDelta(-33, HTML5_TUNING)).toBe(0.2);
    expect(holdDelta(120, HTML5_TUNING)).toBeCloseTo(0.3);
    expect(holdDelta(-200, HTML5_TUNING)).toBeCloseTo(0.4);
    expect(holdDelta(290, HTML5_TUNING)).toBe(0.4);
  });

  it("never holds at 1× from another rate, where Chromium stops its time stretcher", () => {
    expect(1.25 * (1 - awayFromUnity(0.2, -1, 1.25))).toBeCloseTo(1 - UNITY_MARGIN);
    expect(0.8 * (1 + awayFromUnity(0.25, 1, 0.8))).toBeCloseTo(1 + UNITY_MARGIN);
    expect(awayFromUnity(0.1, -1, 1.25)).toBe(0.1); // 1.125×
    expect(awayFromUnity(0.1, 1, 1)).toBe(0.1); // from 1× itself nothing changes
  });
});

/** Feeds one reading per tick from `fromMs`; returns the first correction and when it came. */
function firstCorrection(
  controller: DriftController,
  drift: (nowMs: number) => number | null,
  fromMs: number,
  untilMs: number,
  baseRate = 1,
): { at: number; correction: Correction } | null {
  for (let now = fromMs; now <= untilMs; now += TICK) {
    const reading = drift(now);
    const correction = controller.update({ nowMs: now, driftMs: reading ?? 0, baseRate, active: reading !== null, frameMs: FRAME });
    if (correction.kind !== "none") return { at: now, correction };
  }
  return null;
}

describe("after a seek", () => {
  it("starts a hold within 750 ms of a seek that landed two frames behind, back within 20 ms before the second is over", () => {
    const controller = new DriftController(HTML5_TUNING);
    controller.update({ nowMs: 0, driftMs: 0, baseRate: 1, active: true, frameMs: FRAME });
    controller.noteSeek(0);
    // Seeking (inactive) for 150 ms, then two frames behind.
    const found = firstCorrection(controller, (t) => (t < 150 ? null : -2 * FRAME), TICK, 3_000);
    expect(found).not.toBeNull();
    expect(found!.at).toBeLessThanOrEqual(750);
    expect(found!.correction).toEqual({ kind: "rate", rate: 1 + HTML5_TUNING.rateDelta, holdMs: expect.any(Number) });
    const { holdMs } = found!.correction as { holdMs: number };
    // Net of the 25 ms the switch costs at 1×, the hold takes back the two frames…
    expect(holdMs * HTML5_TUNING.rateDelta - HTML5_TUNING.holdCostMs).toBeCloseTo(2 * FRAME, 5);
    // …and the page, 2 frames + 25 ms behind once the switch is paid, is within 20 ms before 1 s.
    const within20 = found!.at + (2 * FRAME + HTML5_TUNING.holdCostMs - 20) / HTML5_TUNING.rateDelta;
    expect(within20).toBeLessThanOrEqual(1_000);
    expect(found!.at + holdMs).toBeLessThanOrEqual(1_050);
  });

  it("is as prompt at 1.25×, where most slow seeks were", () => {
    const controller = new DriftController(HTML5_TUNING);
    controller.noteSeek(0);
    const found = firstCorrection(controller, (t) => (t < 200 ? null : 2 * FRAME), TICK, 3_000, 1.25);
    expect(found!.at).toBeLessThanOrEqual(750);
    const { rate, holdMs } = found!.correction as { rate: number; holdMs: number };
    // 1.25 × 0.8 would be 1×, where Chromium stops its time stretcher: a little firmer.
    expect(rate).toBeCloseTo(1 - UNITY_MARGIN);
    expect(found!.at + holdMs).toBeLessThanOrEqual(1_000);
  });

  it("leaves a seek that landed on the frame alone", () => {
    const controller = new DriftController(HTML5_TUNING);
    controller.noteSeek(0);
    expect(firstCorrection(controller, (t) => (t < 150 ? null : 4), TICK, 60_000)).toBeNull();
  });
});

describe("after a local disturbance", () => {
  it("waits out a stall, then acts within a second of the picture moving again", () => {
    const controller = new DriftController(HTML5_TUNING);
    firstCorrection(controller, () => 0, 0, 5_000);
    // Stalled from 5 s to 5.4 s: inactive, then 180 ms behind.
    const found = firstCorrection(controller, (t) => (t < 5_400 ? null : -180), 5_250, 10_000);
    expect(found!.at).toBeGreaterThanOrEqual(5_400 + HTML5_TUNING.resumeSettleMs);
    expect(found!.at).toBeLessThanOrEqual(5_400 + 750);
    const { rate, holdMs } = found!.correction as { rate: number; holdMs: number };
    expect(rate).toBeCloseTo(1.4);
    // 180 ms plus the switching cost, at +40 %: within 20 ms about a second after the stall.
    expect(holdMs).toBeCloseTo((180 + HTML5_TUNING.holdCostMs) / 0.4);
    expect(found!.at + (180 + HTML5_TUNING.holdCostMs - 20) / 0.4 - 5_400).toBeLessThanOrEqual(1_100);
  });

  it("acts on a clear jump within two ticks, with no settle when nothing stopped", () => {
    const controller = new DriftController(HTML5_TUNING);
    firstCorrection(controller, () => 0, 0, 5_000);
    // A tab throttled for a moment: the picture is suddenly 30 ms ahead.
    const found = firstCorrection(controller, () => 30, 5_250, 10_000);
    expect(found!.at).toBe(5_500);
    expect(found!.correction).toMatchObject({ kind: "rate", rate: 1 - HTML5_TUNING.rateDelta });
  });

  it("still needs a full second of evidence near the band, so reading noise starts nothing", () => {
    const controller = new DriftController(HTML5_TUNING);
    firstCorrection(controller, () => 0, 0, 5_000);
    // Frame-boundary noise: readings flick between on time and one frame ahead.
    const noisy = (t: number) => ((t / TICK) % 2 ? FRAME : 0);
    expect(firstCorrection(controller, noisy, 5_250, 65_000)).toBeNull();
    // Steadily one frame ahead: corrected, but only after four ticks.
    const found = firstCorrection(controller, () => FRAME, 65_250, 70_000);
    expect(found!.at).toBe(65_250 + 3 * TICK);
  });

  it("holds off for the settle period after a hold, then decides again quickly", () => {
    const controller = new DriftController(HTML5_TUNING);
    firstCorrection(controller, () => 0, 0, 5_000);
    const first = firstCorrection(controller, () => -40, 5_250, 6_000);
    expect(first!.correction.kind).toBe("rate");
    controller.endHold(6_000, 1);
    // The hold fell short (the switch cost more): still 30 ms behind.
    const second = firstCorrection(controller, () => -30, 6_250, 10_000);
    expect(second!.at).toBeGreaterThanOrEqual(6_000 + HTML5_TUNING.settleMs);
    expect(second!.at).toBeLessThanOrEqual(6_000 + HTML5_TUNING.settleMs + 2 * TICK);
  });
});
