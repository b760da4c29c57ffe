/** Puts a reaction over the video for as long as its float lasts (the store holds what floats). */
import type { Reaction } from "../api/protocol";
import { useRoomStore } from "../store/room";
import { leftPercentFor } from "./reactions";

/** How long a reaction floats (the `float-up` animation in index.css). */
export const FLOAT_MS = 2_600;
/** At most this many float at once: a burst never buries the picture. */
const MAX_FLOATING = 24;

export function floatReaction(reaction: Reaction, replay: boolean): void {
  const key = `${reaction.id}:${replay ? "replay" : "live"}:${Date.now()}`;
  const floating = { key, emoji: reaction.emoji, username: reaction.username, leftPercent: leftPercentFor(reaction.id), replay };
  useRoomStore.setState((s) => ({ floating: [...s.floating.slice(-(MAX_FLOATING - 1)), floating] }));
  setTimeout(() => useRoomStore.setState((s) => ({ floating: s.floating.filter((f) => f.key !== key) })), FLOAT_MS);
}
