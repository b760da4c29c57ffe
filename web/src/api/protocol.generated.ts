/* Generated from docs/protocol.schema.json by scripts/protocol-types.mjs (npm run protocol:types). Do not edit. */

/**
 * Every message of protocol 1.0.0 on /ws/rooms/{code} and /ws/me.
 */
export type SyncWatchWebSocketProtocol = ClientMessage | ServerMessage | UserClientMessage | UserServerMessage;
export type ClientMessage =
  | Hello
  | TimePing
  | Heartbeat
  | SyncPlay
  | SyncPause
  | SyncSeek
  | SyncRate
  | SyncSource
  | SyncSubtitles
  | SyncReport
  | SyncDurationReport
  | MediaFailed
  | ChatSend
  | VoiceJoin
  | VoiceLeave
  | VoiceSignal
  | Kick
  | Ban
  | GrantControl
  | RevokeControl
  | TransferOwnership
  | ReclaimOwnership
  | ChangeSettings
  | StartCountdown
  | Mute
  | Unmute
  | ShadowMute
  | ShadowUnmute
  | VoiceMuteAll
  | RaiseHand
  | AllowSpeaker
  | ReportMember
  | AskReady
  | AnswerReady
  | StartVote
  | CastVote
  | GrantHost
  | EndHost
  | SendReaction
  | BufferingReport
  | StillHere;
export type ServerMessage =
  | Welcome
  | TimePong
  | SyncCommand
  | SyncDuration
  | Participants
  | OwnerAway
  | OwnerChanged
  | OfferOwnership
  | SettingsChanged
  | SubtitlesChanged
  | ChatMessage
  | VoicePeers
  | VoicePeerJoined
  | VoicePeerLeft
  | VoiceSignalRelay
  | CountdownStart
  | MediaProgress
  | ModerationState
  | Muted
  | Unmuted
  | AutomodWarning
  | ReadyCheck
  | Vote
  | ReactionNew
  | Waiting
  | Idle
  | Ack
  | Error;
export type UserClientMessage = Hello | TimePing | Heartbeat | RoomInvite | PresenceSet | PresenceActive;
export type UserServerMessage =
  | UserWelcome
  | TimePong
  | FriendPresence
  | FriendRequest
  | FriendAccepted
  | FriendRemoved
  | RoomInvitation
  | NotificationPush
  | UnreadCount
  | Ack
  | Error;

export interface Hello {
  data: HelloData;
  id?: string | null;
  type: "hello";
}
export interface HelloData {
  lastMessageId?: string | null;
  lastSeq?: number | null;
  password?: string | null;
  protocolVersion: string;
  token: string;
}
export interface TimePing {
  data: TimePingData;
  id?: string | null;
  type: "time:ping";
}
export interface TimePingData {
  rttMs?: number | null;
  t0: number;
}
export interface Heartbeat {
  data?: EmptyData;
  id?: string | null;
  type: "presence:heartbeat";
}
/**
 * `data: {}` for messages that carry nothing.
 */
export interface EmptyData {}
export interface SyncPlay {
  data?: PlayData;
  id?: string | null;
  type: "sync:play";
}
export interface PlayData {
  expectedSeq?: number | null;
  idempotencyKey?: string | null;
}
export interface SyncPause {
  data?: PauseData;
  id?: string | null;
  type: "sync:pause";
}
export interface PauseData {
  expectedSeq?: number | null;
  idempotencyKey?: string | null;
}
export interface SyncSeek {
  data: SeekData;
  id?: string | null;
  type: "sync:seek";
}
/**
 * An absolute target, or `deltaMs` relative to where the room is heading: the
 * position of the latest command at the instant this one takes effect, so rapid
 * presses of "+5 s" each count even before the previous one reached anybody.
 */
export interface SeekData {
  deltaMs?: number | null;
  expectedSeq?: number | null;
  idempotencyKey?: string | null;
  targetMediaTimeMs?: number | null;
}
export interface SyncRate {
  data: RateData;
  id?: string | null;
  type: "sync:rate";
}
export interface RateData {
  expectedSeq?: number | null;
  idempotencyKey?: string | null;
  rate: number;
}
export interface SyncSource {
  data: SourceData;
  id?: string | null;
  type: "sync:source";
}
/**
 * `{sourceType, sourceId | url | videoId, subtitles?}`, normalised to `source_type` +
 * `source_id`; `subtitles` are the tracks the new source comes with (none when absent).
 */
export interface SourceData {
  expectedSeq?: number | null;
  idempotencyKey?: string | null;
  sourceId?: string | null;
  sourceType: "upload" | "youtube" | "url";
  subtitles?: SubtitleTrackData[];
  url?: string | null;
  videoId?: string | null;
}
/**
 * One subtitle track of the room's source: a WebVTT file everyone may pick.
 *
 * Which URLs a source accepts (a `.vtt` URL beside a direct URL; one of the
 * video's own tracks beside an upload) is the room's to judge.
 */
export interface SubtitleTrackData {
  label: string;
  language?: string | null;
  url: string;
}
export interface SyncSubtitles {
  data: SubtitlesData;
  id?: string | null;
  type: "sync:subtitles";
}
/**
 * The subtitle tracks of the current source, replacing the ones it had.
 *
 * `sourceId`, when given, must be the room's current source: a list meant
 * for a video someone has just replaced is refused (`conflict`).
 */
export interface SubtitlesData {
  sourceId?: string | null;
  subtitles: SubtitleTrackData[];
}
export interface SyncReport {
  data: ReportData;
  id?: string | null;
  type: "sync:report";
}
export interface ReportData {
  atServerTime: number;
  driftMs: number;
  mediaTimeMs: number;
  rttMs?: number | null;
}
export interface SyncDurationReport {
  data: DurationReportData;
  id?: string | null;
  type: "sync:duration";
}
/**
 * A member's player learnt the length of the room's current video (`sourceId`).
 */
export interface DurationReportData {
  durationMs: number;
  sourceId: string;
}
export interface MediaFailed {
  data: MediaFailedData;
  id?: string | null;
  type: "media:failed";
}
/**
 * A member's player could not play the room's source, and why (the browser's own
 * error, mapped to one of a few reasons by the player).
 */
export interface MediaFailedData {
  reason:
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
  sourceId: string;
}
export interface ChatSend {
  data: ChatData;
  id?: string | null;
  type: "chat:message";
}
export interface ChatData {
  content: string;
}
export interface VoiceJoin {
  data?: EmptyData1;
  id?: string | null;
  type: "voice:join";
}
/**
 * `data: {}` for messages that carry nothing.
 */
export interface EmptyData1 {}
export interface VoiceLeave {
  data?: EmptyData2;
  id?: string | null;
  type: "voice:leave";
}
/**
 * `data: {}` for messages that carry nothing.
 */
export interface EmptyData2 {}
export interface VoiceSignal {
  data: VoiceSignalData;
  id?: string | null;
  type: "voice:signal";
}
export interface VoiceSignalData {
  signal: {
    [k: string]: unknown;
  };
  targetId: string;
}
export interface Kick {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:kick";
}
export interface ParticipantTarget {
  participantId: string;
}
export interface Ban {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:ban";
}
export interface GrantControl {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:grant_control";
}
export interface RevokeControl {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:revoke_control";
}
export interface TransferOwnership {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:transfer_ownership";
}
export interface ReclaimOwnership {
  data?: EmptyData3;
  id?: string | null;
  type: "room:reclaim_ownership";
}
/**
 * `data: {}` for messages that carry nothing.
 */
export interface EmptyData3 {}
export interface ChangeSettings {
  data: SettingsData;
  id?: string | null;
  type: "room:settings";
}
export interface SettingsData {
  autoHandover?: boolean | null;
  automod?: AutomodSettingsData | null;
  bufferWaitMs?: number | null;
  guestsAllowed?: boolean | null;
  guestsMayChat?: boolean | null;
  idleCloseMinutes?: number | null;
  maxParticipants?: number | null;
  name?: string | null;
  password?: string | null;
  playbackControl?: ("owner_only" | "all" | "selected") | null;
  privacy?: ("public" | "friends_only" | "private" | "anonymous") | null;
  removePassword?: boolean | null;
  voiceRelayOnly?: boolean | null;
}
/**
 * The automatic moderator's rules, each on or off, and their thresholds (absent: as is).
 */
export interface AutomodSettingsData {
  blocklist?: boolean | null;
  enabled?: boolean | null;
  flood?: boolean | null;
  floodLimit?: number | null;
  linkLimit?: number | null;
  links?: boolean | null;
  repeatLimit?: number | null;
  repeats?: boolean | null;
}
export interface StartCountdown {
  data?: CountdownData;
  id?: string | null;
  type: "room:countdown";
}
export interface CountdownData {
  durationMs?: number;
  expectedSeq?: number | null;
  idempotencyKey?: string | null;
}
export interface Mute {
  data: MuteData;
  id?: string | null;
  type: "room:mute";
}
export interface MuteData {
  durationMs?: number | null;
  participantId: string;
  scope?: "chat" | "voice" | "both";
}
export interface Unmute {
  data: UnmuteData;
  id?: string | null;
  type: "room:unmute";
}
export interface UnmuteData {
  participantId: string;
  scope?: "chat" | "voice" | "both";
}
export interface ShadowMute {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:shadow_mute";
}
export interface ShadowUnmute {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:shadow_unmute";
}
export interface VoiceMuteAll {
  data: VoiceMuteAllData;
  id?: string | null;
  type: "room:voice_mute_all";
}
export interface VoiceMuteAllData {
  enabled: boolean;
}
export interface RaiseHand {
  data?: RaiseHandData;
  id?: string | null;
  type: "room:raise_hand";
}
export interface RaiseHandData {
  raised?: boolean;
}
export interface AllowSpeaker {
  data: AllowSpeakerData;
  id?: string | null;
  type: "room:allow_speaker";
}
export interface AllowSpeakerData {
  allowed?: boolean;
  participantId: string;
}
export interface ReportMember {
  data: MemberReportData;
  id?: string | null;
  type: "room:report";
}
export interface MemberReportData {
  details?: string;
  participantId: string;
  reason: "harassment" | "inappropriate_content" | "spam" | "hate_speech" | "impersonation" | "other";
}
export interface AskReady {
  data?: ReadyCheckData;
  id?: string | null;
  type: "room:ready_check";
}
/**
 * The owner's ready check: `start` asks everyone, `start_anyway` plays now with the
 * countdown whoever is not ready, `cancel` drops the question.
 */
export interface ReadyCheckData {
  action?: "start" | "start_anyway" | "cancel";
  countdownMs?: number;
}
export interface AnswerReady {
  data?: ReadyData;
  id?: string | null;
  type: "room:ready";
}
export interface ReadyData {
  ready?: boolean;
}
export interface StartVote {
  data: VoteStartData;
  id?: string | null;
  type: "room:vote_start";
}
export interface VoteStartData {
  action: "pause" | "resume";
}
export interface CastVote {
  data: VoteData;
  id?: string | null;
  type: "room:vote";
}
export interface VoteData {
  voteId: string;
  yes: boolean;
}
export interface GrantHost {
  data: HostData;
  id?: string | null;
  type: "room:host";
}
export interface HostData {
  durationMs?: number | null;
  participantId: string;
}
export interface EndHost {
  data: ParticipantTarget;
  id?: string | null;
  type: "room:host_end";
}
export interface SendReaction {
  data: ReactionData;
  id?: string | null;
  type: "reaction:send";
}
export interface ReactionData {
  emoji: string;
}
export interface BufferingReport {
  data: BufferingData;
  id?: string | null;
  type: "sync:buffering";
}
export interface BufferingData {
  stalled: boolean;
}
export interface StillHere {
  data?: EmptyData4;
  id?: string | null;
  type: "room:still_here";
}
/**
 * `data: {}` for messages that carry nothing.
 */
export interface EmptyData4 {}
export interface Welcome {
  data: WelcomeData;
  type: "welcome";
}
export interface WelcomeData {
  chat?: ChatMessageData[];
  compatible?: boolean;
  deprecated?: boolean;
  moderation?: ModerationView | null;
  participants: ParticipantView[];
  protocolVersion: string;
  reactions?: ReactionView[];
  readyCheck?: ReadyCheckView | null;
  resume: Resume;
  room: RoomView;
  serverTime: number;
  state: PlaybackStateModel;
  subtitles?: SubtitleTrackView[];
  vote?: VoteView | null;
  you: YouView;
}
/**
 * A stored chat line: `kind` user (with content) or system (with event).
 */
export interface ChatMessageData {
  content?: string | null;
  createdAt: number;
  event?: SystemEvent | null;
  hidden?: boolean | null;
  id: string;
  kind: "user" | "system";
  userId?: string | null;
  username?: string | null;
}
export interface SystemEvent {
  action?: ("warn" | "hide" | "mute") | null;
  changes?: {
    [k: string]: string | number | boolean;
  } | null;
  kind:
    | "join"
    | "leave"
    | "play"
    | "pause"
    | "seek"
    | "rate"
    | "source"
    | "subtitles"
    | "ownership"
    | "kick"
    | "ban"
    | "automod"
    | "host"
    | "host_ended"
    | "ended"
    | "media_failed"
    | "settings";
  position?: number | null;
  rate?: number | null;
  reason?:
    | (
        | "not_found"
        | "forbidden"
        | "unreachable"
        | "not_a_video"
        | "hls_cors"
        | "unsupported_codec"
        | "drm"
        | "mixed_content"
        | "not_seekable"
        | "unknown"
      )
    | null;
  rule?: ("repeats" | "links" | "flood" | "blocklist") | null;
  sourceType?: ("upload" | "youtube" | "url") | null;
  userId?: string | null;
  username?: string | null;
  waitingFor?: string[] | null;
}
/**
 * What only the owner sees: who is shadow-muted (`room:moderation`, and in the welcome).
 */
export interface ModerationView {
  shadowMuted: string[];
}
export interface ParticipantView {
  away: boolean;
  canControl: boolean;
  chatMuted?: boolean;
  chatMutedUntil?: number | null;
  handRaised?: boolean;
  host?: boolean;
  hostUntil?: number | null;
  inVoice: boolean;
  isGuest: boolean;
  joinedAt: number;
  participantId: string;
  role: "owner" | "participant" | "guest";
  userId: string;
  username: string;
  voiceMuted?: boolean;
  voiceMutedUntil?: number | null;
}
/**
 * An emoji reaction at a moment of a source (`reaction:new`, and the welcome's list).
 */
export interface ReactionView {
  createdAt: number;
  emoji: string;
  id: string;
  mediaTimeMs: number;
  participantId: string;
  sourceId: string;
  username: string;
}
/**
 * A ready check (`room:ready_check`): `open` while members answer; then how it ended.
 */
export interface ReadyCheckView {
  askedBy: string;
  checkId: string;
  endsAt: number;
  ready: string[];
  status: "open" | "all_ready" | "started_anyway" | "cancelled" | "timed_out";
  waitingFor: string[];
}
/**
 * How a (re)joining client catches up: `commands` = the missed `sync:command`s follow
 * the welcome, in order; `snapshot` = `state` is all there is (lastSeq too old or absent).
 */
export interface Resume {
  fromSeq?: number | null;
  mode: "commands" | "snapshot";
}
export interface RoomView {
  autoHandover: boolean;
  automod?: AutomodView | null;
  bufferWaitMs?: number;
  code: string;
  createdAt: number;
  guestsAllowed?: boolean;
  guestsMayChat?: boolean;
  hasPassword: boolean;
  id: string;
  idleCloseMinutes?: number;
  maxParticipants: number;
  name: string;
  ownerId: string | null;
  phase: "CREATED" | "WAITING" | "PLAYING" | "PAUSED" | "ENDED";
  playbackControl: "owner_only" | "all" | "selected";
  privacy?: "public" | "friends_only" | "private" | "anonymous";
  voiceMutedForAll?: boolean;
  voiceRelayOnly?: boolean;
}
/**
 * The automatic moderator's rules (docs/protocol.md "Automod").
 */
export interface AutomodView {
  blocklist: boolean;
  enabled: boolean;
  flood: boolean;
  floodLimit: number;
  linkLimit: number;
  links: boolean;
  repeatLimit: number;
  repeats: boolean;
}
export interface PlaybackStateModel {
  anchorMediaTimeMs: number;
  anchorServerTimeMs: number;
  durationMs?: number | null;
  isPlaying: boolean;
  playbackRate: number;
  roomId: string;
  sequenceNumber: number;
  sourceId: string | null;
  sourceType: ("upload" | "youtube" | "url") | null;
}
export interface SubtitleTrackView {
  label: string;
  language?: string | null;
  url: string;
}
/**
 * A playback vote (`room:vote`): `open`, then `passed`, `failed` or `expired`.
 */
export interface VoteView {
  action: "pause" | "resume";
  eligible: number;
  endsAt: number;
  needed: number;
  no: string[];
  startedBy: string;
  status: "open" | "passed" | "failed" | "expired";
  voteId: string;
  yes: string[];
}
export interface YouView {
  participantId: string;
  role: "owner" | "participant" | "guest";
  userId: string;
}
export interface TimePong {
  data: TimePongData;
  type: "time:pong";
}
export interface TimePongData {
  t0: number;
  t1: number;
  t2: number;
}
export interface SyncCommand {
  data: SyncCommandData;
  type: "sync:command";
}
export interface SyncCommandData {
  atServerTime: number;
  issuedBy: string;
  rate?: number | null;
  reason?: "ended" | null;
  sequenceNumber: number;
  sourceId?: string | null;
  sourceType?: ("upload" | "youtube" | "url") | null;
  state: PlaybackStateModel;
  targetMediaTimeMs?: number | null;
  type: "PLAY" | "PAUSE" | "SEEK" | "SET_RATE" | "SET_SOURCE";
}
export interface SyncDuration {
  data: DurationData;
  type: "sync:duration";
}
/**
 * The length of the room's current video, learnt after its `SET_SOURCE`.
 */
export interface DurationData {
  durationMs: number;
  sourceId: string;
}
export interface Participants {
  data: ParticipantsData;
  type: "room:participants";
}
export interface ParticipantsData {
  ownerId: string | null;
  participants: ParticipantView[];
}
export interface OwnerAway {
  data: OwnerAwayData;
  type: "room:owner_away";
}
export interface OwnerAwayData {
  message?: string;
  ownerId: string;
}
export interface OwnerChanged {
  data: OwnerChangedData;
  type: "room:owner_changed";
}
export interface OwnerChangedData {
  newOwnerId: string;
  previousOwnerId: string | null;
  reason: "auto_handover" | "transfer" | "reclaim" | "creator_returned";
}
export interface OfferOwnership {
  data: OfferOwnershipData;
  type: "room:offer_ownership";
}
export interface OfferOwnershipData {
  canReclaim?: boolean;
  currentOwnerId: string | null;
  expiresAt: number;
}
export interface SettingsChanged {
  data: SettingsChangedData;
  type: "room:settings";
}
export interface SettingsChangedData {
  autoHandover: boolean;
  automod?: AutomodView | null;
  bufferWaitMs?: number;
  guestsAllowed?: boolean;
  guestsMayChat?: boolean;
  hasPassword?: boolean | null;
  idleCloseMinutes?: number;
  maxParticipants?: number | null;
  name?: string | null;
  playbackControl: "owner_only" | "all" | "selected";
  privacy?: "public" | "friends_only" | "private" | "anonymous";
  voiceMutedForAll?: boolean;
  voiceRelayOnly?: boolean;
}
export interface SubtitlesChanged {
  data: SubtitlesChangedData;
  type: "room:subtitles";
}
/**
 * The subtitle tracks of the room's current source (`sourceId`), for everyone to pick from.
 */
export interface SubtitlesChangedData {
  sourceId: string | null;
  subtitles: SubtitleTrackView[];
}
export interface ChatMessage {
  data: ChatMessageData;
  type: "chat:message";
}
export interface VoicePeers {
  data: VoicePeersData;
  type: "voice:peers";
}
export interface VoicePeersData {
  peers: string[];
}
export interface VoicePeerJoined {
  data: VoicePeerData;
  type: "voice:peer:joined";
}
export interface VoicePeerData {
  peerId: string;
}
export interface VoicePeerLeft {
  data: VoicePeerData;
  type: "voice:peer:left";
}
export interface VoiceSignalRelay {
  data: VoiceSignalRelayData;
  type: "voice:signal";
}
export interface VoiceSignalRelayData {
  fromId: string;
  signal: {
    [k: string]: unknown;
  };
}
export interface CountdownStart {
  data: CountdownStartData;
  type: "countdown:start";
}
export interface CountdownStartData {
  durationMs: number;
  playAtServerTime: number;
  sequenceNumber: number;
  serverStartTime: number;
}
export interface MediaProgress {
  data: MediaProgressData;
  type: "media:progress";
}
/**
 * An upload made for this room, as its transcode goes (docs/protocol.md "Uploads").
 */
export interface MediaProgressData {
  error?: string | null;
  filename: string;
  playable: boolean;
  progress: number;
  status: "processing" | "ready" | "failed";
  videoId: string;
}
export interface ModerationState {
  data: ModerationView;
  type: "room:moderation";
}
export interface Muted {
  data: MutedData;
  type: "moderation:muted";
}
/**
 * To a member: what they can no longer do, until when (absent: the rest of the session).
 */
export interface MutedData {
  by: "owner" | "automod";
  scope: "chat" | "voice" | "both";
  until?: number | null;
}
export interface Unmuted {
  data: UnmutedData;
  type: "moderation:unmuted";
}
export interface UnmutedData {
  scope: "chat" | "voice" | "both";
}
export interface AutomodWarning {
  data: AutomodWarningData;
  type: "moderation:warning";
}
/**
 * To a member: the automatic moderator acted on their message.
 */
export interface AutomodWarningData {
  action: "warn" | "hide" | "mute";
  message: string;
  rule: "repeats" | "links" | "flood" | "blocklist";
}
export interface ReadyCheck {
  data: ReadyCheckView;
  type: "room:ready_check";
}
export interface Vote {
  data: VoteView;
  type: "room:vote";
}
export interface ReactionNew {
  data: ReactionView;
  type: "reaction:new";
}
export interface Waiting {
  data: WaitingData;
  type: "room:waiting";
}
/**
 * `room:waiting`: whom the room waits for while their player buffers (empty: nobody).
 */
export interface WaitingData {
  leftOut?: string[];
  resumesAt?: number | null;
  waitingFor: string[];
}
export interface Idle {
  data: IdleData;
  type: "room:idle";
}
/**
 * `room:idle`: the room will close at `closesAt` unless someone answers (null: lifted).
 */
export interface IdleData {
  closesAt: number | null;
}
export interface Ack {
  data?: {
    [k: string]: unknown;
  };
  re: string;
  type: "ack";
}
export interface Error {
  data: ErrorData;
  re?: string | null;
  type: "error";
}
export interface ErrorData {
  code: string;
  currentSeq?: number | null;
  errors?:
    | {
        [k: string]: unknown;
      }[]
    | null;
  message: string;
  retryAfter?: number | null;
  suggestion?: string | null;
}
/**
 * Invite a friend to a room: `ack`, or `error` (`forbidden` not a friend, `not_found`
 * no such room, `conflict` the friend is offline).
 */
export interface RoomInvite {
  data: RoomInviteData;
  id?: string | null;
  type: "room:invite";
}
export interface RoomInviteData {
  roomCode: string;
  userId: string;
}
/**
 * Choose your status: `online` (turns `away` after 5 idle minutes), `busy`, or
 * `invisible` (every friend sees you offline). Kept across sessions.
 */
export interface PresenceSet {
  data: PresenceSetData;
  id?: string | null;
  type: "presence:set";
}
export interface PresenceSetData {
  status: "online" | "busy" | "invisible";
}
/**
 * The person did something (typed, clicked, watched): not away. At most once a minute.
 */
export interface PresenceActive {
  data?: EmptyData5;
  id?: string | null;
  type: "presence:active";
}
/**
 * `data: {}` for messages that carry nothing.
 */
export interface EmptyData5 {}
export interface UserWelcome {
  data: UserWelcomeData;
  type: "welcome";
}
export interface UserWelcomeData {
  compatible?: boolean;
  deprecated?: boolean;
  friends: FriendView[];
  protocolVersion: string;
  serverTime: number;
  status?: "online" | "busy" | "invisible";
  unreadNotifications?: number;
  you: UserView;
}
/**
 * A friend and their presence: `online` is false when `status` is `offline`
 * (no `/ws/me` socket open on this server, or invisible).
 */
export interface FriendView {
  activity?: FriendActivity | null;
  online: boolean;
  status?: "online" | "away" | "busy" | "offline";
  userId: string;
  username: string;
}
/**
 * The room a friend is in ("watching Friday film · 2 of 5"); only for rooms
 * whose privacy lets friends see and join them (public, friends only).
 */
export interface FriendActivity {
  maxMembers: number;
  members: number;
  roomCode: string;
  roomName: string;
}
export interface UserView {
  userId: string;
  username: string;
}
/**
 * A friend's presence changed: came online, went away, busy, offline (or
 * invisible), or entered, left or changed the room they watch in.
 */
export interface FriendPresence {
  data: FriendView;
  type: "friend:presence";
}
/**
 * Someone asked to be your friend.
 */
export interface FriendRequest {
  data: FriendRequestData;
  type: "friend:request";
}
export interface FriendRequestData {
  fromUserId: string;
  fromUsername: string;
}
/**
 * Your friend request was accepted.
 */
export interface FriendAccepted {
  data: FriendView;
  type: "friend:accepted";
}
/**
 * A friendship or request with this user ended (removed, declined, cancelled,
 * or a block): drop them from your lists.
 */
export interface FriendRemoved {
  data: FriendRemovedData;
  type: "friend:removed";
}
export interface FriendRemovedData {
  userId: string;
}
/**
 * A friend invited you to a room.
 */
export interface RoomInvitation {
  data: RoomInvitationData;
  type: "room:invitation";
}
export interface RoomInvitationData {
  fromUserId: string;
  fromUsername: string;
  roomCode: string;
  roomName: string;
  startsAt?: number | null;
}
/**
 * A new entry in your notification centre, with the new unread count.
 */
export interface NotificationPush {
  data: NotificationPushData;
  type: "notification";
}
export interface NotificationPushData {
  notification: NotificationView;
  unread: number;
}
/**
 * One entry of the notification centre. Who it is from and which room it is
 * about are present when they apply; `startsAt` is a scheduled room's start.
 */
export interface NotificationView {
  createdAt: number;
  fromUserId?: string | null;
  fromUsername?: string | null;
  id: string;
  kind: "friend_request" | "friend_accepted" | "room_invitation" | "reminder";
  read: boolean;
  roomCode?: string | null;
  roomName?: string | null;
  startsAt?: number | null;
}
/**
 * Your unread count changed elsewhere (read in another tab).
 */
export interface UnreadCount {
  data: UnreadCountData;
  type: "notifications:unread";
}
export interface UnreadCountData {
  unread: number;
}
