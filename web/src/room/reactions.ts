/**
 * Emoji reactions: the quick set, where a reaction floats, the timeline's
 * marks, and which stored reactions replay as the room watches a part again.
 * Pure: the room session and components feed it positions and times.
 */
import type { Reaction } from "../api/protocol";

/** The emoji the server accepts (docs/protocol.md "Reactions"). */
export const QUICK_REACTIONS = ["👏", "😂", "😱", "❤️", "🔥", "👀", "😢", "👍"] as const;

/** A reaction is replayed when playback passes its moment, unless it was sent this recently (it floated live). */
export const LIVE_WINDOW_MS = 4_000;
/** A jump of the position larger than this is a seek, not playback: nothing in between replays. */
export const MAX_STEP_MS = 1_500;

/** A stable spread over the width, from the reaction's id. */
export function leftPercentFor(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return 8 + (hash % 85);
}

/**
 * The reactions whose moment playback just passed: from `previousMs` (excluded) to
 * `currentMs` (included), moving forward by at most `MAX_STEP_MS`; not those sent in
 * the last `LIVE_WINDOW_MS` (everyone saw them float already).
 */
export function reactionsToReplay(reactions: readonly Reaction[], previousMs: number | null, currentMs: number | null, serverNowMs: number): Reaction[] {
  if (previousMs === null || currentMs === null) return [];
  const step = currentMs - previousMs;
  if (step <= 0 || step > MAX_STEP_MS) return [];
  return reactions.filter((r) => r.mediaTimeMs > previousMs && r.mediaTimeMs <= currentMs && serverNowMs - r.createdAt > LIVE_WINDOW_MS);
}

export interface TimelineMark {
  /** 0..100, along the seek bar. */
  leftPercent: number;
  /** The most frequent emoji at this place, and how many reactions are there. */
  emoji: string;
  count: number;
  atMs: number;
}

/** Reactions grouped into `slots` places along the video, each shown by its most frequent emoji. */
export function timelineMarks(reactions: readonly Reaction[], durationMs: number | null, slots = 60): TimelineMark[] {
  if (!durationMs || durationMs <= 0) return [];
  const groups = new Map<number, Reaction[]>();
  for (const r of reactions) {
    if (r.mediaTimeMs < 0 || r.mediaTimeMs > durationMs) continue;
    const slot = Math.min(slots - 1, Math.floor((r.mediaTimeMs / durationMs) * slots));
    groups.set(slot, [...(groups.get(slot) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([slot, group]) => {
      const counts = new Map<string, number>();
      for (const r of group) counts.set(r.emoji, (counts.get(r.emoji) ?? 0) + 1);
      const [emoji] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
      return { leftPercent: ((slot + 0.5) / slots) * 100, emoji, count: group.length, atMs: group[0]!.mediaTimeMs };
    });
}
