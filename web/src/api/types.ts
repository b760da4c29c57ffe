/** HTTP bodies of CONTRACT.md §1, written from the contract. */

export interface User {
  id: string;
  username: string;
  email?: string;
  guest?: boolean;
  createdAt?: string;
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

export type PlaybackControl = "owner_only" | "all" | "selected";

export interface Room {
  id: string;
  code: string;
  name: string | null;
  ownerId: string;
  maxParticipants: number;
  hasPassword: boolean;
  playbackControl: PlaybackControl;
  createdAt: string;
  expiresAt: string | null;
  participantCount?: number;
}

export interface CreateRoomRequest {
  name?: string;
  maxParticipants: number;
  password?: string;
  playbackControl: PlaybackControl;
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
