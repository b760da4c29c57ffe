import { describe, expect, it } from "vitest";
import { playbackState } from "../test/fixtures";
import { countdownStep, expectedPositionMs, formatMediaTime, isAtEnd, syncLevel } from "./playback";

describe("playback arithmetic", () => {
  it("extrapolates the anchor while playing and freezes it while paused", () => {
    const playing = playbackState({ isPlaying: true, playbackRate: 1.5, anchorServerTimeMs: 10_000, anchorMediaTimeMs: 60_000 });
    expect(expectedPositionMs(playing, 12_000)).toBe(63_000);
    expect(expectedPositionMs({ ...playing, isPlaying: false }, 12_000)).toBe(60_000);
  });

  it("never expects a position past the video's length, and knows when the room stands at the end", () => {
    const clip = playbackState({ isPlaying: true, anchorServerTimeMs: 10_000, anchorMediaTimeMs: 27_000, durationMs: 30_000 });
    expect(expectedPositionMs(clip, 12_000)).toBe(29_000);
    expect(expectedPositionMs(clip, 30_000)).toBe(30_000);
    expect(isAtEnd(clip, 30_000)).toBe(false); // still playing until the room's PAUSE
    const ended = { ...clip, isPlaying: false, anchorMediaTimeMs: 30_000 };
    expect(isAtEnd(ended, 40_000)).toBe(true);
    expect(isAtEnd({ ...ended, anchorMediaTimeMs: 12_000 }, 40_000)).toBe(false);
    expect(isAtEnd({ ...ended, durationMs: undefined }, 40_000)).toBe(false);
  });

  it("colours drift as the spec's indicator does", () => {
    expect(syncLevel(-149)).toBe("synced");
    expect(syncLevel(150)).toBe("drifting");
    expect(syncLevel(-499)).toBe("drifting");
    expect(syncLevel(500)).toBe("desynced");
  });

  it("counts 3, 2, 1, GO from server time", () => {
    const steps = [-500, 0, 999, 1000, 2000, 2999, 3000, 3799, 3800].map((t) => countdownStep(10_000 + t, 10_000, 3000));
    expect(steps).toEqual([3, 3, 3, 2, 1, 1, "GO", "GO", null]);
  });

  it("formats positions like a player does", () => {
    expect(formatMediaTime(65_400)).toBe("1:05");
    expect(formatMediaTime(3_725_000)).toBe("1:02:05");
  });
});
