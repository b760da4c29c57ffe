import { describe, expect, it } from "vitest";
import { HTML5_TUNING } from "../sync/driftController";
import { MediaElementPlayer, averagedPosition, cannotSeek } from "./mediaElementPlayer";

/** The parts of a <video> the player reads, with requestVideoFrameCallback driven by the test. */
class FakeVideo {
  paused = false;
  seeking = false;
  playbackRate = 1;
  private callback: VideoFrameRequestCallback | null = null;
  private presented = 0;
  private readonly listeners = new Map<string, Set<() => void>>();

  addEventListener(type: string, listener: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  dispatch(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener();
  }

  requestVideoFrameCallback(callback: VideoFrameRequestCallback): number {
    this.callback = callback;
    return 1;
  }
  cancelVideoFrameCallback(): void {
    this.callback = null;
  }

  /** The compositor shows the frame at `mediaMs`, due on screen at performance time `displayAt`. */
  present(mediaMs: number, displayAt: number, { skipped = 0 } = {}): void {
    this.presented += 1 + skipped;
    const callback = this.callback;
    this.callback = null;
    callback?.(displayAt, {
      mediaTime: mediaMs / 1000,
      expectedDisplayTime: displayAt,
      presentedFrames: this.presented,
      presentationTime: displayAt,
      width: 640,
      height: 360,
    });
  }
}

function playerOn(video: FakeVideo): MediaElementPlayer {
  return new MediaElementPlayer(video as unknown as HTMLVideoElement, "hls");
}

const origin = performance.timeOrigin;

describe("a file that can only play from the start", () => {
  const ranges = (...pairs: [number, number][]) => ({ length: pairs.length, start: (i: number) => pairs[i]![0], end: (i: number) => pairs[i]![1] }) as unknown as TimeRanges;
  it("is told by a seekable range that stays at [0, 0] (a server ignoring range requests)", () => {
    expect(cannotSeek({ duration: 30, seekable: ranges([0, 0]) })).toBe(true);
    expect(cannotSeek({ duration: 30, seekable: ranges() })).toBe(true);
  });
  it("is not a file the server serves in ranges, a live stream or one not loaded yet", () => {
    expect(cannotSeek({ duration: 30, seekable: ranges([0, 30]) })).toBe(false);
    expect(cannotSeek({ duration: Infinity, seekable: ranges([0, 0]) })).toBe(false);
    expect(cannotSeek({ duration: NaN, seekable: ranges() })).toBe(false);
  });
});

describe("the picture on screen", () => {
  it("is the last presented frame plus the time since it was shown", () => {
    const video = new FakeVideo();
    const player = playerOn(video);
    expect(player.presentedPositionMs(origin + 1_000)).toBeNull();
    video.present(5_000, 1_000);
    expect(player.presentedPositionMs(origin + 1_010)).toBeCloseTo(5_010, 6);
    // Read between the frame's callback and its display: the frame before is on screen.
    expect(player.presentedPositionMs(origin + 995)).toBeCloseTo(4_995, 6);
    video.playbackRate = 1.25;
    video.present(5_020.8, 1_016.7);
    expect(player.presentedPositionMs(origin + 1_026.7)).toBeCloseTo(5_020.8 + 12.5, 6);
  });

  it("is unknown while paused, seeking, or when no frame was shown lately", () => {
    const video = new FakeVideo();
    const player = playerOn(video);
    video.present(5_000, 1_000);
    expect(player.presentedPositionMs(origin + 1_400)).toBeNull(); // hidden tab, stalled decoder
    video.seeking = true;
    expect(player.presentedPositionMs(origin + 1_005)).toBeNull();
    video.seeking = false;
    video.paused = true;
    expect(player.presentedPositionMs(origin + 1_005)).toBeNull();
  });

  it("forgets the frame shown before a seek until the first frame at the new position", () => {
    const video = new FakeVideo();
    const player = playerOn(video);
    video.present(5_000, 1_000);
    video.seeking = true;
    video.dispatch("seeking");
    video.seeking = false; // seeked, but the new position has no frame on screen yet
    expect(player.presentedPositionMs(origin + 1_050)).toBeNull();
    video.present(30_000, 1_120);
    expect(player.presentedPositionMs(origin + 1_130)).toBeCloseTo(30_010, 6);
  });

  it("learns the frame duration from consecutive frames, not across dropped ones", () => {
    const video = new FakeVideo();
    const player = playerOn(video);
    expect(player.frameDurationMs()).toBeNull();
    video.present(0, 0);
    video.present(66.7, 66.7, { skipped: 1 }); // a frame was dropped: not a frame duration
    expect(player.frameDurationMs()).toBeNull();
    video.present(100, 100);
    expect(player.frameDurationMs()).toBeCloseTo(33.3, 1);
  });
});

describe("the picture's position over several frames", () => {
  const VSYNC = 1000 / 60;
  const FRAME = 1000 / 60;

  /** A 60 fps video at 1.25× on a 60 Hz display: each vsync shows the newest frame due by then. */
  function framesAt125(mediaOffsetMs: number, vsyncs: number) {
    const frames = [];
    for (let v = 0; v < vsyncs; v++) {
      const shownAt = v * VSYNC;
      const clock = mediaOffsetMs + shownAt * 1.25;
      frames.push({ mediaMs: Math.floor(clock / FRAME) * FRAME, shownAt, rate: 1.25 });
    }
    return frames;
  }

  it("is steady at 1.25×, where the newest frame alone jumps by most of a frame", () => {
    // Read 4 ms after each vsync: how far is each reading from the media clock?
    const single: number[] = [];
    const averaged: number[] = [];
    for (let k = 0; k < 40; k++) {
      const frames = framesAt125(1_001, 20 + k);
      const now = frames[frames.length - 1]!.shownAt + 4;
      const clock = 1_001 + now * 1.25;
      single.push(frames[frames.length - 1]!.mediaMs + 4 * 1.25 - clock);
      averaged.push(averagedPosition(frames, now, 8)! - clock);
    }
    const range = (values: number[]) => Math.max(...values) - Math.min(...values);
    expect(range(single)).toBeGreaterThan(10);
    expect(range(averaged)).toBeLessThan(1);
  });

  it("uses only frames shown at the newest rate, and the newest frame alone when asked to", () => {
    const frames = [
      { mediaMs: 0, shownAt: 0, rate: 1 },
      { mediaMs: 16.7, shownAt: 16.7, rate: 1.2 },
      { mediaMs: 36.7, shownAt: 33.4, rate: 1.2 },
    ];
    expect(averagedPosition(frames, 40, 8)).toBeCloseTo((16.7 + 23.3 * 1.2 + 36.7 + 6.6 * 1.2) / 2, 6);
    expect(averagedPosition(frames, 40, 1)).toBeNull();
    expect(averagedPosition(frames.slice(-1), 40, 8)).toBeNull();
  });

  it("is what the player reports when its tuning asks for it", () => {
    const video = new FakeVideo();
    const player = playerOn(video);
    Object.defineProperty(player, "tuning", { value: { ...HTML5_TUNING, presentedFrames: 4 } });
    video.present(1_000, 0);
    video.present(1_016.7, 16.7);
    video.present(1_050, 33.4); // shown late by a frame's worth: alone it reads 16 ms ahead
    expect(player.presentedPositionMs(origin + 40)).toBeCloseTo((1_040 + 1_040 + 1_056.6) / 3, 1);
    video.seeking = true;
    video.dispatch("seeking");
    video.seeking = false;
    video.present(30_000, 100);
    expect(player.presentedPositionMs(origin + 110)).toBeCloseTo(30_010, 6); // nothing from before the seek
  });
});
