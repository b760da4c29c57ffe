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

/**
 * A system event in words ("ada joined", "bob jumped to 1:05"). The server names the
 * event in `kind` (docs/protocol.md, "Chat"); `type` is accepted for older servers.
 */
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
    case "play":
      return `${who} pressed play`;
    case "pause":
      return `${who} paused`;
    case "seek":
      return `${who} jumped to ${clock(event.position)}`;
    case "rate":
      return `${who} set the speed to ${typeof event.rate === "number" ? event.rate : 1}×`;
    case "source":
    case "source_changed":
      return `${who} changed the video`;
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
    default:
      return typeof event.text === "string" ? event.text : typeof event.message === "string" ? event.message : String(event.kind ?? event.type ?? "Room event").replace(/_/g, " ");
  }
}
