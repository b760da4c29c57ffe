/**
 * Decides how to steer a player back onto the room's timeline (spec 4.2.6).
 * Pure decision logic: fed drift samples and the clock, it answers with a
 * correction; the engine performs it. No timers, no DOM.
 *
 * Shaped by what was measured in Chromium on this project's machines
 * (`nox -s bench -- drift`, docs/adr/0004-sync-controller.md):
 * - pages that do the same thing at the same instant stay on the same frame:
 *   commands take effect at one server instant everywhere, and left alone,
 *   three pages held 0.1 ms apart for a minute. Most inter-client drift came
 *   from corrections each page made on its own, so the controller corrects
 *   rarely and decides on the shared tick grid (see SyncEngine);
 * - a seek while playing resumes after a latency that varies by tens of ms
 *   (fetching, decoding), so pages seeking at the same instant landed up to
 *   three frames apart: seeks are for drift a hold cannot fix, ahead by a
 *   lead learned from where previous seeks landed;
 * - a rate hold moves the clock smoothly and ends on a timer, so it lands
 *   within a few ms; but leaving 1× starts Chromium's audio time stretcher,
 *   which costs the media clock ~25 ms per hold (21–26 ms per switch measured
 *   one at a time), while a hold between two other rates cost ~5 ms.
 *   Holds are sized net of that cost, learned from where each one lands.
 *
 * Hysteresis: a correction is only started when every sample of a window is
 * outside the dead band on the same side, is never reversed mid-way (a rate
 * hold always returns to the base rate first), and is followed by a settle
 * period with no new decision.
 *
 * Promptness (issue 11 §6, ADR 0004 "Deciding sooner"): a page that is off
 * after a seek or a local disturbance must be back within 20 ms of the others
 * in a second. So the evidence a decision needs shrinks as the drift grows: a
 * full window for drift near the band (where a noisy reading could fool it),
 * two ticks for drift clearly outside it; the waits after a seek or a stall
 * only skip the first frames after the picture moves again (while the player
 * seeks or buffers it is inactive and nothing is sampled anyway); and holds
 * are short and firm (±20 %), so one takes a fraction of a second.
 */

export interface ControllerTuning {
  /** |drift| below this is left alone (or below `bandFrames` frames, if wider). */
  deadBandMs: number;
  /** The band in frames of the video, for low frame rates (the picture moves in whole frames). */
  bandFrames: number;
  /**
   * The band in frames at a room rate other than 1×, where a 60 fps video on
   * a 60 Hz display skips frames (one in five at 1.25×): the picture's
   * position jitters by up to a frame, and only an averaged reading placed
   * mid-frame (`offUnityFrameCentre`) can take a band under a frame.
   */
  offUnityBandFrames: number;
  /**
   * Presented frames the picture's position is averaged over (1: the newest
   * frame alone). One frame places the picture only to within a frame.
   */
  presentedFrames: number;
  /**
   * At a room rate other than 1×, where in its frame the picture's reading is
   * placed, in frames (0.5: the middle; see `offUnityBandFrames`).
   */
  offUnityFrameCentre: number;
  /** |drift| at or above this is corrected by a seek instead of the rate. */
  seekThresholdMs: number;
  /** Whether the player can take fractional rates (YouTube cannot reliably). */
  rateCorrection: boolean;
  /** Relative rate change while correcting (0.2 → 1.2× / 0.8×), for drift up to `rateDelta × targetHoldMs`. */
  rateDelta: number;
  /** Larger drift gets a firmer hold, up to this relative change, so that it still lasts about `targetHoldMs`. */
  maxRateDelta: number;
  /** How long a hold should last (drift beyond what `maxRateDelta` removes in it takes longer). */
  targetHoldMs: number;
  /** Longest rate hold; anything needing longer is a seek. */
  maxRateHoldMs: number;
  /** Media time one rate hold loses to its two switches, before anything is learned. */
  holdCostMs: number;
  /** Seek lead before anything is learned. */
  initialSeekLeadMs: number;
  /** Bounds for the learned seek lead. */
  maxSeekLeadMs: number;
  /** No decision for this long after a seek (the player buffers and decodes). */
  seekCooldownMs: number;
  /** No decision for this long after the player moves again (a stall, buffering or a start ended). */
  resumeSettleMs: number;
  /** No decision for this long after a rate hold ends. */
  settleMs: number;
  /** Samples whose median a decision is made on (one per engine tick). */
  samplesPerDecision: number;
  /** Fewer samples that are enough when each of them is `quickBands` dead bands off, on one side. */
  quickSamples: number;
  /** How far off (in dead bands) drift must be for `quickSamples` to be enough evidence. */
  quickBands: number;
}

/**
 * HTML5 video and hls.js (both are the browser's media pipeline).
 * - deadBandMs 12, bandFrames 0.75 (whichever is wider): drift is read from
 *   the picture, which moves in whole frames, so a band under a frame would
 *   chase frame boundaries; one much wider lets members sit two frames apart
 *   (±20 ms at 60 fps is 40 ms between two members). Against 20 ms / 1.25
 *   frames in one benchmark run: drift p95 16.8 vs 33.4 ms, 0.61 vs 2.46
 *   corrections a minute. Far inside the 150 ms "green" band.
 * - seekThresholdMs 300: spec 4.2.6 asks for the rate below 200 ms and a seek
 *   from 500 ms; 300 ms keeps the longest hold near 7 s at 5 %.
 * - rateDelta 0.2: Chromium preserves pitch; a firm hold is short (two frames
 *   behind at 1× take ~290 ms with the switching cost), so a page is back in
 *   step within the second the issue asks for. At 5 % the same hold took
 *   over a second; at 10 % (one benchmark run) seeks were back within 20 ms
 *   after 0.9–1.05 s, at 20 % after 0.23 s where no hold went through 1×.
 * - maxRateDelta 0.4, targetHoldMs 400: a stall leaves a page 100–300 ms
 *   behind; at 20 % that hold would take over a second, at up to 40 % about
 *   half of one (a visible hurry, after a visible stall; a seek would stop
 *   the picture again and land a frame or two off). Up to 50 % measured no
 *   better than 25 % (1.4 against 1.05 s after a stall, one run each).
 * - No hold plays at (or within 2 % of) 1× from another rate: Chromium
 *   bypasses its time stretcher at exactly 1×, so such a hold pays the ~25 ms
 *   of stopping and restarting it (measured: 1.25× → 1× holds after a seek
 *   landed 25–30 ms off and set three pages two frames apart).
 * - holdCostMs 25: the net loss of one hold at 1× measured in the benchmark
 *   (23–28 ms over eight holds from 67–87 ms behind); learned per direction
 *   and base rate afterwards.
 * - initialSeekLeadMs 80: measured, a seek to target + 80 ms lands +1..+6 ms.
 * - seekCooldownMs 300, resumeSettleMs 250: while a seek or a stall lasts the
 *   player is inactive (seeking, buffering) and nothing is sampled; these only
 *   skip the first frames once the picture moves again. The former 1.5 s
 *   cooldown was most of why seeks took seconds to converge.
 * - settleMs 500: drift is read from the picture, which shows the end of a
 *   hold at once; half a second lets the rate switch finish.
 * - presentedFrames 8: the picture's position is averaged over the last
 *   eight presented frames (two cycles of the 1.25× pattern: a 60 fps video
 *   on a 60 Hz display shows four of every five frames). The newest frame
 *   alone jumped by most of a frame from one reading to the next at 1.25×,
 *   so no window of readings was ever wholly outside the band and two pages
 *   sat a frame apart for the whole rate segment (the slow 1.25× seeks).
 * - offUnityFrameCentre 0.5, offUnityBandFrames 0.5: away from 1× the
 *   frame each refresh shows moves through its interval (at 1.25× on 60 Hz,
 *   by a quarter frame a refresh), so the eight-frame average lies half a
 *   frame behind the clock; placed mid-frame it reads the clock to a few ms,
 *   and a band of ±half a frame leaves exactly one frame at each refresh in
 *   step. With 0.75 frame around the raw reading, pages 20 ms apart both
 *   read inside the band and stayed a frame apart for the whole 1.25×
 *   segment (3 of 6 such segments in one run); with the centred reading, 0
 *   of 6 (ADR 0004, "the middle of the frame, away from 1×"). At 1× the
 *   reading cannot resolve less than a frame (every refresh shows the frame
 *   at the same point), so it stays as read, with the 0.75 frame band: a
 *   band of 8 ms / 0.5 frame there measured p50 0.1 ms but 5 corrections a
 *   minute, chasing moves the picture cannot show.
 * - samplesPerDecision 4: at one sample per 250 ms tick, a second of evidence
 *   near the band, where a single noisy reading must not trigger a correction;
 *   quickSamples 2 / quickBands 1.5: drift of 1.5 bands (19 ms at 60 fps) or
 *   more on two ticks in a row is no reading noise (a frame is 16.7 ms).
 */
export const HTML5_TUNING: ControllerTuning = {
  deadBandMs: 12,
  bandFrames: 0.75,
  offUnityBandFrames: 0.5,
  presentedFrames: 8,
  offUnityFrameCentre: 0.5,
  seekThresholdMs: 300,
  rateCorrection: true,
  rateDelta: 0.2,
  maxRateDelta: 0.4,
  targetHoldMs: 400,
  maxRateHoldMs: 12_000,
  holdCostMs: 25,
  initialSeekLeadMs: 80,
  maxSeekLeadMs: 1_000,
  seekCooldownMs: 300,
  resumeSettleMs: 250,
  settleMs: 500,
  samplesPerDecision: 4,
  quickSamples: 2,
  quickBands: 1.5,
};

/**
 * YouTube IFrame player: lower precision (spec 4.5.2 discloses ±500 ms).
 * Its rates are a fixed list (0.25, 0.5, …), so no rate correction; its
 * `getCurrentTime()` crosses a postMessage boundary and jitters by tens of
 * ms, and its seeks are slower. Hence: leave drift under 300 ms alone, seek
 * beyond it with a 250 ms initial lead, and wait 3 s after each seek. Its
 * readings are too noisy for quick decisions: always the full window.
 */
export const YOUTUBE_TUNING: ControllerTuning = {
  deadBandMs: 300,
  bandFrames: 0,
  offUnityBandFrames: 0,
  presentedFrames: 1,
  offUnityFrameCentre: 0,
  seekThresholdMs: 300,
  rateCorrection: false,
  rateDelta: 0,
  maxRateDelta: 0,
  targetHoldMs: 0,
  maxRateHoldMs: 0,
  holdCostMs: 0,
  initialSeekLeadMs: 250,
  maxSeekLeadMs: 2_000,
  seekCooldownMs: 3_000,
  resumeSettleMs: 1_000,
  settleMs: 1_000,
  samplesPerDecision: 6,
  quickSamples: 6,
  quickBands: 1,
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
  /**
   * The video's frame duration when the player knows it. Drift read from the
   * picture moves in whole frames, so a band narrower than a frame would
   * chase the frame boundaries.
   */
  frameMs?: number | null;
}

const NONE: Correction = { kind: "none" };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type ControllerMode = "idle" | "rate" | "seek";

/** What a finished correction is waiting to learn from. */
type Landing = { kind: "seek" } | { kind: "hold"; direction: 1 | -1; baseRate: number } | null;

/** A hold's timer may fire a little late; past this the tick ends it instead. */
const HOLD_TIMER_GRACE_MS = 100;

type HoldPlan = { direction: 1 | -1; delta: number; holdMs: number; landingMs: number };

export class DriftController {
  mode: ControllerMode = "idle";
  seekLeadMs: number;
  /**
   * Net media time one hold loses to its switches, learned per direction and
   * base rate (`"1@1"`: faster at 1×; `"-1@1.25"`: slower at 1.25×); the time
   * stretcher behaves differently at each.
   */
  holdCostMs: Record<string, number> = {};
  corrections = { rate: 0, seek: 0 };
  /** Landing errors of the last corrections (drift measured once each settled). */
  landingErrorsMs: number[] = [];

  private samples: number[] = [];
  private quietUntil = 0;
  private holdUntil = 0;
  private holdDirection: 1 | -1 = 1;
  private landing: Landing = null;
  /** Whether the last update saw the player advancing (to notice it moving again). */
  private wasActive = false;

  constructor(readonly tuning: ControllerTuning) {
    this.seekLeadMs = tuning.initialSeekLeadMs;
  }

  private costKey(direction: 1 | -1, baseRate: number): string {
    return `${direction}@${baseRate}`;
  }

  /**
   * Before anything is learned: Chromium bypasses its time stretcher at
   * exactly 1×, and entering and leaving it is what costs; between two other
   * rates (1.25× ↔ 1.3125×) a hold cost about 5 ms.
   */
  private holdCost(direction: 1 | -1, baseRate: number): number {
    return this.holdCostMs[this.costKey(direction, baseRate)] ?? (baseRate === 1 ? this.tuning.holdCostMs : 0);
  }

  /** Forget the current correction (new command, new source, pause). */
  reset(nowMs: number, quietMs = 0): void {
    this.samples = [];
    this.mode = "idle";
    this.landing = null;
    this.quietUntil = nowMs + quietMs;
  }

  /** The engine performed a seek of its own (command or resync): measure its landing too. */
  noteSeek(nowMs: number): void {
    this.samples = [];
    this.mode = "seek";
    this.landing = { kind: "seek" };
    this.quietUntil = nowMs + this.tuning.seekCooldownMs;
  }

  /** Ends the current rate hold (its timer fired, or the tick noticed it is over). */
  endHold(nowMs: number, baseRate: number): Correction {
    if (this.mode !== "rate") return NONE;
    this.mode = "idle";
    this.samples = [];
    this.landing = { kind: "hold", direction: this.holdDirection, baseRate };
    this.quietUntil = nowMs + this.tuning.settleMs;
    return { kind: "restore_rate", rate: baseRate };
  }

  update({ nowMs, driftMs, baseRate, active, frameMs }: ControllerInput): Correction {
    const t = this.tuning;
    const band = bandMs(t, frameMs ?? null, baseRate);
    const resumed = active && !this.wasActive;
    this.wasActive = active;
    if (!active) {
      // Stalled, buffering or paused: drift means nothing now. End a rate hold.
      const wasHolding = this.mode === "rate";
      this.samples = [];
      if (wasHolding) {
        this.mode = "idle";
        this.landing = null;
        return { kind: "restore_rate", rate: baseRate };
      }
      return NONE;
    }

    if (this.mode === "rate") {
      // Pushed past the band the other way, or running away: stop now, learn nothing.
      const overshot = Math.sign(driftMs) === this.holdDirection && Math.abs(driftMs) > band * 2;
      const runaway = Math.abs(driftMs) >= t.seekThresholdMs;
      if (overshot || runaway) {
        const restore = this.endHold(nowMs, baseRate);
        this.landing = null;
        return restore;
      }
      if (nowMs >= this.holdUntil + HOLD_TIMER_GRACE_MS) return this.endHold(nowMs, baseRate);
      return NONE;
    }

    // The first frames after a stall or a start are not where the player settles.
    if (resumed) this.quietUntil = Math.max(this.quietUntil, nowMs + t.resumeSettleMs);
    if (nowMs < this.quietUntil) return NONE;
    this.samples.push(driftMs);
    if (this.samples.length > t.samplesPerDecision) this.samples.shift();
    const window = decisionWindow(this.samples, t, band);
    if (!window) return NONE;
    const drift = median(window);

    if (this.mode === "seek") this.mode = "idle";
    if (this.landing) this.learnFromLanding(this.landing, drift);

    // Act only when every sample of the window is outside the dead band on the
    // same side: a lone outlier, or a window straddling a sudden jump, would
    // otherwise start a correction sized for a drift that is not there.
    const side = Math.sign(drift);
    if (!window.every((s) => Math.sign(s) === side && Math.abs(s) >= band)) return NONE;

    const hold = Math.abs(drift) < t.seekThresholdMs && t.rateCorrection ? this.planHold(drift, baseRate) : null;
    // No hold would land closer than the player already is.
    if (hold && Math.abs(hold.landingMs) >= Math.abs(drift)) return NONE;
    if (hold && hold.holdMs <= t.maxRateHoldMs) {
      this.mode = "rate";
      this.holdDirection = hold.direction;
      this.holdUntil = nowMs + hold.holdMs;
      this.corrections.rate += 1;
      this.samples = [];
      return { kind: "rate", rate: baseRate * (1 + hold.direction * hold.delta), holdMs: hold.holdMs };
    }
    this.corrections.seek += 1;
    this.noteSeek(nowMs);
    return { kind: "seek", leadMs: this.seekLeadMs };
  }

  /**
   * A hold at base × (1 ± δ) for T ms moves the player by ±δ·base·T, minus
   * the cost C of its two switches. Faster removes drift d with
   * T = (C₊ − d)/(δ·base), slower with T = (d − C₋)/(δ·base); a negative T
   * means even the shortest hold overshoots, and lands at d − C.
   */
  private planHold(drift: number, baseRate: number): HoldPlan {
    const plan = (direction: 1 | -1): HoldPlan => {
      const delta = awayFromUnity(holdDelta(drift, this.tuning), direction, baseRate);
      const step = delta * baseRate; // media ms gained or lost per ms held
      const cost = this.holdCost(direction, baseRate);
      const holdMs = Math.max(0, (direction * (cost - drift)) / step);
      return { direction, delta, holdMs, landingMs: drift + direction * step * holdMs - cost };
    };
    // The natural direction (faster when behind) unless the other lands clearly closer.
    const natural = plan(drift < 0 ? 1 : -1);
    const other = plan(drift < 0 ? -1 : 1);
    return Math.abs(other.landingMs) + this.tuning.deadBandMs / 2 < Math.abs(natural.landingMs) ? other : natural;
  }

  /**
   * A correction that landed `errorMs` off (positive: ahead) misjudged the
   * player by that much. Move the estimate halfway towards the value that
   * would have been right, so one odd landing (cold cache) cannot throw it far.
   */
  private learnFromLanding(landing: NonNullable<Landing>, errorMs: number): void {
    this.landing = null;
    // A landing far off was not the estimate's fault (a stall, a clock jump).
    if (Math.abs(errorMs) > this.tuning.seekThresholdMs) return;
    this.landingErrorsMs = [...this.landingErrorsMs, errorMs].slice(-5);
    if (landing.kind === "seek") {
      this.seekLeadMs = clamp(this.seekLeadMs - errorMs / 2, 0, this.tuning.maxSeekLeadMs);
    } else {
      // Landed ahead: the hold cost less than assumed. At most a dead band per
      // landing: a hold disturbed by something else (a decoder hiccup) must not
      // teach a cost that makes every later hold miss.
      const key = this.costKey(landing.direction, landing.baseRate);
      const step = clamp(errorMs / 2, -this.tuning.deadBandMs, this.tuning.deadBandMs);
      const learned = this.holdCost(landing.direction, landing.baseRate) - step;
      this.holdCostMs = { ...this.holdCostMs, [key]: clamp(learned, -this.tuning.seekThresholdMs, this.tuning.seekThresholdMs) };
    }
  }
}

/** The dead band at this frame duration and room rate (see `bandFrames` and `offUnityBandFrames`). */
export function bandMs(tuning: ControllerTuning, frameMs: number | null, baseRate: number): number {
  if (baseRate === 1) return Math.max(tuning.deadBandMs, (frameMs ?? 0) * tuning.bandFrames);
  // Away from 1× a reading placed mid-frame is finer than a frame: the band is in frames alone.
  if (frameMs && tuning.offUnityFrameCentre > 0) return frameMs * tuning.offUnityBandFrames;
  return Math.max(tuning.deadBandMs, (frameMs ?? 0) * tuning.offUnityBandFrames);
}

/**
 * The relative rate change of a hold removing `driftMs`: `rateDelta`, or
 * firmer for drift it would take longer than `targetHoldMs` to remove.
 */
export function holdDelta(driftMs: number, tuning: ControllerTuning): number {
  const needed = tuning.targetHoldMs > 0 ? Math.abs(driftMs) / tuning.targetHoldMs : 0;
  return clamp(needed, tuning.rateDelta, Math.max(tuning.rateDelta, tuning.maxRateDelta));
}

/** Hold rates this close to 1× count as 1× in Chromium (its time stretcher is bypassed there). */
export const UNITY_MARGIN = 0.02;

/**
 * `delta`, made firmer when the hold's rate would land at 1× or within
 * UNITY_MARGIN of it from another base rate (1.25× × 0.8 = 1×): entering
 * 1× stops Chromium's time stretcher and leaving it restarts it, ~25 ms each.
 */
export function awayFromUnity(delta: number, direction: 1 | -1, baseRate: number): number {
  const rate = baseRate * (1 + direction * delta);
  if (baseRate === 1 || Math.abs(rate - 1) >= UNITY_MARGIN) return delta;
  const target = 1 + direction * UNITY_MARGIN;
  return direction * (target / baseRate - 1) > delta ? direction * (target / baseRate - 1) : delta;
}

/**
 * The samples a decision may be made on now, or null to wait for more: the
 * last `quickSamples` when each is at least `quickBands` dead bands off on
 * the same side (a page clearly out of step after a seek or a disturbance),
 * else the full window once it is complete.
 */
export function decisionWindow(samples: readonly number[], tuning: ControllerTuning, bandMs: number): number[] | null {
  const recent = samples.slice(-tuning.quickSamples);
  if (recent.length === tuning.quickSamples && recent.length > 0) {
    const side = Math.sign(recent[0]!);
    if (recent.every((s) => Math.sign(s) === side && Math.abs(s) >= bandMs * tuning.quickBands)) return recent;
  }
  return samples.length >= tuning.samplesPerDecision ? samples.slice(-tuning.samplesPerDecision) : null;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
