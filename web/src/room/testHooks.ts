/**
 * `window.__syncwatch`: read-only getters for end-to-end tests and for
 * curious people with a console. Nothing here can change the room.
 */
import { MediaElementPlayer } from "../player/mediaElementPlayer";
import { useRoomStore } from "../store/room";
import type { RoomSession } from "./roomSession";

export interface SyncWatchProbe {
  readonly clockOffsetMs: number;
  readonly rttMs: number;
  readonly driftMs: number | null;
  readonly lastAppliedSeq: number;
  readonly socketState: string;
  readonly reconnectAttempts: number;
  /** The player's position now (the <video>'s currentTime, or YouTube's). */
  readonly mediaTimeMs: number | null;
  /** Media time of the last frame the <video> presented (requestVideoFrameCallback). */
  readonly frameMediaTimeMs: number | null;
  readonly expectedMs: number | null;
  /** The room's length of its video (null until the room knows it). */
  readonly durationMs: number | null;
  readonly isPlaying: boolean;
  readonly serverNowMs: number;
  readonly playerKind: string | null;
  readonly playbackRate: number | null;
  readonly sourceId: string | null;
  /** The labels of the room's subtitle tracks, in order. */
  readonly subtitleLabels: string[];
}

export function installProbe(session: RoomSession): () => void {
  const probe = {} as SyncWatchProbe;
  const getters: { [K in keyof SyncWatchProbe]: () => SyncWatchProbe[K] } = {
    clockOffsetMs: () => session.clock.offsetMs,
    rttMs: () => session.clock.rttMs,
    driftMs: () => session.engine.driftMs,
    lastAppliedSeq: () => session.engine.lastAppliedSeq,
    socketState: () => useRoomStore.getState().socketState,
    reconnectAttempts: () => useRoomStore.getState().reconnectAttempts,
    mediaTimeMs: () => session.engine.attachedPlayer?.currentTimeMs() ?? null,
    frameMediaTimeMs: () => {
      const p = session.engine.attachedPlayer;
      return p instanceof MediaElementPlayer ? p.lastFrameMediaTimeMs : null;
    },
    expectedMs: () => session.engine.expectedMs(),
    durationMs: () => session.engine.state?.durationMs ?? null,
    isPlaying: () => session.engine.state?.isPlaying ?? false,
    serverNowMs: () => session.engine.serverNow(),
    playerKind: () => session.engine.attachedPlayer?.kind ?? null,
    playbackRate: () => session.engine.attachedPlayer?.playbackRate() ?? null,
    sourceId: () => useRoomStore.getState().playback?.sourceId ?? null,
    subtitleLabels: () => useRoomStore.getState().subtitles.map((t) => t.label),
  };
  for (const [name, get] of Object.entries(getters)) Object.defineProperty(probe, name, { get, enumerable: true });
  Object.freeze(probe);
  Object.defineProperty(window, "__syncwatch", { value: probe, configurable: true, writable: false });
  return () => {
    if ((window as unknown as { __syncwatch?: unknown }).__syncwatch === probe) delete (window as unknown as { __syncwatch?: unknown }).__syncwatch;
  };
}
