/**
 * Who is signed in. The access token lives only in memory; the refresh token
 * is an HttpOnly cookie the browser sends to /api/v1/auth/refresh. A timer
 * refreshes a little before expiry, and concurrent 401s share one refresh.
 */
import { create } from "zustand";
import { HttpClient } from "../api/http";
import type { AuthResponse, User } from "../api/types";

export type SessionStatus = "loading" | "anonymous" | "authenticated";

interface SessionState {
  status: SessionStatus;
  user: User | null;
  accessToken: string | null;
  /** Epoch ms at which the access token stops working. */
  expiresAt: number | null;
}

export const useSession = create<SessionState>(() => ({
  status: "loading",
  user: null,
  accessToken: null,
  expiresAt: null,
}));

/** Refresh one minute before expiry (or at 80% of a short lifetime), never sooner than 5 s. */
export function refreshDelayMs(expiresInS: number): number {
  const lifetime = expiresInS * 1000;
  const margin = Math.min(60_000, lifetime * 0.2);
  return Math.max(5_000, lifetime - margin);
}

/**
 * A non-secret hint that this browser holds a refresh cookie (the cookie itself
 * is HttpOnly, so the page cannot see it). Without the hint, page load skips
 * the refresh call that could only fail with 401 for anonymous visitors.
 */
const SIGNED_IN_HINT = "sw_signed_in";

function hint(value: boolean): void {
  try {
    if (value) localStorage.setItem(SIGNED_IN_HINT, "1");
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // Storage disabled: every load simply tries the refresh.
  }
}

/** The server's readable companion of the refresh cookie (set and cleared with it). */
const SESSION_COOKIE_HINT = /(?:^|;\s*)sw_session=1(?:;|$)/;

function hasHint(): boolean {
  if (typeof document !== "undefined" && SESSION_COOKIE_HINT.test(document.cookie)) return true;
  try {
    return localStorage.getItem(SIGNED_IN_HINT) === "1";
  } catch {
    return true;
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let inflightRefresh: Promise<string | null> | null = null;

export const api = new HttpClient({
  getAccessToken: () => useSession.getState().accessToken,
  refresh: () => refreshSession(),
});

function scheduleRefresh(expiresInS: number): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshSession(), refreshDelayMs(expiresInS));
}

function adopt(token: string, expiresInS: number, user: User | null): void {
  useSession.setState({
    status: "authenticated",
    accessToken: token,
    expiresAt: Date.now() + expiresInS * 1000,
    ...(user ? { user } : {}),
  });
  scheduleRefresh(expiresInS);
}

function clear(): void {
  hint(false);
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  useSession.setState({ status: "anonymous", user: null, accessToken: null, expiresAt: null });
}

/** Single-flight refresh: every caller waiting on a 401 shares one request. */
export function refreshSession(): Promise<string | null> {
  if (!inflightRefresh) {
    inflightRefresh = api
      .refresh()
      .then((r) => {
        adopt(r.accessToken, r.expiresIn, null);
        return r.accessToken;
      })
      .catch(() => {
        // A guest has no refresh cookie: keep a still-valid token rather than dropping the session.
        const { accessToken, expiresAt } = useSession.getState();
        if (accessToken && expiresAt && expiresAt > Date.now() + 5_000) return accessToken;
        clear();
        return null;
      })
      .finally(() => {
        inflightRefresh = null;
      });
  }
  return inflightRefresh;
}

/** On page load: try the refresh cookie, then learn who we are. */
export async function restoreSession(): Promise<void> {
  if (!hasHint()) return clear();
  const token = await refreshSession();
  if (!token) return clear();
  try {
    const me = await api.me();
    useSession.setState({ user: me });
  } catch {
    clear();
  }
}

function signedIn(response: AuthResponse): User {
  adopt(response.accessToken, response.expiresIn, response.user);
  // Guests get a refresh cookie too, so a reload keeps their seat and nickname.
  hint(true);
  return response.user;
}

export async function login(loginName: string, password: string): Promise<User> {
  return signedIn(await api.login(loginName, password));
}

export async function register(email: string, username: string, password: string): Promise<User> {
  return signedIn(await api.register(email, username, password));
}

export async function continueAsGuest(nickname?: string): Promise<User> {
  return signedIn(await api.guest(nickname?.trim() || undefined));
}

/** The account is gone (deleted): drop the session here without asking the server. */
export function forgetSession(): void {
  clear();
}

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } finally {
    clear();
  }
}

/** The current token for the WebSocket hello, refreshed first when close to expiry. */
export async function freshAccessToken(): Promise<string | null> {
  const { accessToken, expiresAt } = useSession.getState();
  if (accessToken && expiresAt && expiresAt - Date.now() > 30_000) return accessToken;
  return refreshSession();
}
