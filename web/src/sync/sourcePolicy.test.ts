import { describe, expect, it } from "vitest";
import { playerForSource, validateSource } from "./sourcePolicy";

describe("source policy", () => {
  it.each([
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42", "dQw4w9WgXcQ"],
    ["https://youtu.be/dQw4w9WgXcQ?si=abc", "dQw4w9WgXcQ"],
    ["youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"],
    ["https://m.youtube.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"],
    ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"],
  ])("plays YouTube link %s through the IFrame API", (input, videoId) => {
    const result = validateSource(input);
    expect(result).toMatchObject({ isSupported: true, request: { sourceType: "youtube", videoId }, player: "youtube", syncPrecision: "medium" });
  });

  it("refuses a YouTube link that is not one video", () => {
    expect(validateSource("https://www.youtube.com/@somechannel")).toMatchObject({ isSupported: false, reason: "unknown_provider" });
  });

  it("plays direct mp4 and m3u8 files with the browser's own pipeline", () => {
    expect(validateSource("https://cdn.example.org/films/night.MP4")).toMatchObject({
      isSupported: true,
      request: { sourceType: "url", url: "https://cdn.example.org/films/night.MP4" },
      player: "html5",
      syncPrecision: "high",
    });
    expect(validateSource("https://cdn.example.org/live/master.m3u8?token=x")).toMatchObject({ isSupported: true, player: "hls" });
  });

  it.each(["https://www.netflix.com/watch/80100172", "https://www.disneyplus.com/video/abc", "https://www.primevideo.com/detail/x", "https://www.amazon.com/gp/video/detail/B0", "https://www.hulu.com/watch/1", "https://play.max.com/video/watch/1"])(
    "refuses DRM-protected %s and suggests uploading",
    (input) => {
      const result = validateSource(input);
      expect(result).toMatchObject({ isSupported: false, reason: "drm_protected", suggestion: "Try uploading the video file instead." });
    },
  );

  it("refuses sites that forbid framing and sites it does not know", () => {
    expect(validateSource("https://www.instagram.com/reel/abc/")).toMatchObject({ isSupported: false, reason: "x_frame_options" });
    expect(validateSource("https://example.com/some/page.html")).toMatchObject({ isSupported: false, reason: "unknown_provider" });
    expect(validateSource("https://vimeo.com/76979871")).toMatchObject({ isSupported: false, reason: "unknown_provider" });
  });

  it("refuses plain-http files on a secure page (mixed content) and non-links", () => {
    expect(validateSource("http://cdn.example.org/a.mp4", "https:")).toMatchObject({ isSupported: false, reason: "csp_blocked" });
    expect(validateSource("http://cdn.example.org/a.mp4", "http:")).toMatchObject({ isSupported: true });
    expect(validateSource("not a link at all")).toMatchObject({ isSupported: false, reason: "invalid_url" });
    expect(validateSource("javascript:alert(1)")).toMatchObject({ isSupported: false, reason: "invalid_url" });
  });

  it("picks the player for a room's source", () => {
    expect(playerForSource("youtube", "dQw4w9WgXcQ")).toBe("youtube");
    expect(playerForSource("upload", "vid-1")).toBe("hls");
    expect(playerForSource("url", "https://cdn.example.org/a.m3u8")).toBe("hls");
    expect(playerForSource("url", "https://cdn.example.org/a.mp4")).toBe("html5");
    expect(playerForSource(null, null)).toBeNull();
  });
});
