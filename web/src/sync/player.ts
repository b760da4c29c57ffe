/**
 * What the sync engine needs from a video player. HTML5 (<video>), hls.js and
 * the YouTube IFrame API each implement it in `src/player/`; tests implement
 * it with a simulated player. Times are media milliseconds.
 */
import type { ControllerTuning } from "./driftController";

export type PlayerKind = "html5" | "hls" | "youtube";
export type PlayerEvent = "ready" | "seeked" | "waiting" | "playing" | "pause" | "ended" | "error" | "timeupdate";

export interface PlayerAdapter {
  readonly kind: PlayerKind;
  /** How precisely this player can be steered; the controller uses these thresholds. */
  readonly tuning: ControllerTuning;

  currentTimeMs(): number;
  /**
   * Where the picture on screen is at local time `nowMs` (performance clock):
   * the last presented frame's media time plus the time since it was shown.
   * Null when the player cannot tell or no frame was shown just now (paused,
   * seeking, hidden tab). The engine prefers it to `currentTimeMs()`, which
   * reads the audio clock: in Chromium two pages showing the same frame read
   * currentTime up to ~9 ms apart, enough to make them correct differently.
   */
  presentedPositionMs?(nowMs: number): number | null;
  /** The video's frame duration, once frames have been seen (null before, or unknown). */
  frameDurationMs?(): number | null;
  durationMs(): number | null;
  isPaused(): boolean;
  /** True while the player waits for data (stall, seek in progress, initial load). */
  isBuffering(): boolean;
  /** Milliseconds of media buffered ahead of the playhead (for the debug overlay). */
  bufferedAheadMs(): number;

  /** Resolves when playback started; rejects when the browser refused (autoplay policy). */
  play(): Promise<void>;
  pause(): void;
  seek(positionMs: number): void;
  playbackRate(): number;
  setPlaybackRate(rate: number): void;

  isMuted(): boolean;
  setMuted(muted: boolean): void;
  volume(): number;
  setVolume(volume: number): void;

  on(event: PlayerEvent, listener: () => void): () => void;
  destroy(): void;
}
