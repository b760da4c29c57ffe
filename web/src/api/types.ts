/**
 * HTTP bodies of CONTRACT.md §1 as the app uses them. http.conformance.ts holds
 * them to the types generated from the server's OpenAPI document
 * (http.generated.ts): `tsc` fails when the two disagree.
 */

export interface User {
  id: string;
  username: string;
  email?: string;
  guest?: boolean;
  /** Epoch ms (registered accounts only). */
  createdAt?: number;
}

export interface AuthResponse {
  user: User;
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface RefreshResponse {
  accessToken: string;
  expiresIn: number;
}

/** One sign-in of the account still in force (`GET /auth/sessions`). */
export interface AccountSession {
  id: string;
  /** "Firefox on Windows": the browser and system, from the user agent. */
  device: string;
  userAgent?: string;
  ip?: string;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of its last sign-in or token refresh. */
  lastSeenAt: number;
  /** The session of this browser. */
  current: boolean;
}

export interface SignedOutCount {
  /** How many other sessions were signed out. */
  signedOut: number;
}

export type PlaybackControl = "owner_only" | "all" | "selected";

export interface Room {
  id: string;
  code: string;
  name: string;
  ownerId: string;
  maxParticipants: number;
  hasPassword: boolean;
  playbackControl: PlaybackControl;
  autoHandover?: boolean;
  /** Who may join: see docs/protocol.md "Who may join". */
  privacy?: "public" | "friends_only" | "private" | "anonymous";
  guestsAllowed?: boolean;
  /** Epoch ms, the same number as the WebSocket welcome's `room.createdAt`. */
  createdAt: number;
  /** Epoch ms: the room is deleted this long after its last member left. */
  expiresAt: number;
  participantCount?: number;
}

/** A room on the home page's "My rooms", with how many people are in it now. */
export interface MyRoom extends Room {
  participantCount: number;
  /** When you last joined it (epoch ms); null for a room you own and never entered. */
  lastJoinedAt: number | null;
}

export interface MyRooms {
  owned: MyRoom[];
  recent: MyRoom[];
}

export interface CreateRoomRequest {
  name?: string;
  maxParticipants: number;
  password?: string;
  playbackControl: PlaybackControl;
  autoHandover?: boolean;
  privacy?: "public" | "friends_only" | "private" | "anonymous";
  guestsAllowed?: boolean;
}

export interface JoinRoomResponse {
  room: Room;
  participantId: string;
}

/** One entry of a 422 problem's `errors`; servers spell the field several ways. */
export interface FieldErrorEntry {
  field?: string;
  name?: string;
  loc?: (string | number)[];
  message?: string;
  msg?: string;
  detail?: string;
}

/** RFC 9457 problem details, as every error of the API is sent. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldErrorEntry[];
  /** Why, when the code alone doesn't say (`closed_by_owner` on a closed room's 404). */
  reason?: string;
}

export interface VideoStatus {
  id: string;
  status: "pending" | "processing" | "ready" | "failed";
  /** 0..100 */
  progress: number;
  durationMs?: number;
  error?: string;
}

/** A subtitle track of an uploaded video (GET/POST /videos/{id}/subtitles). */
export interface SubtitleTrackInfo {
  id: string;
  label: string;
  language: string | null;
  origin: "embedded" | "upload";
  /** Root-relative WebVTT address. */
  url: string;
}

export interface VideoManifest {
  /** The HLS master playlist, root-relative. */
  manifestUrl: string;
}
