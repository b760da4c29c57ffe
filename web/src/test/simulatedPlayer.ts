/**
 * A media element in software, with the quirks measured in Chromium:
 * - leaving 1× for another rate jumps the media clock back 25 ms (the audio
 *   time stretcher starts; the net cost of one rate hold measured in the
 *   drift benchmark), other switches cost nothing;
 * - a seek freezes the clock for `seekLatencyMs`, then resumes at the target;
 * - play() starts after `playLatencyMs` (70: Chromium measured 61–86 ms);
 * - the media clock may run slightly fast or slow (`clockSkew`, e.g. 0.001);
 * - readings carry ±`noiseMs` of deterministic jitter, and currentTime may read
 *   `currentTimeBiasMs` off the picture (Chromium's audio clock vs the frame on
 *   screen); with `reportsPicture` the player also tells where the picture is;
 * - with `frameMs`, the picture moves in whole frames: a 60 Hz display shows, at
 *   each refresh, the frame the clock is in, and the reading averages the last
 *   eight refreshes, as MediaElementPlayer does with presented frames.
 * Time comes from Date.now(), which vitest's fake timers control.
 */
import { HTML5_TUNING, type ControllerTuning } from "../sync/driftController";
import type { PlayerAdapter, PlayerEvent } from "../sync/player";

export interface SimOptions {
  seekLatencyMs?: number;
  playLatencyMs?: number;
  rateSwitchJumpMs?: number;
  clockSkew?: number;
  noiseMs?: number;
  currentTimeBiasMs?: number;
  reportsPicture?: boolean;
  /** The video's frame duration: the picture moves in whole frames (implies `reportsPicture`). */
  frameMs?: number;
  durationMs?: number | null;
  tuning?: ControllerTuning;
  refuseAutoplay?: boolean;
}

/** A 60 Hz display. */
const REFRESH_MS = 1000 / 60;

export class SimulatedPlayer implements PlayerAdapter {
  readonly kind = "html5" as const;
  readonly tuning: ControllerTuning;
  position = 0;
  paused = true;
  rate = 1;
  frozenUntil = 0;
  seeks: number[] = [];
  rateChanges: number[] = [];
  stalledUntil = 0;
  refuseAutoplay: boolean;
  private last = Date.now();
  private reads = 0;
  private readonly o: Required<Omit<SimOptions, "tuning" | "refuseAutoplay" | "reportsPicture" | "frameMs">>;
  readonly presentedPositionMs?: (nowMs: number) => number | null;
  readonly frameDurationMs?: () => number | null;

  constructor(options: SimOptions = {}) {
    this.o = {
      seekLatencyMs: 75,
      playLatencyMs: 70,
      rateSwitchJumpMs: 25,
      clockSkew: 0,
      noiseMs: 2,
      currentTimeBiasMs: 0,
      durationMs: null,
      ...options,
    };
    const frameMs = options.frameMs;
    if (frameMs) {
      this.frameDurationMs = () => frameMs;
      this.presentedPositionMs = () => {
        this.advance();
        if (this.paused || this.isBuffering()) return null;
        // The last eight refreshes, from the clock's rate of advance (the picture runs at
        // the clock's speed between switches; good enough within 133 ms).
        const now = Date.now();
        const speed = this.rate * (1 + this.o.clockSkew);
        const sinceRefresh = now % REFRESH_MS;
        let sum = 0;
        for (let i = 0; i < 8; i++) {
          const ago = sinceRefresh + i * REFRESH_MS;
          const clockThen = this.position - ago * speed;
          sum += Math.floor(clockThen / frameMs) * frameMs + ago * speed;
        }
        return sum / 8;
      };
    } else if (options.reportsPicture) {
      this.presentedPositionMs = () => {
        this.advance();
        return this.paused || this.isBuffering() ? null : this.position;
      };
    }
    this.tuning = options.tuning ?? HTML5_TUNING;
    this.refuseAutoplay = options.refuseAutoplay ?? false;
  }

  private advance(): void {
    const now = Date.now();
    const from = Math.max(this.last, this.frozenUntil, this.stalledUntil);
    if (!this.paused && now > from) this.position += (now - from) * this.rate * (1 + this.o.clockSkew);
    this.last = now;
  }

  /** Simulates the network starving the player for `ms`. */
  stall(ms: number): void {
    this.advance();
    this.stalledUntil = Date.now() + ms;
  }

  /** Makes the media clock run fast (> 0) or slow (< 0) from now on, like a disturbed sound card. */
  setClockSkew(skew: number): void {
    this.advance();
    this.o.clockSkew = skew;
  }

  currentTimeMs(): number {
    this.advance();
    const noise = this.o.noiseMs * Math.sin(this.reads++ * 1.7);
    return this.position + this.o.currentTimeBiasMs + noise;
  }
  durationMs(): number | null {
    return this.o.durationMs;
  }
  isPaused(): boolean {
    return this.paused;
  }
  isBuffering(): boolean {
    const now = Date.now();
    return now < this.frozenUntil || now < this.stalledUntil;
  }
  bufferedAheadMs(): number {
    return 10_000;
  }
  play(): Promise<void> {
    if (this.refuseAutoplay) return Promise.reject(new Error("NotAllowedError"));
    this.advance();
    this.paused = false;
    this.frozenUntil = Math.max(this.frozenUntil, Date.now() + this.o.playLatencyMs);
    return Promise.resolve();
  }
  pause(): void {
    this.advance();
    this.paused = true;
  }
  seek(positionMs: number): void {
    this.advance();
    this.seeks.push(positionMs);
    this.position = positionMs;
    this.frozenUntil = Date.now() + this.o.seekLatencyMs;
  }
  playbackRate(): number {
    return this.rate;
  }
  setPlaybackRate(rate: number): void {
    this.advance();
    if (rate === this.rate) return;
    this.rateChanges.push(rate);
    if (!this.paused && this.rate === 1) this.position -= this.o.rateSwitchJumpMs;
    this.rate = rate;
  }
  isMuted(): boolean {
    return false;
  }
  setMuted(): void {}
  volume(): number {
    return 1;
  }
  setVolume(): void {}
  on(_event: PlayerEvent, _listener: () => void): () => void {
    return () => {};
  }
  destroy(): void {}
}
