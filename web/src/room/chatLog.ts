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

/** A system event in words ("ada joined", "Owner handed over to bob"). */
export function describeSystemEvent(event: { type?: string; [key: string]: unknown }): string {
  const who = typeof event.username === "string" ? event.username : "Someone";
  switch (event.type) {
    case "joined":
    case "participant_joined":
      return `${who} joined`;
    case "left":
    case "participant_left":
      return `${who} left`;
    case "kicked":
      return `${who} was removed from the room`;
    case "banned":
      return `${who} was banned from the room`;
    case "owner_changed":
    case "ownership_transferred":
      return `${typeof event.newOwnerName === "string" ? event.newOwnerName : who} is now the owner`;
    case "owner_away":
      return "The owner seems to be away";
    case "source_changed":
      return `${who} changed the video`;
    default:
      return typeof event.text === "string" ? event.text : typeof event.message === "string" ? event.message : (event.type ?? "Room event").replace(/_/g, " ");
  }
}
