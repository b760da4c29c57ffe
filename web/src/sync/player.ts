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
