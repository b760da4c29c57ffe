/**
 * Client-side routes. The server answers every non-API GET with index.html,
 * so these paths are the whole URL space of the SPA. Pure: no DOM access.
 */

export type Route =
  | { name: "home" }
  | { name: "login"; next: string | null }
  | { name: "register"; next: string | null }
  | { name: "room"; code: string }
  | { name: "friends" }
  | { name: "history" }
  | { name: "account" }
  | { name: "reset_password" }
  | { name: "not_found"; path: string };

/** Room codes are short random strings; accept a generous, URL-safe shape. */
const ROOM_CODE = /^[A-Za-z0-9]{4,32}$/;

export function isRoomCode(value: string): boolean {
  return ROOM_CODE.test(value);
}

export function roomPath(code: string): string {
  return `/r/${encodeURIComponent(code)}`;
}

export function inviteLink(origin: string, code: string): string {
  return `${origin}${roomPath(code)}`;
}

/** Only same-site paths may be used as a post-login destination (no open redirect). */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return null;
  return next;
}

export function parseRoute(pathname: string, search = ""): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  const params = new URLSearchParams(search);
  if (path === "/") return { name: "home" };
  if (path === "/login") return { name: "login", next: safeNext(params.get("next")) };
  if (path === "/register") return { name: "register", next: safeNext(params.get("next")) };
  if (path === "/friends") return { name: "friends" };
  if (path === "/history") return { name: "history" };
  if (path === "/account") return { name: "account" };
  // The one-time token travels in the fragment (#token=…), which no server or proxy sees.
  if (path === "/reset-password") return { name: "reset_password" };
  const room = /^\/r\/([^/]+)$/.exec(path);
  if (room?.[1]) {
    const code = decodeURIComponent(room[1]);
    if (isRoomCode(code)) return { name: "room", code };
  }
  return { name: "not_found", path: pathname };
}

/**
 * Turns what a person pastes into the "join" box into a room code: a bare
 * code, an invite link (`https://host/r/CODE`), or a path (`/r/CODE`).
 */
export function parseRoomInput(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  if (isRoomCode(text)) return text;
  let pathname = text;
  try {
    pathname = new URL(text).pathname;
  } catch {
    // Not an absolute URL: maybe "host/r/CODE" or "/r/CODE".
    const at = text.indexOf("/r/");
    if (at >= 0) pathname = text.slice(at);
  }
  const route = parseRoute(pathname);
  return route.name === "room" ? route.code : null;
}
