/**
 * Compile-time proof that the app's hand-written HTTP types (types.ts, and the
 * shapes http.ts and the voice client use) agree with the types generated from
 * the server's OpenAPI document (http.generated.ts, from docs/openapi.json).
 * `tsc` fails when the two sides drift apart, as protocol.conformance.ts does
 * for the WebSocket:
 *
 * - every body the server may answer is accepted by the app's type for it;
 * - every body the app sends is one the server's request model accepts;
 * - the app reads each endpoint's body from the path and method that send it.
 */
import type { components, paths } from "./http.generated";
import type { IceConfiguration, VoiceJoinReport } from "../voice/iceServers";
import type {
  AccountSession,
  AuthResponse,
  CreateRoomRequest,
  FieldErrorEntry,
  JoinRoomResponse,
  MyRooms,
  Problem,
  RefreshResponse,
  Room,
  SignedOutCount,
  SubtitleTrackInfo,
  User,
  VideoManifest,
  VideoStatus,
} from "./types";

/** `Narrow` fits in `Wide`, and is a real type (a path, method or status that does not exist gives `never`). */
type Accepts<Wide, Narrow> = [Narrow] extends [never] ? false : [Narrow] extends [Wide] ? true : false;
type Expect<T extends true> = T;

type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];
/** The JSON body a path and method answer with `status`. */
type Answer<P extends keyof paths, M extends keyof paths[P], Status extends number> = paths[P][M] extends {
  responses: { [S in Status]: { content: { "application/json": infer Body } } };
}
  ? Body
  : never;
/** The JSON body a path and method take. */
type Takes<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer Body } };
}
  ? Body
  : never;
/** The app sends no `null`s: it leaves optional fields out instead. */
type Sent<T> = { [K in keyof T]: Exclude<T[K], null> };

export type ServerToApp = [
  Expect<Accepts<User, Schema<"User">>>,
  Expect<Accepts<AuthResponse, Answer<"/api/v1/auth/register", "post", 201>>>,
  Expect<Accepts<AuthResponse, Answer<"/api/v1/auth/login", "post", 200>>>,
  Expect<Accepts<AuthResponse, Answer<"/api/v1/auth/guest", "post", 200>>>,
  Expect<Accepts<RefreshResponse, Answer<"/api/v1/auth/refresh", "post", 200>>>,
  Expect<Accepts<User, Answer<"/api/v1/auth/me", "get", 200>>>,
  Expect<Accepts<AccountSession[], Answer<"/api/v1/auth/sessions", "get", 200>["sessions"]>>,
  Expect<Accepts<SignedOutCount, Answer<"/api/v1/auth/sessions", "delete", 200>>>,
  Expect<Accepts<SignedOutCount, Answer<"/api/v1/auth/password", "post", 200>>>,
  Expect<Accepts<Room, Answer<"/api/v1/rooms", "post", 201>>>,
  Expect<Accepts<Room, Answer<"/api/v1/rooms/{code}", "get", 200>>>,
  Expect<Accepts<JoinRoomResponse, Answer<"/api/v1/rooms/{code}/join", "post", 200>>>,
  Expect<Accepts<MyRooms, Answer<"/api/v1/rooms/mine", "get", 200>>>,
  Expect<Accepts<VideoStatus, Answer<"/api/v1/videos/{video_id}/status", "get", 200>>>,
  Expect<Accepts<VideoManifest, Answer<"/api/v1/videos/{video_id}/manifest", "get", 200>>>,
  Expect<Accepts<SubtitleTrackInfo[], Answer<"/api/v1/videos/{video_id}/subtitles", "get", 200>["subtitles"]>>,
  Expect<Accepts<SubtitleTrackInfo, Answer<"/api/v1/videos/{video_id}/subtitles", "post", 201>>>,
  Expect<Accepts<Omit<IceConfiguration, "iceServers">, Omit<Answer<"/api/v1/voice/ice-servers", "get", 200>, "iceServers">>>,
  Expect<Accepts<RTCIceServer, Schema<"IceServer">>>,
  Expect<Accepts<Problem, Schema<"Problem">>>,
  Expect<Accepts<FieldErrorEntry, Schema<"FieldError">>>,
  // Times are integer epoch milliseconds on every side (CONTRACT.md "Units").
  Expect<Accepts<number, Schema<"Room">["createdAt"]>>,
  Expect<Accepts<Room["createdAt"], number>>,
];

export type AppToServer = [
  Expect<Accepts<Sent<Takes<"/api/v1/rooms", "post">>, CreateRoomRequest>>,
  Expect<Accepts<Sent<Takes<"/api/v1/auth/register", "post">>, { email: string; username: string; password: string }>>,
  Expect<Accepts<Sent<Takes<"/api/v1/auth/login", "post">>, { login: string; password: string }>>,
  Expect<Accepts<Sent<Takes<"/api/v1/auth/guest", "post">>, { nickname?: string }>>,
  Expect<Accepts<Sent<Takes<"/api/v1/rooms/{code}/join", "post">>, { password?: string }>>,
  Expect<Accepts<Sent<Takes<"/api/v1/auth/password", "post">>, { currentPassword: string; newPassword: string }>>,
  Expect<Accepts<Sent<Takes<"/api/v1/auth/me/delete", "post">>, { password: string }>>,
  Expect<Accepts<Sent<Takes<"/api/v1/auth/password-reset", "post">>, { token: string; newPassword: string }>>,
  Expect<Accepts<Sent<Takes<"/api/v1/voice/reports", "post">>, Sent<VoiceJoinReport>>>,
];
