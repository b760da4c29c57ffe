/**
 * Why a source could not be played, in plain words with what to do instead.
 *
 * A browser says little: Chromium reports a dead link, a private one and a
 * web page alike as "MEDIA_ELEMENT_ERROR: Format error". So when a player
 * fails, the page looks at the link itself (`probeLink`: a CORS fetch, then an
 * opaque one) and puts that together with the element's error, hls.js's error
 * and whether the media asked for a DRM key (`classifyFailure`, pure). The
 * reason goes to the room (`media:failed`) as one of a few words the server
 * knows; the sentences are chosen here (`FAILURE_WORDS`).
 */
import type { MediaFailureReason } from "../api/protocol";

export type { MediaFailureReason };

/** What fetching the link told us. */
export type LinkProbe =
  /** The server answered and allowed us to read the answer (CORS). */
  | { kind: "response"; status: number; contentType: string }
  /** The server answered, but without CORS: its answer is hidden from the page. */
  | { kind: "opaque" }
  /** No answer at all: DNS, a refused connection, a timeout, TLS. */
  | { kind: "unreachable" }
  /** Not probed (an upload or a same-origin stream, a YouTube video). */
  | { kind: "skipped" };

export interface FailureEvidence {
  url: string;
  /** `location.protocol` of the page ("https:" / "http:"). */
  pageProtocol: string;
  /** Whether this link plays through hls.js (`.m3u8`, uploads). */
  isHls: boolean;
  /** `HTMLMediaElement.error.code` (1 aborted, 2 network, 3 decode, 4 not supported). */
  mediaErrorCode?: number | null;
  /** `HTMLMediaElement.error.message`: Chromium names the demuxer's complaint there. */
  mediaErrorMessage?: string | null;
  /** hls.js's `ErrorDetails` of its fatal error, when it had one. */
  hlsDetails?: string | null;
  /** The media announced encrypted content (the element's `encrypted` event). */
  encrypted?: boolean;
  probe: LinkProbe;
}

const MEDIA_ERR_DECODE = 3;
const MEDIA_ERR_SRC_NOT_SUPPORTED = 4;

/** What a page may not call a video: a web page, text, JSON, an image. */
const NOT_MEDIA = /^(text\/|application\/(json|xml|xhtml|javascript|pdf)|image\/)/i;

/** One of the few reasons the room knows, from everything the page could find out. */
export function classifyFailure(evidence: FailureEvidence): MediaFailureReason {
  const { probe } = evidence;
  if (evidence.pageProtocol === "https:" && /^http:/i.test(evidence.url)) return "mixed_content";
  if (evidence.encrypted || /^keySystem/i.test(evidence.hlsDetails ?? "")) return "drm";
  if (probe.kind === "unreachable") return "unreachable";
  if (probe.kind === "response") {
    if (probe.status === 404 || probe.status === 410) return "not_found";
    if (probe.status === 401 || probe.status === 403 || probe.status === 451) return "forbidden";
    if (probe.status >= 500) return "unreachable";
    if (probe.status >= 400) return "not_found";
    const type = probe.contentType.split(";")[0]!.trim();
    // A playlist served as text/plain is common; hls.js will have said if it was not one.
    const playlistAsText = evidence.isHls && /^text\/plain$/i.test(type) && !/manifestParsingError/i.test(evidence.hlsDetails ?? "");
    if (NOT_MEDIA.test(type) && !playlistAsText) return "not_a_video";
    if (evidence.hlsDetails && /manifestParsingError|levelEmptyError/i.test(evidence.hlsDetails)) return "not_a_video";
    // The server sent media the browser refused: a format it cannot decode.
    return looksLikeCodec(evidence, true) ? "unsupported_codec" : "unknown";
  }
  if (probe.kind === "opaque") {
    // hls.js reads playlists and segments with fetch/XHR, which need CORS; a <video> does not.
    if (evidence.isHls) return "hls_cors";
    if (looksLikeCodec(evidence)) return "unsupported_codec";
    if (/DEMUXER_ERROR_COULD_NOT_OPEN|DEMUXER_ERROR_COULD_NOT_PARSE/.test(evidence.mediaErrorMessage ?? "")) return "not_a_video";
    return "unknown";
  }
  return looksLikeCodec(evidence) ? "unsupported_codec" : "unknown";
}

/** The file was read and is media, but this browser cannot decode what is inside. */
function looksLikeCodec(evidence: FailureEvidence, servedAsMedia = false): boolean {
  const message = evidence.mediaErrorMessage ?? "";
  if (/NO_SUPPORTED_STREAMS|DECODER_ERROR|PIPELINE_ERROR_DECODE|codec/i.test(message)) return true;
  if (/bufferAddCodecError|bufferIncompatibleCodecsError|manifestIncompatibleCodecsError|fragParsingError/i.test(evidence.hlsDetails ?? "")) return true;
  if (evidence.mediaErrorCode === MEDIA_ERR_DECODE) return true;
  return servedAsMedia && evidence.mediaErrorCode === MEDIA_ERR_SRC_NOT_SUPPORTED;
}

export const FAILURE_WORDS: Record<MediaFailureReason, { message: string; suggestion: string }> = {
  not_found: {
    message: "This video link is dead: the site says there is nothing at that address.",
    suggestion: "Check the link for typos, or pick another video.",
  },
  forbidden: {
    message: "The site refused to give out this video: it is private or needs a login.",
    suggestion: "Use a public link, or upload the file instead.",
  },
  unreachable: {
    message: "The video's server could not be reached.",
    suggestion: "Check the address, try again later, or pick another video.",
  },
  not_a_video: {
    message: "That link leads to a web page or a file, not to a video.",
    suggestion: "Open the page, copy the link of the video file itself (.mp4 or .m3u8), or upload the file.",
  },
  hls_cors: {
    message: "This stream's server doesn't let other sites play it (no CORS headers).",
    suggestion: "Use a link to the .mp4 file, ask the site to allow CORS, or upload the video.",
  },
  unsupported_codec: {
    message: "This browser can't play the video's format (its codec).",
    suggestion: "Upload the file instead: it is converted to a format every browser plays.",
  },
  drm: {
    message: "This video is protected by DRM, so it can't be played here.",
    suggestion: "Pick a video that isn't copy-protected, or upload your own file.",
  },
  mixed_content: {
    message: "This page is secure, so the browser won't load video over plain http://.",
    suggestion: "Use the https:// address of the file, or upload it instead.",
  },
  not_seekable: {
    message: "This video's server doesn't let the player jump in it (it ignores range requests), so seeks and late joiners start from the beginning.",
    suggestion: "Upload the file instead, or use a link from a server that supports seeking.",
  },
  unknown: {
    message: "The video couldn't be played.",
    suggestion: "Check the link, or pick another video or upload the file.",
  },
};

/** YouTube's own error codes (IFrame API `onError`) as the room's reasons. */
export function youtubeFailure(code: number | null): MediaFailureReason {
  if (code === 2 || code === 100) return "not_found";
  if (code === 101 || code === 150) return "forbidden";
  if (code === 5) return "unsupported_codec";
  return "unknown";
}

/** The sentence shown for a failure, with what to do instead. */
export function describeFailure(reason: MediaFailureReason): string {
  const words = FAILURE_WORDS[reason] ?? FAILURE_WORDS.unknown;
  return `${words.message} ${words.suggestion}`;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Ask the link's server directly: with CORS we learn its status and type; without,
 * only that it answered. The body is never read (the request is aborted once the
 * headers are in), and the whole probe gives up after `timeoutMs`.
 */
export async function probeLink(url: string, fetchFn: FetchLike = fetch, timeoutMs = 5_000): Promise<LinkProbe> {
  const attempt = async (mode: RequestMode): Promise<Response> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchFn(url, { mode, credentials: "omit", cache: "no-store", redirect: "follow", signal: controller.signal });
      controller.abort(); // headers are all we want
      return response;
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    const response = await attempt("cors");
    return { kind: "response", status: response.status, contentType: response.headers.get("Content-Type") ?? "" };
  } catch {
    try {
      await attempt("no-cors");
      return { kind: "opaque" };
    } catch {
      return { kind: "unreachable" };
    }
  }
}

/**
 * Why the room's source failed on this page: the browser's evidence in `error`,
 * plus a probe of the link itself for direct URLs (uploads are our own files).
 */
export async function explainFailure(
  sourceType: string,
  sourceId: string,
  isHls: boolean,
  error: { evidence: Omit<FailureEvidence, "url" | "pageProtocol" | "isHls" | "probe"> },
  pageProtocol: string,
  fetchFn: FetchLike = fetch,
): Promise<MediaFailureReason> {
  const isLink = sourceType === "url";
  const mixed = isLink && pageProtocol === "https:" && /^http:/i.test(sourceId);
  const probe: LinkProbe = isLink && !mixed && !error.evidence.encrypted ? await probeLink(sourceId, fetchFn) : { kind: "skipped" };
  return classifyFailure({ ...error.evidence, url: isLink ? sourceId : "", pageProtocol, isHls, probe });
}
