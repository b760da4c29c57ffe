import { useEffect, useState } from "react";
import { grantedTrackUrl, trackVideoId } from "../player/mediaGrant";
import { api } from "../store/session";
import { pushNotice, useRoomStore } from "../store/room";
import { attachSubtitles, SubtitleLoadError } from "./subtitleLoader";
import { plainCueText } from "./subtitles";

function activeLines(track: TextTrack): string[] {
  const cues = track.activeCues ? Array.from(track.activeCues) : [];
  return cues.map((cue) => plainCueText((cue as VTTCue).text ?? "")).filter(Boolean);
}

/** An upload's track is served only under its video's grant (ADR 0010): ask for the manifest's. */
async function fetchableUrl(url: string, roomCode: string): Promise<string> {
  const videoId = trackVideoId(url);
  if (!videoId) return url;
  try {
    return grantedTrackUrl(url, (await api.videoManifest(videoId, roomCode)).manifestUrl);
  } catch {
    throw new SubtitleLoadError("These subtitles are only for people watching this video in a room.");
  }
}

/**
 * The chosen subtitle track's current cues, drawn over the picture (inside the
 * stage, so fullscreen shows them too), sized to the stage and readable on any
 * frame: white on a dark glass band. Text only: cue text is never HTML here.
 */
export function SubtitleOverlay({ videoRef, url }: { videoRef: React.RefObject<HTMLVideoElement | null>; url: string | null }) {
  const [lines, setLines] = useState<string[]>([]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !url) return;
    const abort = new AbortController();
    let detach: (() => void) | null = null;
    fetchableUrl(url, useRoomStore.getState().code)
      .then((fetchable) => attachSubtitles(video, fetchable, abort.signal))
      .then((attached) => {
        const update = () => setLines(activeLines(attached.textTrack));
        attached.textTrack.addEventListener("cuechange", update);
        update();
        detach = () => {
          attached.textTrack.removeEventListener("cuechange", update);
          attached.detach();
        };
      })
      .catch((error: unknown) => {
        if (error instanceof SubtitleLoadError) pushNotice(error.message, "error");
      });
    return () => {
      abort.abort();
      detach?.();
      setLines([]);
    };
  }, [videoRef, url]);

  if (!url || lines.length === 0) return null;
  return (
    <div className="pointer-events-none absolute inset-x-0 bottom-[7%] z-10 flex flex-col items-center gap-1 px-[6%] text-center" aria-live="off" data-testid="subtitle-cues">
      {lines.map((line, index) => (
        <p
          key={index}
          className="max-w-full whitespace-pre-line rounded-lg bg-slate-950/75 px-[0.6em] py-[0.15em] text-[clamp(0.85rem,3.1cqw,2.6rem)] font-semibold leading-snug text-white [text-shadow:0_1px_2px_rgb(0_0_0/0.9)]"
          data-testid="subtitle-cue"
        >
          {line}
        </p>
      ))}
    </div>
  );
}
