/**
 * HLS through hls.js (MSE) — for uploads and .m3u8 links. `Hls.isSupported()`
 * is checked first so every client uses the same pipeline: Chromium would
 * also play HLS natively, with a different start offset (~21 ms measured),
 * and mixing pipelines across viewers shows up as drift. Native HLS is only
 * the fallback where MSE is missing (older iPhones).
 */
import { MediaElementPlayer, MediaLoadError, whenMetadataLoaded } from "./mediaElementPlayer";
import { MediaGrant } from "./mediaGrant";

/**
 * `freshManifestUrl`: for an upload, whose URLs carry a short-lived grant
 * (`/media/g/<grant>/…`): called every few minutes, and its grant is swapped
 * into every later request, so a long film never outlives its grant.
 */
export async function createHlsPlayer(
  video: HTMLVideoElement,
  manifestUrl: string,
  freshManifestUrl?: () => Promise<string>,
): Promise<MediaElementPlayer> {
  // The light build: no subtitles, alternate audio or EME (DRM) — none of which we play.
  const { default: Hls } = await import("hls.js/light");
  video.preload = "auto";
  if (Hls.isSupported()) {
    // No worker: hls.js would start it from a blob: URL, which the production
    // CSP (script-src 'self' https://www.youtube.com) does not allow.
    const grant = freshManifestUrl ? new MediaGrant(manifestUrl, freshManifestUrl) : null;
    const hls = new Hls({
      enableWorker: false,
      lowLatencyMode: false,
      backBufferLength: 60,
      // hls.js opens the request itself unless this already did.
      xhrSetup: grant ? (xhr, url) => xhr.open("GET", grant.apply(url), true) : undefined,
    });
    const fatal = new Promise<never>((_, reject) => {
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) reject(new MediaLoadError(`The stream could not be played (${data.details})`, { hlsDetails: String(data.details) }));
      });
    });
    hls.loadSource(manifestUrl);
    hls.attachMedia(video);
    try {
      await Promise.race([whenMetadataLoaded(video), fatal]);
    } catch (error) {
      grant?.stop();
      hls.destroy();
      throw error;
    }
    return new MediaElementPlayer(video, "hls", () => {
      grant?.stop();
      hls.destroy();
    });
  }
  if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = manifestUrl;
    await whenMetadataLoaded(video);
    return new MediaElementPlayer(video, "hls");
  }
  throw new Error("This browser can't play streams (no Media Source Extensions).");
}
