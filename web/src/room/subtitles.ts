/**
 * Subtitle tracks as the room screen handles them: what a pasted `.vtt` link
 * becomes, adding a track to the room's list, and cue text as plain text.
 * Pure (no DOM): the loader that hands a track to the video is `subtitleLoader.ts`.
 */
import type { SubtitleTrack } from "../api/protocol";
import type { SubtitleTrackInfo } from "../api/types";

export const MAX_TRACKS = 16;

/** A label from a file name: "films/night.en.vtt" → "night.en". */
export function labelFromUrl(url: string): string {
  let path = url;
  try {
    path = new URL(url, "https://x.invalid").pathname;
  } catch {
    // keep the text as it is
  }
  const name = decodeURIComponent(path.split("/").pop() ?? "").replace(/\.vtt$/i, "");
  return name.trim().slice(0, 64) || "Subtitles";
}

/** A `.vtt` link someone pasted, as a track, or why it cannot be one. */
export function trackFromLink(input: string): { track: SubtitleTrack } | { problem: string } {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: "Paste the full address of a .vtt file (https://…)." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { problem: "Subtitle links must start with https:// or http://." };
  if (!url.pathname.toLowerCase().endsWith(".vtt")) return { problem: "Subtitles must be a WebVTT file (.vtt)." };
  return { track: { url: url.toString(), label: labelFromUrl(url.toString()) } };
}

export function trackFromUpload(info: SubtitleTrackInfo): SubtitleTrack {
  return { url: info.url, label: info.label, language: info.language };
}

/** The room's list with `track` added at the end (or replacing one with the same address). */
export function withTrack(tracks: SubtitleTrack[], track: SubtitleTrack): SubtitleTrack[] {
  return [...tracks.filter((t) => t.url !== track.url), track].slice(-MAX_TRACKS);
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e", "&rlm;": "\u200f" };

/**
 * A cue's text as the viewer reads it: WebVTT markup (`<i>`, `<c.x>`, `<v Bob>`,
 * timestamps) removed and its escapes decoded. The overlay renders the result
 * as text, so whatever a track contains, it is never read as HTML.
 */
export function plainCueText(raw: string): string {
  return raw
    .replace(/<[^>]*>/g, "")
    .replace(/&(?:amp|lt|gt|nbsp|lrm|rlm);/g, (entity) => ENTITIES[entity] ?? entity)
    .trim();
}
