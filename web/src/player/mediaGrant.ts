/**
 * The grant in an upload's media URLs (`/media/g/<grant>/videos/…`, ADR 0010),
 * kept fresh: the server's grants live 30 to 40 minutes, so a new one is asked
 * for every REFRESH_MS and swapped into each URL the player fetches from then on.
 * No React, no hls.js: the clock is the caller's timers.
 */
const GRANTED = /\/media\/g\/[^/]+\//;
export const REFRESH_MS = 10 * 60 * 1000;

export function grantPrefix(url: string): string | null {
  const found = GRANTED.exec(url);
  return found ? found[0] : null;
}

/** `url` with the grant of `prefix` in place of its own (unchanged if it has none). */
export function withGrant(url: string, prefix: string | null): string {
  return prefix && GRANTED.test(url) ? url.replace(GRANTED, prefix) : url;
}

export class MediaGrant {
  private prefix: string | null;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    manifestUrl: string,
    fresh: () => Promise<string>,
    refreshMs: number = REFRESH_MS,
  ) {
    this.prefix = grantPrefix(manifestUrl);
    this.timer = setInterval(() => {
      // A failed refresh keeps the current grant: it still has 20 minutes or more.
      fresh().then((url) => (this.prefix = grantPrefix(url) ?? this.prefix), () => undefined);
    }, refreshMs);
  }

  apply(url: string): string {
    return withGrant(url, this.prefix);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

const UPLOAD_TRACK = /^\/media\/videos\/([0-9A-Za-z-]+)\/subtitles\/[0-9A-Za-z-]+\.vtt$/;

/** The video an upload's subtitle track belongs to (`/media/videos/<id>/subtitles/…`), or null. */
export function trackVideoId(url: string): string | null {
  return UPLOAD_TRACK.exec(url)?.[1] ?? null;
}

/**
 * An upload's subtitle track as the server serves it: under the grant of the
 * video's manifest URL (`/media/g/<grant>/videos/<id>/subtitles/…`), like its HLS.
 */
export function grantedTrackUrl(url: string, manifestUrl: string): string {
  const prefix = grantPrefix(manifestUrl);
  return prefix && trackVideoId(url) ? url.replace(/^\/media\//, prefix) : url;
}
