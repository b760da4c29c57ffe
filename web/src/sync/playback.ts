/**
 * Playback arithmetic shared by the engine and the UI. Pure.
 */
import type { PlaybackState } from "../api/protocol";

/**
 * Whether the room is playing at server time T. A state whose anchor lies in
 * the future (a PLAY scheduled for later) holds still until its anchor.
 */
export function isPlayingAt(state: PlaybackState, serverNowMs: number): boolean {
  return state.isPlaying && serverNowMs >= state.anchorServerTimeMs;
}

/** Position the room expects at server time T (CONTRACT.md §2), never past the video's end. */
export function expectedPositionMs(state: PlaybackState, serverNowMs: number): number {
  const position = isPlayingAt(state, serverNowMs)
    ? state.anchorMediaTimeMs + (serverNowMs - state.anchorServerTimeMs) * state.playbackRate
    : state.anchorMediaTimeMs;
  return clampToDuration(state, position);
}

/** A position within [0, duration] (only the floor while the room doesn't know the length). */
export function clampToDuration(state: Pick<PlaybackState, "durationMs">, positionMs: number): number {
  const position = Math.max(0, positionMs);
  return state.durationMs ? Math.min(position, state.durationMs) : position;
}

/** The room stands at the end of its video: paused there (Replay is offered). */
export function isAtEnd(state: PlaybackState | null, serverNowMs: number): boolean {
  return Boolean(state?.durationMs) && !isPlayingAt(state!, serverNowMs) && expectedPositionMs(state!, serverNowMs) >= state!.durationMs!;
}

export type SyncLevel = "synced" | "drifting" | "desynced";

/** Spec 15.1.1: green under 150 ms, yellow under 500 ms, red (with Resync) beyond. */
export const SYNCED_BELOW_MS = 150;
export const DESYNCED_FROM_MS = 500;

export function syncLevel(driftMs: number): SyncLevel {
  const abs = Math.abs(driftMs);
  if (abs < SYNCED_BELOW_MS) return "synced";
  if (abs < DESYNCED_FROM_MS) return "drifting";
  return "desynced";
}

/**
 * The countdown step shown at server time `now` for a countdown starting at
 * `start` and lasting `durationMs`: 3, 2, 1 … then "GO" for a short moment,
 * then null (hidden). Everyone derives it from server time, so all screens
 * change digits together.
 */
export const COUNTDOWN_GO_MS = 800;

export function countdownStep(serverNowMs: number, startMs: number, durationMs: number): number | "GO" | null {
  if (serverNowMs < startMs) return Math.ceil(durationMs / 1000);
  const elapsed = serverNowMs - startMs;
  if (elapsed < durationMs) return Math.ceil((durationMs - elapsed) / 1000);
  if (elapsed < durationMs + COUNTDOWN_GO_MS) return "GO";
  return null;
}

export function formatMediaTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}
