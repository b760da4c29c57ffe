/**
 * A thin JSON client for `/api/v1` (CONTRACT.md §1). It knows nothing about
 * React or stores: it asks `auth.getAccessToken()` for the bearer token and
 * `auth.refresh()` for a new one after a 401, then retries once.
 */
import { ApiError, toProblem } from "./problem";
import type {
  AccountSession,
  AuthResponse,
  CreateRoomRequest,
  JoinRoomResponse,
  MyRooms,
  RefreshResponse,
  Room,
  SignedOutCount,
  User,
  SubtitleTrackInfo,
  VideoManifest,
  VideoStatus,
} from "./types";

export const API_BASE = "/api/v1";

export interface AuthHooks {
  getAccessToken(): string | null;
  /** Returns a fresh access token, or null when the session is gone. */
  refresh(): Promise<string | null>;
}

interface RequestOptions {
  body?: unknown;
  /** A file sent as it is (not JSON), with its media type. */
  file?: { data: Blob; contentType: string };
  /** Send the bearer token and retry once after refreshing on 401. */
  auth?: boolean;
}

export class HttpClient {
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly hooks: AuthHooks,
    fetchImpl: typeof fetch = (...args) => fetch(...args),
    private readonly baseUrl = API_BASE,
  ) {
    this.fetchImpl = fetchImpl;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const first = await this.send(method, path, options, this.hooks.getAccessToken());
    if (first.status === 401 && options.auth) {
      const token = await this.hooks.refresh();
      if (token) return this.parse<T>(await this.send(method, path, options, token));
    }
    return this.parse<T>(first);
  }

  private async send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.file) headers["Content-Type"] = options.file.contentType;
    if (options.auth && token) headers.Authorization = `Bearer ${token}`;
    try {
      return await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: options.file ? options.file.data : options.body === undefined ? undefined : JSON.stringify(options.body),
        // The refresh token is an HttpOnly cookie scoped to /api/v1/auth.
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(toProblem(0, null));
    }
  }

  private async parse<T>(response: Response): Promise<T> {
    const text = await response.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (!response.ok) {
      const retryAfter = Number(response.headers.get("Retry-After"));
      throw new ApiError(toProblem(response.status, body), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
    }
    return body as T;
  }

  // --- auth -----------------------------------------------------------------
  register(email: string, username: string, password: string): Promise<AuthResponse> {
    return this.request("POST", "/auth/register", { body: { email, username, password } });
  }
  login(login: string, password: string): Promise<AuthResponse> {
    return this.request("POST", "/auth/login", { body: { login, password } });
  }
  guest(nickname?: string): Promise<AuthResponse> {
    return this.request("POST", "/auth/guest", { body: nickname ? { nickname } : {} });
  }
  refresh(): Promise<RefreshResponse> {
    return this.request("POST", "/auth/refresh");
  }
  logout(): Promise<void> {
    return this.request("POST", "/auth/logout", { auth: true });
  }
  me(): Promise<User> {
    return this.request("GET", "/auth/me", { auth: true });
  }

  // --- the account ----------------------------------------------------------
  changePassword(currentPassword: string, newPassword: string): Promise<SignedOutCount> {
    return this.request("POST", "/auth/password", { body: { currentPassword, newPassword }, auth: true });
  }
  async sessions(): Promise<AccountSession[]> {
    const body = await this.request<{ sessions: AccountSession[] }>("GET", "/auth/sessions", { auth: true });
    return body.sessions;
  }
  signOutSession(sessionId: string): Promise<void> {
    return this.request("DELETE", `/auth/sessions/${encodeURIComponent(sessionId)}`, { auth: true });
  }
  signOutOtherSessions(): Promise<SignedOutCount> {
    return this.request("DELETE", "/auth/sessions", { auth: true });
  }
  /** Everything the server keeps about this account, as JSON (for a download). */
  exportMyData(): Promise<unknown> {
    return this.request("GET", "/auth/me/export", { auth: true });
  }
  deleteAccount(password: string): Promise<void> {
    return this.request("POST", "/auth/me/delete", { body: { password }, auth: true });
  }
  /** Set a new password with a one-time link's token (no sign-in needed). */
  resetPassword(token: string, newPassword: string): Promise<void> {
    return this.request("POST", "/auth/password-reset", { body: { token, newPassword } });
  }

  // --- rooms ----------------------------------------------------------------
  createRoom(body: CreateRoomRequest): Promise<Room> {
    return this.request("POST", "/rooms", { body, auth: true });
  }
  getRoom(code: string): Promise<Room> {
    return this.request("GET", `/rooms/${encodeURIComponent(code)}`, { auth: true });
  }
  joinRoom(code: string, password?: string): Promise<JoinRoomResponse> {
    return this.request("POST", `/rooms/${encodeURIComponent(code)}/join`, {
      body: password ? { password } : {},
      auth: true,
    });
  }
  /** The rooms you own and the ones you joined lately, with live participant counts. */
  myRooms(): Promise<MyRooms> {
    return this.request("GET", "/rooms/mine", { auth: true });
  }
  deleteRoom(code: string): Promise<void> {
    return this.request("DELETE", `/rooms/${encodeURIComponent(code)}`, { auth: true });
  }

  // --- videos ---------------------------------------------------------------
  /** `roomCode`: the room the video plays in (a proxy routes the request to that room's server). */
  videoStatus(videoId: string, roomCode?: string): Promise<VideoStatus> {
    return this.request("GET", `/videos/${encodeURIComponent(videoId)}/status${roomQuery(roomCode)}`, { auth: true });
  }
  /** The master playlist's URL, with a grant valid 30 to 40 minutes (ask again for a fresh one). */
  videoManifest(videoId: string, roomCode?: string): Promise<VideoManifest> {
    return this.request("GET", `/videos/${encodeURIComponent(videoId)}/manifest${roomQuery(roomCode)}`, { auth: true });
  }

  async videoSubtitles(videoId: string): Promise<SubtitleTrackInfo[]> {
    const body = await this.request<{ subtitles: SubtitleTrackInfo[] }>("GET", `/videos/${encodeURIComponent(videoId)}/subtitles`, { auth: true });
    return body.subtitles;
  }

  /** Upload an SRT or WebVTT file as a subtitle track of an uploaded video. */
  addSubtitles(videoId: string, file: Blob, details: { label?: string; language?: string; filename?: string }): Promise<SubtitleTrackInfo> {
    const query = new URLSearchParams(Object.entries(details).filter((entry): entry is [string, string] => Boolean(entry[1])));
    const suffix = query.size ? `?${query.toString()}` : "";
    return this.request("POST", `/videos/${encodeURIComponent(videoId)}/subtitles${suffix}`, {
      auth: true,
      file: { data: file, contentType: file.type || "text/plain" },
    });
  }
}

function roomQuery(roomCode: string | undefined): string {
  return roomCode ? `?room=${encodeURIComponent(roomCode)}` : "";
}
