/**
 * Compile-time proof that the hand-written protocol types (protocol.ts, shaped
 * for the app: unions, helpers, looser where the UI tolerates more) agree with
 * the types generated from the server's models (protocol.generated.ts, from
 * docs/protocol.schema.json). `tsc` fails when the two sides drift apart:
 *
 * - everything the server may send is accepted by the app's types;
 * - everything the app sends is a message the server's models accept;
 * - both sides know the same message types.
 */
import type * as Server from "./protocol.generated";
import type {
  AutomodWarningData,
  ChatMessage,
  ModerationView,
  MutedData,
  ClientNotices,
  ClientRequests,
  ErrorData,
  HelloData,
  Participant,
  PlaybackState,
  Reaction,
  ReadyCheckView,
  RoomSettingsData,
  VoteView,
  WaitingData,
  SubtitlesData,
  ServerMessageType,
  SyncCommand,
  SystemChatMessage,
  UserChatMessage,
  WelcomeData,
} from "./protocol";

type Accepts<Wide, Narrow> = [Narrow] extends [Wide] ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

type DataOf<M extends { type: string; data?: unknown }, T extends string> = Extract<M, { type: T }>["data"];
/** An interface as a plain object type (which an index-signature type accepts). */
type Plain<T> = { [K in keyof T]: T[K] };
/** The app sends no `null`s: it leaves optional fields out instead. */
type Sent<T> = { [K in keyof T]: Exclude<T[K], null> };

export type ServerToApp = [
  Expect<Accepts<PlaybackState, Server.PlaybackStateModel>>,
  Expect<Accepts<SyncCommand, Server.SyncCommandData>>,
  Expect<Accepts<Omit<WelcomeData, "chat">, Omit<Server.WelcomeData, "chat">>>,
  // The server's chat line is one flat model; the app's is a union on `kind`
  // (a user line always has its author and text), so it is checked field by field.
  Expect<Accepts<ChatMessage["kind"] | undefined, Server.ChatMessageData["kind"]>>,
  Expect<Accepts<UserChatMessage["content"], NonNullable<Server.ChatMessageData["content"]>>>,
  Expect<Accepts<UserChatMessage["createdAt"], Server.ChatMessageData["createdAt"]>>,
  Expect<Accepts<SystemChatMessage["event"], Plain<Server.SystemEvent>>>,
  Expect<Accepts<ErrorData, Server.ErrorData>>,
  Expect<Accepts<RoomSettingsData, Server.SettingsChangedData>>,
  Expect<Accepts<SubtitlesData, Server.SubtitlesChangedData>>,
  Expect<Accepts<MutedData, Server.MutedData>>,
  Expect<Accepts<AutomodWarningData, Server.AutomodWarningData>>,
  Expect<Accepts<ModerationView, Server.ModerationView>>,
  Expect<Accepts<{ t0: number; t1: number; t2: number }, Server.TimePongData>>,
  Expect<Accepts<Participant, Server.ParticipantView>>,
  Expect<Accepts<ReadyCheckView, Server.ReadyCheckView>>,
  Expect<Accepts<VoteView, Server.VoteView>>,
  Expect<Accepts<Reaction, Server.ReactionView>>,
  Expect<Accepts<WaitingData, Server.WaitingData>>,
  Expect<Accepts<{ closesAt: number | null }, Server.IdleData>>,
];

export type AppToServer = [
  Expect<Accepts<Sent<Server.HelloData>, HelloData>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "sync:seek">>, ClientRequests["sync:seek"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "sync:rate">>, ClientRequests["sync:rate"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "sync:source">>, ClientRequests["sync:source"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "sync:subtitles">>, ClientRequests["sync:subtitles"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "sync:report">>, ClientNotices["sync:report"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "chat:message">>, ClientRequests["chat:message"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:settings">>, ClientRequests["room:settings"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:countdown">>, ClientRequests["room:countdown"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:mute">>, ClientRequests["room:mute"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:report">>, ClientRequests["room:report"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:ready_check">>, ClientRequests["room:ready_check"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:ready">>, ClientRequests["room:ready"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:vote_start">>, ClientRequests["room:vote_start"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:vote">>, ClientRequests["room:vote"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:host">>, ClientRequests["room:host"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "room:host_end">>, ClientRequests["room:host_end"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "reaction:send">>, ClientRequests["reaction:send"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "sync:buffering">>, ClientNotices["sync:buffering"]>>,
  Expect<Accepts<Sent<DataOf<Server.ClientMessage, "media:failed">>, ClientRequests["media:failed"]>>,
];

export type MessageTypes = [
  Expect<Same<Server.ServerMessage["type"], ServerMessageType>>,
  Expect<Same<Server.ClientMessage["type"], "hello" | keyof ClientRequests | keyof ClientNotices>>,
];
