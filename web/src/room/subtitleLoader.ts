/**
 * Hands one WebVTT track to the video element, so the browser parses it and
 * times its cues against the media clock: the clock the sync engine steers, so
 * cues follow the room's position on every page. The page fetches the file and
 * gives it to a `<track>` as a blob: URL, which is same-origin: the video needs
 * no `crossorigin` attribute (that would change how every source loads). It is
 * a hidden metadata track: the browser draws nothing, `SubtitleOverlay` draws
 * the active cues as plain text over the picture (in fullscreen too).
 */
export interface AttachedSubtitles {
  readonly textTrack: TextTrack;
  detach(): void;
}

export class SubtitleLoadError extends Error {}

export async function attachSubtitles(video: HTMLVideoElement, url: string, signal: AbortSignal): Promise<AttachedSubtitles> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: "same-origin" });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SubtitleLoadError("The subtitles could not be downloaded (the server may not allow it).");
  }
  if (!response.ok) throw new SubtitleLoadError(`The subtitles could not be downloaded (HTTP ${response.status}).`);
  const text = await response.text();
  signal.throwIfAborted();
  const blobUrl = URL.createObjectURL(new Blob([text], { type: "text/vtt" }));
  const element = document.createElement("track");
  element.kind = "metadata";
  element.src = blobUrl;
  element.dataset.testid = "subtitle-track";
  const detach = () => {
    element.track.mode = "disabled";
    element.remove();
    URL.revokeObjectURL(blobUrl);
  };
  const loaded = new Promise<void>((resolve, reject) => {
    element.addEventListener("load", () => resolve(), { once: true });
    element.addEventListener("error", () => reject(new SubtitleLoadError("These subtitles are not a WebVTT file this browser can read.")), { once: true });
  });
  video.appendChild(element);
  element.track.mode = "hidden";
  try {
    await loaded;
  } catch (error) {
    detach();
    throw error;
  }
  if (signal.aborted) {
    detach();
    signal.throwIfAborted();
  }
  return { textTrack: element.track, detach };
}
