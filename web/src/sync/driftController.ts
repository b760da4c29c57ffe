/**
 * Decides how to steer a player back onto the room's timeline (spec 4.2.6).
 * Pure decision logic: fed drift samples and the clock, it answers with a
 * correction; the engine performs it. No timers, no DOM.
 *
 * Shaped by what was measured in Chromium on this project's machines:
 * - every `playbackRate` switch on media with audio makes the media clock jump
 *   back ~21–26 ms (video-only: < 0.3 ms), so small, frequent rate nudges make
 *   things worse. The controller keeps a wide dead band and, when it does use
 *   the rate, holds it long enough to remove the whole drift, counting the
 *   cost of both switches (on and off);
 * - a seek to target + ~80 ms lands within +1..+6 ms: large drift is removed
 *   by one seek that leads the target by the seek latency, learned from the
 *   landing error of previous seeks.
 *
 * Hysteresis: a correction is only started from the median of several
 * samples, is never reversed mid-way (a rate hold always returns to the base
 * rate first), and is followed by a settle period with no new decision.
 */

export interface ControllerTuning {
  /** |drift| below this is left alone. */
  deadBandMs: number;
  /** |drift| at or above this is corrected by a seek instead of the rate. */
  seekThresholdMs: number;
  /** Whether the player can take fractional rates (YouTube cannot reliably). */
  rateCorrection: boolean;
  /** Relative rate change while correcting (0.05 → 1.05× / 0.95×). */
  rateDelta: number;
  /** Longest rate hold; anything needing longer is a seek. */
  maxRateHoldMs: number;
  /** Backward media-clock jump per rate switch. */
  rateSwitchCostMs: number;
  /** Seek lead before anything is learned. */
  initialSeekLeadMs: number;
  /** Bounds for the learned seek lead. */
  maxSeekLeadMs: number;
  /** No decision for this long after a seek (the player buffers and decodes). */
  seekCooldownMs: number;
  /** No decision for this long after a rate hold ends. */
  settleMs: number;
  /** Samples whose median a decision is made on (one per engine tick). */
  samplesPerDecision: number;
}

/**
 * HTML5 video and hls.js (both are the browser's media pipeline).
 * - deadBandMs 70: one rate correction costs two switches of up to 26 ms
 *   (≈ 50 ms of backward jumps); correcting less than ~70 ms would not pay
 *   back, and 70 ms is well inside the 150 ms "green" band.
 * - seekThresholdMs 500: spec 4.2.6 ("≥ 500 ms: hard seek"). At 5 % the
 *   largest rate correction then takes (500 + 2·24) / 0.05 ≈ 11 s.
 * - rateDelta 0.05: Chromium preserves pitch, and 5 % keeps even the largest
 *   hold near 10 s; slower rates would leave people audibly apart for longer.
 * - rateSwitchCostMs 24: the middle of the measured 21–26 ms.
 * - initialSeekLeadMs 80: measured, a seek to target + 80 ms lands +1..+6 ms.
 * - seekCooldownMs 1500: a seek in a buffered range resumes in < 200 ms, an
 *   unbuffered one within ~1 s on a LAN; measuring before that sees the seek,
 *   not the drift.
 * - settleMs 1000: `currentTime` is interpolated; after a rate switch it takes
 *   a few frames' worth of ticks to report the new slope cleanly.
 * - samplesPerDecision 4: at one sample per 250 ms tick, a second of evidence;
 *   a single noisy reading never triggers a correction.
 */
export const HTML5_TUNING: ControllerTuning = {
  deadBandMs: 70,
  seekThresholdMs: 500,
  rateCorrection: true,
  rateDelta: 0.05,
  maxRateHoldMs: 12_000,
  rateSwitchCostMs: 24,
  initialSeekLeadMs: 80,
  maxSeekLeadMs: 1_000,
  seekCooldownMs: 1_500,
  settleMs: 1_000,
  samplesPerDecision: 4,
};

/**
 * YouTube IFrame player: lower precision (spec 4.5.2 discloses ±500 ms).
 * Its rates are a fixed list (0.25, 0.5, …), so no rate correction; its
 * `getCurrentTime()` crosses a postMessage boundary and jitters by tens of
 * ms, and its seeks are slower. Hence: leave drift under 300 ms alone, seek
 * beyond it with a 250 ms initial lead, and wait 3 s after each seek.
 */
export const YOUTUBE_TUNING: ControllerTuning = {
  deadBandMs: 300,
  seekThresholdMs: 300,
  rateCorrection: false,
  rateDelta: 0,
  maxRateHoldMs: 0,
  rateSwitchCostMs: 0,
  initialSeekLeadMs: 250,
  maxSeekLeadMs: 2_000,
  seekCooldownMs: 3_000,
  settleMs: 1_000,
  samplesPerDecision: 6,
};

export type Correction =
  | { kind: "none" }
  | { kind: "rate"; rate: number; holdMs: number }
  | { kind: "restore_rate"; rate: number }
  /** Seek to the expected position plus `leadMs` of media. */
  | { kind: "seek"; leadMs: number };

export interface ControllerInput {
  nowMs: number;
  /** Player position minus expected position (positive: ahead of the room). */
  driftMs: number;
  /** The room's rate (the state's playbackRate). */
  baseRate: number;
  /** Whether the room is playing and the player is actually advancing. */
  active: boolean;
}

const NONE: Correction = { kind: "none" };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type ControllerMode = "idle" | "rate" | "seek";

export class DriftController {
  mode: ControllerMode = "idle";
  seekLeadMs: number;
  corrections = { rate: 0, seek: 0 };
  /** Landing errors of the last seeks (drift measured after each settled). */
  landingErrorsMs: number[] = [];

  private samples: number[] = [];
  private quietUntil = 0;
  private holdUntil = 0;
  private holdSign = 0;
  private awaitingLanding = false;

  constructor(readonly tuning: ControllerTuning) {
    this.seekLeadMs = tuning.initialSeekLeadMs;
  }

  /** Forget the current correction (new command, new source, pause). */
  reset(nowMs: number, quietMs = 0): void {
    this.samples = [];
    this.mode = "idle";
    this.holdSign = 0;
    this.awaitingLanding = false;
    this.quietUntil = nowMs + quietMs;
  }

  /** The engine performed a seek of its own (command or resync): measure its landing too. */
  noteSeek(nowMs: number): void {
    this.samples = [];
    this.mode = "seek";
    this.awaitingLanding = true;
    this.quietUntil = nowMs + this.tuning.seekCooldownMs;
  }

  update({ nowMs, driftMs, baseRate, active }: ControllerInput): Correction {
    const t = this.tuning;
    if (!active) {
      // Stalled, buffering or paused: drift means nothing now. End a rate hold.
      const wasHolding = this.mode === "rate";
      this.samples = [];
      if (wasHolding) {
        this.mode = "idle";
        return { kind: "restore_rate", rate: baseRate };
      }
      return NONE;
    }

    if (this.mode === "rate") {
      const overshot = Math.sign(driftMs) === -this.holdSign && Math.abs(driftMs) > t.deadBandMs;
      const runaway = Math.abs(driftMs) >= t.seekThresholdMs;
      if (nowMs >= this.holdUntil || overshot || runaway) {
        this.mode = "idle";
        this.samples = [];
        this.quietUntil = nowMs + t.settleMs;
        return { kind: "restore_rate", rate: baseRate };
      }
      return NONE;
    }

    if (nowMs < this.quietUntil) return NONE;
    this.samples.push(driftMs);
    if (this.samples.length > t.samplesPerDecision) this.samples.shift();
    if (this.samples.length < t.samplesPerDecision) return NONE;
    const drift = median(this.samples);

    if (this.mode === "seek") {
      this.mode = "idle";
      if (this.awaitingLanding) this.learnFromLanding(drift);
    }

    // Act only when every sample of the window is outside the dead band on the
    // same side: a lone outlier, or a window straddling a sudden jump, would
    // otherwise start a correction sized for a drift that is not there.
    const side = Math.sign(drift);
    if (!this.samples.every((s) => Math.sign(s) === side && Math.abs(s) >= t.deadBandMs)) return NONE;
    const abs = Math.abs(drift);

    const seek = abs >= t.seekThresholdMs || !t.rateCorrection;
    if (!seek) {
      const step = t.rateDelta * baseRate; // drift removed per ms of wall time
      const behind = drift < 0;
      // Both switches jump the clock back: that adds to a lag and eats into a lead.
      const toRemove = behind ? abs + 2 * t.rateSwitchCostMs : abs - 2 * t.rateSwitchCostMs;
      const holdMs = toRemove / step;
      if (holdMs <= 0) return NONE; // the switches alone would overshoot
      if (holdMs <= t.maxRateHoldMs) {
        this.mode = "rate";
        this.holdSign = Math.sign(drift);
        this.holdUntil = nowMs + holdMs;
        this.corrections.rate += 1;
        this.samples = [];
        return { kind: "rate", rate: baseRate * (behind ? 1 + t.rateDelta : 1 - t.rateDelta), holdMs };
      }
    }
    this.corrections.seek += 1;
    this.noteSeek(nowMs);
    return { kind: "seek", leadMs: this.seekLeadMs };
  }

  /**
   * A seek that landed `errorMs` off (positive: ahead) had too much lead by
   * that much. Move the lead halfway towards the correct value each time, so
   * one odd seek (cold cache) cannot throw it far.
   */
  private learnFromLanding(errorMs: number): void {
    this.awaitingLanding = false;
    // A landing far outside the dead band was not the lead's fault (a stall, a
    // clock jump): do not learn from it.
    if (Math.abs(errorMs) > this.tuning.seekThresholdMs) return;
    this.landingErrorsMs = [...this.landingErrorsMs, errorMs].slice(-5);
    this.seekLeadMs = Math.min(this.tuning.maxSeekLeadMs, Math.max(0, this.seekLeadMs - errorMs / 2));
  }
}
