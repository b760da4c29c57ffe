/**
 * The chat history as shown: ordered, deduplicated by message id (a resume
 * after a reconnect may resend lines the client already has), bounded. Pure.
 */
import type { ChatMessage } from "../api/protocol";

export const CHAT_HISTORY_LIMIT = 500;

export function chatKey(message: ChatMessage): string {
  if (message.id) return message.id;
  // System events without an id: identical event at the identical time is the same line.
  return `system:${String(message.createdAt ?? "")}:${JSON.stringify("event" in message ? message.event : message)}`;
}

export function mergeChat(existing: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const seen = new Set(existing.map(chatKey));
  const added = incoming.filter((m) => {
    const key = chatKey(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!added.length) return existing;
  return [...existing, ...added].slice(-CHAT_HISTORY_LIMIT);
}

function clock(ms: unknown): string {
  const total = typeof ms === "number" && Number.isFinite(ms) ? Math.max(0, Math.round(ms / 1000)) : 0;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** Why a source failed, as a chat line says it (the player shows the long form). */
const FAILURE_SHORT: Record<string, string> = {
  not_found: "the link is dead (not found)",
  forbidden: "the site refuses access (private or login needed)",
  unreachable: "its server can't be reached",
  not_a_video: "the link is not a video file",
  hls_cors: "the stream's server doesn't allow other sites (CORS)",
  unsupported_codec: "the browser can't play its format",
  drm: "it is DRM-protected",
  mixed_content: "it is plain http:// on a secure page",
  not_seekable: "its server doesn't allow jumping in it (no range requests)",
  unknown: "it could not be played",
};

const AUTOMOD_RULE_WORDS: Record<string, string> = { repeats: "repeated messages", links: "link spam", flood: "rapid messages", blocklist: "a blocked word" };

const PRIVACY_WORDS: Record<string, string> = { public: "anyone with the link", friends_only: "friends only", private: "invited people only", anonymous: "anyone, anonymously" };

const POLICY_WORDS: Record<string, string> = { owner_only: "only the owner", all: "everyone", selected: "people the owner picks" };

/** The owner's changes in words: `name “Friday film” · 3 seats · password set`. */
export function describeSettingChanges(changes: unknown): string {
  if (!changes || typeof changes !== "object") return "settings changed";
  const words = Object.entries(changes as Record<string, unknown>).map(([key, value]) => {
    switch (key) {
      case "name":
        return `name “${String(value)}”`;
      case "maxParticipants":
        return `${String(value)} seats`;
      case "password":
        return `password ${String(value)}`;
      case "playbackControl":
        return `playback by ${POLICY_WORDS[String(value)] ?? String(value)}`;
      case "autoHandover":
        return value ? "auto-handover on" : "auto-handover off";
      case "guestsMayChat":
        return value ? "guests may write" : "guests may only read";
      case "guestsAllowed":
        return value ? "guests may join" : "no guests";
      case "voiceRelayOnly":
        return value ? "voice relayed only" : "direct voice allowed";
      case "privacy":
        return `who can join: ${PRIVACY_WORDS[String(value)] ?? String(value)}`;
      case "automod":
        return "the automatic moderator's rules";
      default:
        return `${key.replace(/([A-Z])/g, " $1").toLowerCase()} ${typeof value === "boolean" ? (value ? "on" : "off") : String(value)}`;
    }
  });
  return words.length ? words.join(" · ") : "settings changed";
}

/**
 * A system event in words ("ada joined", "bob jumped to 1:05"). The server names the
 * event in `kind` (docs/protocol.md, "Chat"); `type` is accepted for older servers.
 */
/** "Bob", "Bob and Carol", "Bob, Carol and Dave". */
function joinedNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export function describeSystemEvent(event: { kind?: string; type?: string; [key: string]: unknown }): string {
  const who = typeof event.username === "string" ? event.username : "Someone";
  switch (event.kind ?? event.type) {
    case "join":
    case "joined":
    case "participant_joined":
      return `${who} joined`;
    case "leave":
    case "left":
    case "participant_left":
      return `${who} left`;
    // Without a name the room did it itself: a vote carried, or a wait for buffering.
    case "play":
      return typeof event.username === "string" ? `${who} pressed play` : "The room played on";
    case "pause":
      if (typeof event.username === "string") return `${who} paused`;
      return Array.isArray(event.waitingFor) && event.waitingFor.length > 0
        ? `The room paused to wait for ${joinedNames(event.waitingFor.map(String))}`
        : "The room paused";
    case "ended":
      return "The video ended";
    case "seek":
      return `${who} jumped to ${clock(event.position)}`;
    case "rate":
      return `${who} set the speed to ${typeof event.rate === "number" ? event.rate : 1}×`;
    case "source":
    case "source_changed":
      return `${who} changed the video`;
    case "subtitles":
      return `${who} changed the subtitles`;
    case "kick":
    case "kicked":
      return `${who} was removed from the room`;
    case "ban":
    case "banned":
      return `${who} was banned from the room`;
    case "ownership":
    case "owner_changed":
    case "ownership_transferred":
      return `${typeof event.newOwnerName === "string" ? event.newOwnerName : who} is now the owner`;
    case "owner_away":
      return "The owner seems to be away";
    case "host":
      return `${who} is hosting: they can drive playback for now`;
    case "host_ended":
      return `${who} is no longer hosting`;
    case "settings":
      return `${who} changed the room: ${describeSettingChanges(event.changes)}`;
    case "media_failed": {
      if (event.reason === "not_seekable") {
        return `${who} can play this video only from the start: ${FAILURE_SHORT.not_seekable}. Upload the file to jump around in it`;
      }
      const why = FAILURE_SHORT[String(event.reason)] ?? "it could not be played";
      return `${who} can't play this video: ${why}. Pick another one?`;
    }
    case "automod": {
      // Only the owner reads these: what the moderator did and why, never the words.
      const rule = AUTOMOD_RULE_WORDS[String(event.rule)] ?? "a rule";
      const did =
        event.action === "warn" ? `warned ${who}` : event.action === "mute" ? `hid ${who}'s message and muted their chat for 5 minutes` : `hid ${who}'s message`;
      return `The automatic moderator ${did} (${rule})`;
    }
    default:
      return typeof event.text === "string" ? event.text : typeof event.message === "string" ? event.message : String(event.kind ?? event.type ?? "Room event").replace(/_/g, " ");
  }
}

// ------------------------------------------------------------------ how the log is shown

/** One row of the chat as shown: a person's line, or a run of identical room events. */
export type ChatRow =
  | { kind: "user"; key: string; message: Extract<ChatMessage, { content: string }> }
  | { kind: "system"; key: string; text: string; count: number; first: ChatMessage };

function isSystem(message: ChatMessage): message is Extract<ChatMessage, { kind: "system" }> {
  return message.kind === "system";
}

/**
 * Who did what, without the value: two events with the same signature are "the
 * same thing again" (bob seeking twice, or pausing twice) and share one row.
 * Joins and leaves never merge: each says who is here now; nor do settings changes
 * and failing sources, each of which says something new.
 */
const NEVER_FOLDED = new Set(["join", "leave", "joined", "left", "settings", "media_failed"]);

function eventSignature(event: { kind?: string; type?: string; [key: string]: unknown }): string | null {
  const kind = event.kind ?? event.type;
  if (NEVER_FOLDED.has(String(kind))) return null;
  const who = typeof event.userId === "string" ? event.userId : typeof event.username === "string" ? event.username : "";
  return `${String(kind)}:${who}`;
}

/**
 * The rows to show: consecutive room events of the same kind by the same person
 * become one row that reads as the latest ("bob jumped to 0:47 · 4 times"), so
 * a flurry of seeks never pushes people's words out of sight. With
 * `showSystem` false, room events are left out entirely. Pure.
 */
export function chatRows(messages: ChatMessage[], showSystem: boolean): ChatRow[] {
  const rows: ChatRow[] = [];
  let lastSignature: string | null = null;
  for (const message of messages) {
    if (!isSystem(message)) {
      rows.push({ kind: "user", key: chatKey(message), message: message as Extract<ChatMessage, { content: string }> });
      lastSignature = null;
      continue;
    }
    if (!showSystem) continue;
    const signature = eventSignature(message.event);
    const previous = rows[rows.length - 1];
    const text = describeSystemEvent(message.event);
    if (signature !== null && signature === lastSignature && previous?.kind === "system") {
      rows[rows.length - 1] = { ...previous, text, count: previous.count + 1 };
    } else {
      rows.push({ kind: "system", key: chatKey(message), text, count: 1, first: message });
    }
    lastSignature = signature;
  }
  return rows;
}

/** A piece of a chat line: plain text, or a web link that may be opened. */
export type ChatSegment = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

// A candidate URL: an http(s) scheme and everything up to whitespace or an angle bracket.
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"]+/gi;
// Punctuation that ends a sentence rather than the address ("see https://x.org.").
const TRAILING = /[.,;:!?'")\]}]+$/;

function balancedClosers(url: string): string {
  // Keep a closing parenthesis the address itself opened (Wikipedia-style links).
  let trimmed = url.replace(TRAILING, "");
  const tail = url.slice(trimmed.length);
  const opened = (trimmed.match(/\(/g) ?? []).length - (trimmed.match(/\)/g) ?? []).length;
  if (opened > 0 && tail.startsWith(")")) trimmed += ")";
  return trimmed;
}

/**
 * Split a chat line into text and links. Only http and https addresses become
 * links (never javascript:, data: or anything else); everything stays text the
 * UI renders as text, so a message can never inject markup. Pure.
 */
export function linkify(content: string): ChatSegment[] {
  const segments: ChatSegment[] = [];
  let cursor = 0;
  for (const match of content.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const candidate = balancedClosers(match[0]);
    let href: string | null = null;
    try {
      const url = new URL(candidate);
      if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname) href = url.href;
    } catch {
      href = null;
    }
    if (!href) continue;
    if (start > cursor) segments.push({ kind: "text", text: content.slice(cursor, start) });
    segments.push({ kind: "link", text: candidate, href });
    cursor = start + candidate.length;
  }
  if (cursor < content.length) segments.push({ kind: "text", text: content.slice(cursor) });
  return segments;
}
