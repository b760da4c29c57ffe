/**
 * Which pasted links can be watched together (spec 4.5). Pure: no network.
 *
 * Supported: YouTube through its official IFrame API, and direct .mp4 /
 * .m3u8 files. Everything else is refused with a specific reason and the
 * alternative that works (uploading the file). We never try to get around a
 * site's restrictions.
 */
import type { SourceRequest } from "../api/protocol";

export type RefusalReason = "invalid_url" | "drm_protected" | "x_frame_options" | "csp_blocked" | "unknown_provider";

export type SourceValidation =
  | {
      isSupported: true;
      request: SourceRequest;
      /** Which player will play it. */
      player: "youtube" | "html5" | "hls";
      syncPrecision: "high" | "medium";
      warning?: string;
    }
  | { isSupported: false; reason: RefusalReason; message: string; suggestion: string };

export const UPLOAD_SUGGESTION = "Try uploading the video file instead.";

const YOUTUBE_HOSTS = new Set(["youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com", "youtu.be"]);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

/** Streaming services whose videos are DRM-protected (spec 4.5.3). */
const DRM_PROVIDERS: Record<string, string> = {
  "netflix.com": "Netflix",
  "disneyplus.com": "Disney+",
  "primevideo.com": "Prime Video",
  "hulu.com": "Hulu",
  "max.com": "Max",
  "hbomax.com": "Max",
  "play.max.com": "Max",
  "tv.apple.com": "Apple TV+",
  "peacocktv.com": "Peacock",
  "paramountplus.com": "Paramount+",
  "crunchyroll.com": "Crunchyroll",
  "canalplus.com": "Canal+",
  "open.spotify.com": "Spotify",
};

/** Sites whose pages refuse to be framed (X-Frame-Options / frame-ancestors). */
const NO_FRAME_PROVIDERS: Record<string, string> = {
  "facebook.com": "Facebook",
  "instagram.com": "Instagram",
  "tiktok.com": "TikTok",
  "x.com": "X",
  "twitter.com": "X",
  "reddit.com": "Reddit",
  "linkedin.com": "LinkedIn",
};

/** Official embeds the spec lists but this version has no player for yet. */
const NOT_YET_PROVIDERS: Record<string, string> = {
  "vimeo.com": "Vimeo",
  "player.vimeo.com": "Vimeo",
  "dailymotion.com": "Dailymotion",
  "twitch.tv": "Twitch",
};

function lookup(table: Record<string, string>, host: string): string | null {
  for (const [domain, name] of Object.entries(table)) {
    if (host === domain || host.endsWith(`.${domain}`)) return name;
  }
  return null;
}

function refuse(reason: RefusalReason, message: string, suggestion = UPLOAD_SUGGESTION): SourceValidation {
  return { isSupported: false, reason, message, suggestion };
}

/** The YouTube video id of a YouTube link, or null. */
export function youtubeVideoId(url: URL): string | null {
  const host = url.hostname.replace(/^www\./, "");
  if (!YOUTUBE_HOSTS.has(host)) return null;
  let id: string | null = null;
  if (host === "youtu.be") id = url.pathname.split("/")[1] ?? null;
  else if (url.pathname === "/watch") id = url.searchParams.get("v");
  else {
    const match = /^\/(?:embed|shorts|live|v)\/([^/?#]+)/.exec(url.pathname);
    id = match?.[1] ?? null;
  }
  return id && YOUTUBE_ID.test(id) ? id : null;
}

export function validateSource(input: string, pageProtocol = "https:"): SourceValidation {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    return refuse("invalid_url", "That doesn't look like a link.", "Paste a YouTube link or a direct link to an .mp4 or .m3u8 file.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refuse("invalid_url", "Only http(s) links can be played.", "Paste a YouTube link or a direct link to an .mp4 or .m3u8 file.");
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, "");

  if (YOUTUBE_HOSTS.has(host)) {
    const videoId = youtubeVideoId(url);
    if (!videoId) return refuse("unknown_provider", "That YouTube link doesn't point to a single video.", "Open the video on YouTube and copy its address.");
    return {
      isSupported: true,
      request: { sourceType: "youtube", videoId },
      player: "youtube",
      syncPrecision: "medium",
      warning: "YouTube videos stay in sync to within about half a second.",
    };
  }

  const drm = lookup(DRM_PROVIDERS, host) ?? (host.endsWith("amazon.com") && url.pathname.includes("/video") ? "Prime Video" : null);
  if (drm) return refuse("drm_protected", `${drm} protects its videos with DRM, so they can't be played here.`);

  const noFrame = lookup(NO_FRAME_PROVIDERS, host);
  if (noFrame) return refuse("x_frame_options", `${noFrame} doesn't allow its videos to be shown on other sites.`);

  const notYet = lookup(NOT_YET_PROVIDERS, host);
  if (notYet) return refuse("unknown_provider", `${notYet} links aren't supported yet.`);

  const path = url.pathname.toLowerCase();
  const isHls = path.endsWith(".m3u8");
  const isMp4 = path.endsWith(".mp4") || path.endsWith(".m4v");
  if (isHls || isMp4) {
    if (url.protocol === "http:" && pageProtocol === "https:") {
      return refuse("csp_blocked", "This page is secure, so the browser won't load video over plain http://.", "Use the https:// address of the file, or upload it instead.");
    }
    return { isSupported: true, request: { sourceType: "url", url: url.toString() }, player: isHls ? "hls" : "html5", syncPrecision: "high" };
  }

  return refuse("unknown_provider", "This site isn't supported.", "Paste a YouTube link or a direct .mp4 / .m3u8 link, or upload the video file instead.");
}

/** Which player plays a room's current source. */
export function playerForSource(sourceType: string | null, sourceId: string | null): "youtube" | "html5" | "hls" | null {
  if (!sourceType || !sourceId) return null;
  if (sourceType === "youtube") return "youtube";
  if (sourceType === "upload") return "hls";
  try {
    return new URL(sourceId, "https://x.invalid").pathname.toLowerCase().endsWith(".m3u8") ? "hls" : "html5";
  } catch {
    return "html5";
  }
}
