import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MediaGrant, REFRESH_MS, grantPrefix, grantedTrackUrl, trackVideoId, withGrant } from "./mediaGrant";

const OLD = "https://w.example/media/g/1700001800.AAAAAAAAAAAAAAAAAAAAAA/videos/v1/hls/master.m3u8";
const NEW = "/media/g/1700002400.BBBBBBBBBBBBBBBBBBBBBB/videos/v1/hls/master.m3u8";

describe("media grants", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("finds the grant in a media URL and swaps another in", () => {
    expect(grantPrefix(OLD)).toBe("/media/g/1700001800.AAAAAAAAAAAAAAAAAAAAAA/");
    expect(withGrant(OLD.replace("master.m3u8", "720p/seg_003.ts"), grantPrefix(NEW))).toBe(
      "https://w.example/media/g/1700002400.BBBBBBBBBBBBBBBBBBBBBB/videos/v1/hls/720p/seg_003.ts",
    );
    // Anything else (a linked .m3u8 elsewhere) is left alone.
    expect(withGrant("https://cdn.example/a.m3u8", grantPrefix(NEW))).toBe("https://cdn.example/a.m3u8");
  });

  it("fetches an upload's subtitle track under the grant of its manifest", () => {
    const track = "/media/videos/v1/subtitles/0190abcd.vtt";
    expect(trackVideoId(track)).toBe("v1");
    expect(grantedTrackUrl(track, NEW)).toBe("/media/g/1700002400.BBBBBBBBBBBBBBBBBBBBBB/videos/v1/subtitles/0190abcd.vtt");
    // A URL source's track is fetched as it is.
    expect(trackVideoId("https://cdn.example/en.vtt")).toBeNull();
    expect(grantedTrackUrl("https://cdn.example/en.vtt", NEW)).toBe("https://cdn.example/en.vtt");
  });

  it("asks for a fresh grant every ten minutes and uses it from then on", async () => {
    const fresh = vi.fn().mockResolvedValue(NEW);
    const grant = new MediaGrant(OLD, fresh);
    const segment = OLD.replace("master.m3u8", "180p/seg_001.ts");
    expect(grant.apply(segment)).toBe(segment);
    await vi.advanceTimersByTimeAsync(REFRESH_MS - 1);
    expect(fresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fresh).toHaveBeenCalledTimes(1);
    expect(grant.apply(segment)).toContain("/media/g/1700002400.BBBBBBBBBBBBBBBBBBBBBB/videos/v1/hls/180p/seg_001.ts");
    grant.stop();
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 3);
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it("keeps the grant it has when a refresh fails", async () => {
    const grant = new MediaGrant(OLD, vi.fn().mockRejectedValue(new Error("offline")));
    await vi.advanceTimersByTimeAsync(REFRESH_MS);
    expect(grant.apply(OLD)).toBe(OLD);
    grant.stop();
  });
});
