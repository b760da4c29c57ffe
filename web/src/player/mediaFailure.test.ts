import { describe, expect, it } from "vitest";
import { classifyFailure, describeFailure, explainFailure, FAILURE_WORDS, probeLink, youtubeFailure, type FailureEvidence, type LinkProbe } from "./mediaFailure";

// What Chromium says on a <video> for each kind of bad link (measured with Debian's Chromium).
const FORMAT_ERROR = { mediaErrorCode: 4, mediaErrorMessage: "MEDIA_ELEMENT_ERROR: Format error" };
const NO_STREAMS = { mediaErrorCode: 4, mediaErrorMessage: "DEMUXER_ERROR_NO_SUPPORTED_STREAMS: FFmpegDemuxer: no supported streams" };

function evidence(probe: LinkProbe, extra: Partial<FailureEvidence> = {}): FailureEvidence {
  return { url: "https://cdn.example.org/clip.mp4", pageProtocol: "https:", isHls: false, probe, ...FORMAT_ERROR, ...extra };
}

const response = (status: number, contentType = "video/mp4"): LinkProbe => ({ kind: "response", status, contentType });

describe("a failing source in plain words", () => {
  it.each([
    [response(404, "text/html"), "not_found"],
    [response(410, "text/html"), "not_found"],
    [response(403, "text/html"), "forbidden"],
    [response(401, "application/json"), "forbidden"],
    [response(503, "text/html"), "unreachable"],
    [{ kind: "unreachable" } as LinkProbe, "unreachable"],
    [response(200, "text/plain; charset=utf-8"), "not_a_video"],
    [response(200, "text/html"), "not_a_video"],
  ])("tells %j apart as %s", (probe, reason) => {
    expect(classifyFailure(evidence(probe))).toBe(reason);
  });

  it("blames the codec when the file is media the browser cannot decode", () => {
    expect(classifyFailure(evidence(response(206, "video/mp4"), NO_STREAMS))).toBe("unsupported_codec");
    expect(classifyFailure(evidence(response(200, "video/mp4"), FORMAT_ERROR))).toBe("unsupported_codec");
    expect(classifyFailure(evidence({ kind: "opaque" }, NO_STREAMS))).toBe("unsupported_codec");
    expect(classifyFailure(evidence(response(200, "application/vnd.apple.mpegurl"), { isHls: true, hlsDetails: "bufferAddCodecError", mediaErrorCode: null, mediaErrorMessage: null }))).toBe(
      "unsupported_codec",
    );
  });

  it("says an HLS stream whose server sends no CORS headers cannot be read by the player", () => {
    expect(classifyFailure(evidence({ kind: "opaque" }, { isHls: true, hlsDetails: "manifestLoadError", mediaErrorCode: null }))).toBe("hls_cors");
  });

  it("recognises DRM from the media's encrypted event or hls.js's key system errors", () => {
    expect(classifyFailure(evidence(response(200), { encrypted: true }))).toBe("drm");
    expect(classifyFailure(evidence(response(200), { isHls: true, hlsDetails: "keySystemNoKeys" }))).toBe("drm");
  });

  it("calls plain http media on an https page mixed content, before anything else", () => {
    expect(classifyFailure(evidence(response(404), { url: "http://cdn.example.org/clip.mp4" }))).toBe("mixed_content");
    expect(classifyFailure(evidence(response(404), { url: "http://cdn.example.org/clip.mp4", pageProtocol: "http:" }))).toBe("not_found");
  });

  it("admits when it cannot tell (a server without CORS that answered)", () => {
    expect(classifyFailure(evidence({ kind: "opaque" }))).toBe("unknown");
  });

  it("has words and a suggestion for every reason, never the browser's raw error", () => {
    for (const [reason, words] of Object.entries(FAILURE_WORDS)) {
      expect(words.message, reason).not.toMatch(/MEDIA_ELEMENT_ERROR|DEMUXER|Format error/);
      expect(words.suggestion.length, reason).toBeGreaterThan(10);
    }
    expect(describeFailure("not_found")).toContain("dead");
  });
});

describe("YouTube's errors", () => {
  it.each([
    [100, "not_found"],
    [2, "not_found"],
    [150, "forbidden"],
    [101, "forbidden"],
    [5, "unsupported_codec"],
    [null, "unknown"],
  ] as const)("code %s is %s", (code, reason) => {
    expect(youtubeFailure(code)).toBe(reason);
  });
});

describe("probing a link", () => {
  it("reads status and type when the server allows CORS", async () => {
    const fetchFn = async (_url: string, init?: RequestInit) => {
      expect(init?.mode).toBe("cors");
      expect(init?.credentials).toBe("omit");
      return new Response("nope", { status: 404, headers: { "Content-Type": "text/html" } });
    };
    expect(await probeLink("https://x.example/a.mp4", fetchFn)).toEqual({ kind: "response", status: 404, contentType: "text/html" });
  });

  it("falls back to an opaque request, and calls a server that never answers unreachable", async () => {
    const noCors = async (_url: string, init?: RequestInit) => {
      if (init?.mode === "cors") throw new TypeError("Failed to fetch");
      return new Response(null, { status: 200 });
    };
    expect(await probeLink("https://x.example/a.m3u8", noCors)).toEqual({ kind: "opaque" });
    const down = async () => {
      throw new TypeError("Failed to fetch");
    };
    expect(await probeLink("https://x.example/a.mp4", down)).toEqual({ kind: "unreachable" });
  });

  it("does not probe our own uploads, nor a link the page may not load", async () => {
    const never = async (): Promise<Response> => {
      throw new Error("must not fetch");
    };
    const upload = await explainFailure("upload", "v-1", true, { evidence: { hlsDetails: "bufferAddCodecError" } }, "https:", never);
    expect(upload).toBe("unsupported_codec");
    expect(await explainFailure("url", "http://x.example/a.mp4", false, { evidence: FORMAT_ERROR }, "https:", never)).toBe("mixed_content");
  });
});
