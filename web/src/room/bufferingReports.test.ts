import { describe, expect, it } from "vitest";
import { BufferingReporter } from "./bufferingReports";

function fakeVideo() {
  const listeners = new Map<string, () => void>();
  return {
    readyState: 4,
    seeking: false,
    addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
    removeEventListener: (type: string) => listeners.delete(type),
    fire: (type: string) => listeners.get(type)?.(),
  };
}

describe("buffering reports", () => {
  it("reports a stall while the room plays, then the recovery once data is there", () => {
    const video = fakeVideo();
    const reports: boolean[] = [];
    let tick: (() => void) | null = null;
    new BufferingReporter({
      video: video as never,
      roomPlaying: () => true,
      report: (stalled) => reports.push(stalled),
      setInterval: (fn) => ((tick = fn), 1 as never),
      clearInterval: () => undefined,
    });
    video.readyState = 2;
    video.fire("waiting");
    video.fire("waiting");
    expect(reports).toEqual([true]);
    tick!();
    expect(reports).toEqual([true]);
    video.readyState = 4;
    tick!();
    expect(reports).toEqual([true, false]);
  });

  it("ignores a stall while the room is paused", () => {
    const video = fakeVideo();
    const reports: boolean[] = [];
    new BufferingReporter({ video: video as never, roomPlaying: () => false, report: (s) => reports.push(s) });
    video.fire("waiting");
    expect(reports).toEqual([]);
  });
});
