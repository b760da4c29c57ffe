/**
 * What the room screen shows. Written by RoomSession (src/room/roomSession.ts),
 * read by components. No logic here beyond the shape.
 */
import { create } from "zustand";
import type { ChatMessage, MediaFailureReason, Participant, PlaybackState, Reaction, ReadyCheckView, Role, RoomInfo, SubtitleTrack, VoteView, WaitingData } from "../api/protocol";
import type { FatalReason, SocketState } from "../api/roomSocket";

export type RoomPhase = "checking" | "needs_password" | "connecting" | "joined" | "ended";

export interface Notice {
  id: number;
  text: string;
  tone: "info" | "error";
}

export interface RoomViewState {
  code: string;
  phase: RoomPhase;
  fatal: FatalReason | "rate_limited" | "error" | null;
  fatalDetail: string | null;
  passwordError: string | null;
  /** Why joining takes a while (the server is busy, the room restarts): shown while connecting. */
  waitingNote: string | null;
  socketState: SocketState;
  reconnectAttempts: number;
  /** The browser reports no network (`navigator.onLine`): said at once, before any socket notices. */
  browserOffline: boolean;
  you: { participantId: string; userId: string; role: Role } | null;
  room: RoomInfo | null;
  participants: Participant[];
  chat: ChatMessage[];
  playback: PlaybackState | null;
  /** The subtitle tracks of the current source (the same list for everyone). */
  subtitles: SubtitleTrack[];
  ownerAway: boolean;
  /** The server offers the returning former owner their room back. */
  ownershipOffered: boolean;
  /** The last automatic handover, to explain it once. */
  handover: { newOwnerId: string; reason: string } | null;
  countdown: { serverStartTime: number; durationMs: number } | null;
  needsGesture: boolean;
  playerError: string | null;
  /** Why this page's player failed, when it could tell (`media:failed`'s reason). */
  playerFailure: MediaFailureReason | null;
  notices: Notice[];
  /** An upload being transcoded for this room (the server's `media:progress`). */
  mediaProgress: MediaProgress | null;
  /** The owner's ready check: open, or how it just ended (shown a moment, then cleared). */
  readyCheck: ReadyCheckView | null;
  /** A vote to pause or resume: open, or its result (shown a moment, then cleared). */
  vote: VoteView | null;
  /** The reactions to the current source (the timeline under the seek bar, and replays). */
  reactions: Reaction[];
  /** Reactions floating over the video right now (live or replayed). */
  floating: FloatingReaction[];
  /** Whom the room waits for while their player buffers (null: nobody). */
  waiting: WaitingData | null;
  /** The room is idle and closes at this server time unless someone answers (null: not warned). */
  idleClosesAt: number | null;
}

/** A reaction floating over the video (live, or replayed as playback passes its moment). */
export interface FloatingReaction {
  key: string;
  emoji: string;
  username: string;
  /** Horizontal place over the video, 8..92 % (spread so reactions don't stack). */
  leftPercent: number;
  replay: boolean;
}

export interface MediaProgress {
  videoId: string;
  filename: string;
  status: "processing" | "ready" | "failed";
  progress: number;
  playable: boolean;
  error?: string;
}

export function initialRoomState(code: string): RoomViewState {
  return {
    code,
    phase: "checking",
    fatal: null,
    fatalDetail: null,
    passwordError: null,
    waitingNote: null,
    socketState: "idle",
    reconnectAttempts: 0,
    browserOffline: false,
    you: null,
    room: null,
    participants: [],
    chat: [],
    playback: null,
    subtitles: [],
    ownerAway: false,
    ownershipOffered: false,
    handover: null,
    countdown: null,
    needsGesture: false,
    playerError: null,
    playerFailure: null,
    notices: [],
    mediaProgress: null,
    readyCheck: null,
    vote: null,
    reactions: [],
    floating: [],
    waiting: null,
    idleClosesAt: null,
  };
}

export const useRoomStore = create<RoomViewState>(() => initialRoomState(""));

let noticeId = 0;
export function pushNotice(text: string, tone: Notice["tone"] = "info"): void {
  const notice = { id: ++noticeId, text, tone };
  useRoomStore.setState((s) => ({ notices: [...s.notices.slice(-3), notice] }));
  setTimeout(() => useRoomStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== notice.id) })), 6_000);
}
