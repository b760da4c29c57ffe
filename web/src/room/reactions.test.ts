import { describe, expect, it } from "vitest";
import type { Reaction } from "../api/protocol";
import { leftPercentFor, reactionsToReplay, timelineMarks } from "./reactions";

const reaction = (id: string, mediaTimeMs: number, createdAt = 0, emoji = "😂"): Reaction => ({
  id,
  participantId: "p",
  username: "Ann",
  emoji,
  mediaTimeMs,
  sourceId: "vid",
  createdAt,
});

describe("replaying reactions", () => {
  const stored = [reaction("a", 10_000), reaction("b", 10_400), reaction("c", 30_000)];

  it("replays what playback just passed", () => {
    expect(reactionsToReplay(stored, 9_900, 10_150, 100_000).map((r) => r.id)).toEqual(["a"]);
    expect(reactionsToReplay(stored, 10_150, 10_400, 100_000).map((r) => r.id)).toEqual(["b"]);
  });

  it("replays nothing across a seek, while paused or backwards", () => {
    expect(reactionsToReplay(stored, 5_000, 31_000, 100_000)).toEqual([]);
    expect(reactionsToReplay(stored, 10_000, 10_000, 100_000)).toEqual([]);
    expect(reactionsToReplay(stored, 10_500, 9_900, 100_000)).toEqual([]);
    expect(reactionsToReplay(stored, null, 10_100, 100_000)).toEqual([]);
  });

  it("does not replay a reaction everyone just saw float live", () => {
    const live = [reaction("now", 10_000, 99_000)];
    expect(reactionsToReplay(live, 9_900, 10_100, 100_000)).toEqual([]);
    expect(reactionsToReplay(live, 9_900, 10_100, 120_000)).toHaveLength(1);
  });
});

describe("the reactions timeline", () => {
  it("groups reactions by place and shows the most frequent emoji", () => {
    const marks = timelineMarks([reaction("1", 1_000, 0, "🔥"), reaction("2", 1_200, 0, "😂"), reaction("3", 1_300, 0, "😂"), reaction("4", 50_000)], 60_000, 60);
    expect(marks.map((m) => [m.emoji, m.count])).toEqual([
      ["😂", 3],
      ["😂", 1],
    ]);
    expect(marks[0]!.leftPercent).toBeCloseTo(2.5);
    expect(timelineMarks([reaction("x", 1)], null)).toEqual([]);
  });

  it("spreads floating reactions over the width, the same place for the same reaction", () => {
    expect(leftPercentFor("abc")).toBe(leftPercentFor("abc"));
    for (const id of ["a", "bb", "ccc", "01a2"]) expect(leftPercentFor(id)).toBeGreaterThanOrEqual(8);
  });
});
