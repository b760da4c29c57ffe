import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeYTPlayer, fakeYT } from "../test/fakeYouTube";
import { YOUTUBE_TUNING } from "../sync/driftController";
import { loadYouTubeApi } from "./youtubeApi";
import { YouTubePlayer } from "./youtubePlayer";

describe("YouTube API loader", () => {
  const appended: { src: string }[] = [];
  beforeEach(() => {
    appended.length = 0;
    const fakeWindow: Record<string, unknown> = {};
    vi.stubGlobal("window", fakeWindow);
    vi.stubGlobal("document", {
      createElement: () => ({ src: "", async: false, onerror: null, remove() {} }),
      head: {
        appendChild(script: { src: string }) {
          appended.push(script);
          // The "script" runs: it defines YT and calls the page back.
          queueMicrotask(() => {
            fakeWindow.YT = fakeYT;
            (fakeWindow.onYouTubeIframeAPIReady as () => void)();
          });
        },
      },
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("loads the API once, from the injected URL", async () => {
    const [a, b] = await Promise.all([loadYouTubeApi("/test/fake-iframe-api.js"), loadYouTubeApi("/test/fake-iframe-api.js")]);
    expect(a).toBe(fakeYT);
    expect(b).toBe(fakeYT);
    expect(appended.map((s) => s.src)).toEqual(["/test/fake-iframe-api.js"]);
    await expect(loadYouTubeApi("/never-used.js")).resolves.toBe(fakeYT);
    expect(appended).toHaveLength(1);
  });
});

describe("YouTube player adapter", () => {
  beforeEach(() => {
    FakeYTPlayer.instances = [];
  });

  it("embeds without YouTube's own controls and declares low precision", async () => {
    const player = await YouTubePlayer.create(fakeYT, {} as HTMLElement, "dQw4w9WgXcQ");
    const yt = FakeYTPlayer.instances[0]!;
    expect(yt.options.playerVars).toMatchObject({ controls: 0, disablekb: 1, playsinline: 1 });
    expect(yt.options.host).toBe("https://www.youtube-nocookie.com");
    expect(player.tuning).toBe(YOUTUBE_TUNING);
    expect(player.tuning.rateCorrection).toBe(false);
  });

  it("maps positions, states and rates", async () => {
    const player = await YouTubePlayer.create(fakeYT, {} as HTMLElement, "dQw4w9WgXcQ");
    const yt = FakeYTPlayer.instances[0]!;
    player.seek(61_500);
    expect(player.currentTimeMs()).toBe(61_500);
    expect(player.isPaused()).toBe(true);
    await player.play();
    expect(player.isPaused()).toBe(false);
    yt.setState(3);
    expect(player.isBuffering()).toBe(true);
    expect(player.isPaused()).toBe(false);
    player.setPlaybackRate(1.1); // not offered by YouTube: nearest is 1
    expect(yt.rate).toBe(1);
    player.setPlaybackRate(1.4);
    expect(yt.rate).toBe(1.5);
    player.setVolume(0.42);
    expect(yt.vol).toBe(42);
  });

  it("reports a refused start instead of hanging", async () => {
    vi.useFakeTimers();
    try {
      const player = await YouTubePlayer.create(fakeYT, {} as HTMLElement, "dQw4w9WgXcQ");
      FakeYTPlayer.instances[0]!.allowPlay = false;
      const started = player.play();
      const assertion = expect(started).rejects.toThrow("NotAllowedError");
      await vi.advanceTimersByTimeAsync(3_000);
      await assertion;
    } finally {
      vi.useRealTimers();
    }
  });

  it("explains videos that cannot be embedded", async () => {
    await expect(YouTubePlayer.create(fakeYT, {} as HTMLElement, "bad_video_")).rejects.toThrow("doesn't allow it to be embedded");
  });
});
