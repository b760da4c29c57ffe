/**
 * The room WebSocket protocol of CONTRACT.md §2, in the shapes the app works
 * with (unions the UI can narrow, helpers, fields the UI tolerates missing).
 * The server's own models are generated into `protocol.generated.ts` from
 * `docs/protocol.schema.json` (`npm run protocol:types`);
 * `protocol.conformance.ts` makes `tsc` fail if these types and the server's
 * drift apart.
 */

import type { VoiceClientMessages, VoiceServerMessages } from "../voice/signaling";

export const PROTOCOL_VERSION = "1.0.0";

export type SourceType = "upload" | "youtube" | "url";
export type Role = "owner" | "participant" | "guest";
/** Who may join a room (spec 15.4.2 presets). */
export type Privacy = "public" | "friends_only" | "private" | "anonymous";
export type MuteScope = "chat" | "voice" | "both";
/** Why a member's player could not play the room's source (`media:failed`). */
export type MediaFailureReason =
  | "not_found"
  | "forbidden"
  | "unreachable"
  | "not_a_video"
  | "hls_cors"
  | "unsupported_codec"
  | "drm"
  | "mixed_content"
  | "not_seekable"
  | "unknown";
export type ReportReason = "harassment" | "inappropriate_content" | "spam" | "hate_speech" | "impersonation" | "other";
export type AutomodRule = "repeats" | "links" | "flood" | "blocklist";
export type AutomodAction = "warn" | "hide" | "mute";

export interface PlaybackState {
  roomId: string;
  sourceType: SourceType | null;
  sourceId: string | null;
  isPlaying: boolean;
  playbackRate: number;
  anchorServerTimeMs: number;
  anchorMediaTimeMs: number;
  sequenceNumber: number;
  /** The video's length once the room knows it: no position is ever past it. */
  durationMs?: number | null;
}

export interface Participant {
  participantId: string;
  userId: string;
  username: string;
  role: Role;
  /** Absent or false while present; true when the member stopped heartbeating. */
  away?: boolean;
  /** Playback rights under the "selected" policy (owners always have them). */
  canControl?: boolean;
  guest?: boolean;
  /** In the room's voice call (the server tells everyone, in voice or not). */
  inVoice?: boolean;
  joinedAt?: number | string;
  /** The owner (or the automod) muted their chat; `chatMutedUntil` when it ends (absent: for the session). */
  chatMuted?: boolean;
  chatMutedUntil?: number | null;
  /** They cannot speak: muted, or not let speak while the owner muted every voice. Every client silences them. */
  voiceMuted?: boolean;
  voiceMutedUntil?: number | null;
  /** Asking to speak while the owner muted every voice. */
  handRaised?: boolean;
  /** A temporary host: the owner lent them playback control; `hostUntil` when it ends (absent: until revoked). */
  host?: boolean;
  hostUntil?: number | null;
}

/** An emoji reaction at a moment (`mediaTimeMs`) of the source `sourceId`. */
export interface Reaction {
  id: string;
  participantId: string;
  username: string;
  emoji: string;
  mediaTimeMs: number;
  sourceId: string;
  /** Server epoch ms. */
  createdAt: number;
}

/** `room:waiting`: whom the room waits for while their player buffers (empty: nobody). */
export interface WaitingData {
  waitingFor: string[];
  /** Server ms of the resume, once everyone buffered. */
  resumesAt?: number | null;
  /** Members the room no longer waits for: they stalled too often lately. */
  leftOut?: string[];
}

/** The owner's "Ready?" question (docs/protocol.md "Watching together"). */
export interface ReadyCheckView {
  checkId: string;
  status: "open" | "all_ready" | "started_anyway" | "cancelled" | "timed_out";
  askedBy: string;
  endsAt: number;
  ready: string[];
  /** Participant ids who have not confirmed yet. */
  waitingFor: string[];
}

/** A vote to pause or resume, while open and once decided. */
export interface VoteView {
  voteId: string;
  action: "pause" | "resume";
  status: "open" | "passed" | "failed" | "expired";
  startedBy: string;
  endsAt: number;
  yes: string[];
  no: string[];
  /** Yes votes that carry it: a majority of the members present. */
  needed: number;
  eligible: number;
}

/** The automatic moderator's rules, as the owner set them. */
export interface AutomodSettings {
  enabled: boolean;
  repeats: boolean;
  links: boolean;
  flood: boolean;
  blocklist: boolean;
  repeatLimit: number;
  linkLimit: number;
  floodLimit: number;
}

export interface RoomInfo {
  id: string;
  code: string;
  name: string;
  /** Null while the room has no owner (the owner left and nobody took over yet). */
  ownerId: string | null;
  maxParticipants: number;
  hasPassword: boolean;
  playbackControl: "owner_only" | "all" | "selected";
  /** Epoch ms, the same number as the HTTP room's `createdAt`. */
  createdAt: number;
  autoHandover?: boolean;
  /** Privacy (spec 15.4.2): everyone's voice goes through TURN, nobody learns another's address. */
  voiceRelayOnly?: boolean;
  privacy?: Privacy;
  guestsAllowed?: boolean;
  /** The owner muted every voice: members raise a hand to ask to speak. */
  voiceMutedForAll?: boolean;
  automod?: AutomodSettings | null;
  /** Wait for a member whose player stalls this long (0: never). */
  bufferWaitMs?: number;
  /** Close after this many minutes with nothing played and nobody speaking (0: never). */
  idleCloseMinutes?: number;
  /** Guest accounts may write in the chat (the owner's choice). */
  guestsMayChat?: boolean;
}

export interface UserChatMessage {
  id: string;
  userId: string;
  username: string;
  content: string;
  /** Epoch ms. */
  createdAt: number;
  kind?: "user";
  /** The automod hid this line: only its author (you) sees it. */
  hidden?: boolean | null;
}

export interface SystemChatMessage {
  id?: string;
  kind: "system";
  createdAt?: number;
  event: { kind?: string; type?: string; [key: string]: unknown };
}

export type ChatMessage = UserChatMessage | SystemChatMessage;

export type CommandType = "PLAY" | "PAUSE" | "SEEK" | "SET_RATE" | "SET_SOURCE";

export interface SyncCommand {
  type: CommandType;
  sequenceNumber: number;
  atServerTime: number;
  issuedBy: string;
  /** The state in force from `atServerTime` on. */
  state: PlaybackState;
  /** What the request asked for, echoed for display ("jumped to 1:23"). */
  targetMediaTimeMs?: number | null;
  rate?: number | null;
  sourceType?: SourceType | null;
  sourceId?: string | null;
  /** "ended": the PAUSE the room issued itself at the end of the video. */
  reason?: "ended" | null;
}

// ---------------------------------------------------------------- server → client

/** `room:settings`, broadcast to everyone after the owner changed one. */
export interface RoomSettingsData {
  playbackControl: RoomInfo["playbackControl"];
  bufferWaitMs?: number;
  idleCloseMinutes?: number;
  autoHandover: boolean;
  name?: string | null;
  maxParticipants?: number | null;
  hasPassword?: boolean | null;
  /** Guest accounts may write in the chat (the owner's choice). */
  guestsMayChat?: boolean;
  voiceRelayOnly?: boolean;
  privacy?: Privacy;
  guestsAllowed?: boolean;
  voiceMutedForAll?: boolean;
  automod?: AutomodSettings | null;
}

/** What only the owner sees of moderation. */
export interface ModerationView {
  shadowMuted: string[];
}

/** To a member: what they can no longer do, until when (absent: for the session). */
export interface MutedData {
  scope: MuteScope;
  until?: number | null;
  by: "owner" | "automod";
}

export interface AutomodWarningData {
  rule: AutomodRule;
  action: AutomodAction;
  message: string;
}

export interface WelcomeData {
  protocolVersion: string;
  serverTime: number;
  /** False when this client's protocol major version is not served (then the socket closes 4010). */
  compatible?: boolean;
  you: { participantId: string; userId: string; role: Role };
  room: RoomInfo;
  state: PlaybackState;
  participants: Participant[];
  /** The last 50 chat lines (or those since `lastMessageId`); absent means none. */
  chat?: ChatMessage[];
  /** The subtitle tracks of the current source; absent from older servers. */
  subtitles?: SubtitleTrack[];
  /** The owner's private view of moderation (absent for everyone else). */
  moderation?: ModerationView | null;
  /** The open ready check and vote, if any. */
  readyCheck?: ReadyCheckView | null;
  vote?: VoteView | null;
  /** The reactions to the current source, for the timeline and replays. */
  reactions?: Reaction[];
}

export interface ErrorData {
  code: string;
  message?: string;
  currentSeq?: number | null;
  /** Seconds to wait before asking again (`rate_limited`). */
  retryAfter?: number | null;
  /** Field by field, for `bad_message`. */
  errors?: Record<string, unknown>[] | null;
  /** What to do instead, in plain words (`mixed_content`). */
  suggestion?: string | null;
}

/** A subtitle track of the room's source: a WebVTT file each viewer may pick (or not). */
export interface SubtitleTrack {
  url: string;
  label: string;
  language?: string | null;
}

/** The tracks of the room's current source, announced whenever they change. */
export interface SubtitlesData {
  sourceId: string | null;
  subtitles: SubtitleTrack[];
}

export type ServerMessage =
  | { type: "welcome"; data: WelcomeData }
  | { type: "ack"; re: string; data: Record<string, unknown> & { sequenceNumber?: number } }
  | { type: "error"; re?: string; data: ErrorData }
  | { type: "time:pong"; data: { t0: number; t1: number; t2: number } }
  | { type: "sync:command"; data: SyncCommand }
  | { type: "sync:duration"; data: { sourceId: string; durationMs: number } }
  | { type: "room:participants"; data: { participants: Participant[] } }
  | { type: "room:owner_away"; data: { ownerId?: string } }
  | { type: "room:owner_changed"; data: { newOwnerId: string; reason: string } }
  | { type: "room:offer_ownership"; data: Record<string, unknown> }
  | { type: "countdown:start"; data: { serverStartTime: number; durationMs: number } }
  | { type: "chat:message"; data: ChatMessage }
  | {
      type: "media:progress";
      data: { videoId: string; filename: string; status: "processing" | "ready" | "failed"; progress: number; playable: boolean; error?: string };
    }
  | { type: "room:settings"; data: RoomSettingsData }
  | { type: "room:subtitles"; data: SubtitlesData }
  | { type: "room:moderation"; data: ModerationView }
  | { type: "moderation:muted"; data: MutedData }
  | { type: "moderation:unmuted"; data: { scope: MuteScope } }
  | { type: "moderation:warning"; data: AutomodWarningData }
  | { type: "room:ready_check"; data: ReadyCheckView }
  | { type: "room:vote"; data: VoteView }
  | { type: "reaction:new"; data: Reaction }
  | { type: "room:waiting"; data: WaitingData }
  | { type: "room:idle"; data: { closesAt: number | null } }
  | { type: "voice:peers"; data: VoiceServerMessages["voice:peers"] }
  | { type: "voice:peer:joined"; data: VoiceServerMessages["voice:peer:joined"] }
  | { type: "voice:peer:left"; data: VoiceServerMessages["voice:peer:left"] }
  | { type: "voice:signal"; data: VoiceServerMessages["voice:signal"] };

export type ServerMessageType = ServerMessage["type"];

// ---------------------------------------------------------------- client → server

export interface HelloData {
  protocolVersion: string;
  token: string;
  password?: string;
  lastSeq?: number;
  lastMessageId?: string;
}

export type SourceRequest = (
  | { sourceType: "youtube"; videoId: string }
  | { sourceType: "url"; url: string }
  | { sourceType: "upload"; sourceId: string }
) & {
  /** The tracks the new source comes with (a `.vtt` URL beside a direct URL, an upload's own tracks). */
  subtitles?: SubtitleTrack[];
};

/** Optional guards every playback request may carry. */
export interface RequestGuards {
  expectedSeq?: number;
  idempotencyKey?: string;
}

export interface ClientRequests {
  "sync:play": RequestGuards;
  "sync:pause": RequestGuards;
  /** Absolute, or `deltaMs` from where the room is heading (rapid presses add up). */
  "sync:seek": RequestGuards & ({ targetMediaTimeMs: number } | { deltaMs: number });
  /** This page's player learnt the length of the room's video (the first report wins). */
  "sync:duration": { sourceId: string; durationMs: number };
  "sync:rate": RequestGuards & { rate: number };
  "sync:source": RequestGuards & SourceRequest;
  /** Replace the current source's subtitle tracks (`sourceId` guards against a source changed meanwhile). */
  "sync:subtitles": { subtitles: SubtitleTrack[]; sourceId?: string };
  "chat:message": { content: string };
  "room:kick": { participantId: string };
  "room:ban": { participantId: string };
  "room:grant_control": { participantId: string };
  "room:revoke_control": { participantId: string };
  "room:transfer_ownership": { participantId: string };
  "room:reclaim_ownership": Record<string, never>;
  "room:countdown": { durationMs?: number };
  /** Owner only; send just the settings that change. */
  "room:settings": Partial<Pick<RoomSettingsData, "playbackControl" | "autoHandover" | "voiceRelayOnly" | "privacy" | "guestsAllowed" | "bufferWaitMs" | "idleCloseMinutes" | "guestsMayChat">> & {
    automod?: Partial<AutomodSettings>;
    name?: string;
    maxParticipants?: number;
    /** Sets or changes the room's password. */
    password?: string;
    removePassword?: boolean;
  };
  /** Owner only: without `durationMs`, for the rest of the session. */
  "room:mute": { participantId: string; scope?: MuteScope; durationMs?: number };
  "room:unmute": { participantId: string; scope?: MuteScope };
  "room:shadow_mute": { participantId: string };
  "room:shadow_unmute": { participantId: string };
  "room:voice_mute_all": { enabled: boolean };
  "room:allow_speaker": { participantId: string; allowed?: boolean };
  "room:raise_hand": { raised?: boolean };
  "room:report": { participantId: string; reason: ReportReason; details?: string };
  /** Owner only: ask everyone "Ready?", play now whoever isn't, or drop the question. */
  "room:ready_check": { action?: "start" | "start_anyway" | "cancel"; countdownMs?: number };
  "room:ready": { ready?: boolean };
  "room:vote_start": { action: "pause" | "resume" };
  "room:vote": { voteId: string; yes: boolean };
  /** Owner only: lend playback control; without `durationMs`, until revoked. */
  "room:host": { participantId: string; durationMs?: number };
  "room:host_end": { participantId: string };
  /** One of the quick reactions; the server stamps the room's media time. */
  "reaction:send": { emoji: string };
  /** Answers the idle warning: the room stays open. */
  "room:still_here": Record<string, never>;
  /** This page's player could not play the current source; the room is told once per reason. */
  "media:failed": { sourceId: string; reason: MediaFailureReason };
}

/** Fire-and-forget frames (no `id`, no ack expected). */
export interface ClientNotices {
  "time:ping": { t0: number };
  "presence:heartbeat": Record<string, never>;
  "sync:report": { mediaTimeMs: number; atServerTime: number; driftMs: number; rttMs: number };
  /** This page's player stalled (waiting for data) or has buffered again. */
  "sync:buffering": { stalled: boolean };
  // Voice signaling (docs/protocol.md "Voice signaling"): relayed, never acknowledged.
  "voice:join": VoiceClientMessages["voice:join"];
  "voice:leave": VoiceClientMessages["voice:leave"];
  "voice:signal": VoiceClientMessages["voice:signal"];
}

/** Close codes of CONTRACT.md §2. */
export const CloseCode = {
  Normal: 1000,
  ServerRestarting: 1012,
  /** Try again later, no sooner than the `retryAfter` of the `error` before it. */
  TryAgainLater: 1013,
  Unauthorized: 4001,
  Forbidden: 4003,
  NotFound: 4004,
  Policy: 4008,
  Full: 4009,
  Incompatible: 4010,
  /** The same user joined again elsewhere; that connection has the seat now. */
  Replaced: 4011,
} as const;

export function majorVersion(version: string): number {
  return Number.parseInt(version.split(".")[0] ?? "", 10);
}

export function isSystemMessage(message: ChatMessage): message is SystemChatMessage {
  return message.kind === "system";
}
