/**
 * PlayerAdapter over an HTMLVideoElement: direct mp4 files, and HLS through
 * hls.js (see `hlsSource.ts`). Steered with HTML5_TUNING.
 */
import { HTML5_TUNING } from "../sync/driftController";
import type { PlayerAdapter, PlayerEvent, PlayerKind } from "../sync/player";

const DOM_EVENTS: Record<PlayerEvent, string> = {
  ready: "loadedmetadata",
  seeked: "seeked",
  waiting: "waiting",
  playing: "playing",
  pause: "pause",
  ended: "ended",
  error: "error",
  timeupdate: "timeupdate",
};

/** HTMLMediaElement.HAVE_FUTURE_DATA: enough data to play forward. */
const HAVE_FUTURE_DATA = 3;
/** Six frames at 24 fps: any playing video has shown a newer frame by then. */
const PRESENTED_FRAME_MAX_AGE_MS = 250;

/** Enough frames for any `presentedFrames` tuning. */
const MAX_RECENT_FRAMES = 16;

interface PresentedFrame {
  mediaMs: number;
  /** When (performance clock) the frame was due on screen. */
  shownAt: number;
  /** The element's rate while it was shown. */
  rate: number;
}

/**
 * Where the picture is at `nowMs`, averaged over the last `count` presented
 * frames shown at the newest frame's rate (each extrapolated to `nowMs`).
 * One frame says where the picture is only to within a frame: at 1.25× a
 * 60 fps video on a 60 Hz display skips one frame in five, and near a frame
 * boundary at 1× the display picks one frame or the next; the newest frame
 * alone then jumps by a frame from one reading to the next. Null when fewer
 * than two frames qualify.
 */
export function averagedPosition(frames: readonly PresentedFrame[], nowMs: number, count: number): number | null {
  if (count < 2 || frames.length < 2) return null;
  const newest = frames[frames.length - 1]!;
  let sum = 0;
  let used = 0;
  for (let i = frames.length - 1; i >= 0 && used < count; i--) {
    const frame = frames[i]!;
    if (frame.rate !== newest.rate || nowMs - frame.shownAt > PRESENTED_FRAME_MAX_AGE_MS) break;
    sum += frame.mediaMs + (nowMs - frame.shownAt) * frame.rate;
    used += 1;
  }
  return used >= 2 ? sum / used : null;
}

export class MediaElementPlayer implements PlayerAdapter {
  readonly tuning = HTML5_TUNING;
  /**
   * The exact media time of the last presented frame (requestVideoFrameCallback),
   * where the browser has it: what end-to-end tests compare across pages.
   */
  lastFrameMediaTimeMs: number | null = null;
  private frameCallback: number | null = null;
  /** When (performance clock) that frame was due on screen, and the rate it played at. */
  private lastFrameShownAt = 0;
  private lastFrameRate = 1;
  private lastPresentedFrames = -1;
  /** Shortest media-time step between consecutive presented frames: the frame duration. */
  private frameMs: number | null = null;
  /** The last presented frames, newest last (see `presentedPositionMs`). */
  private recentFrames: PresentedFrame[] = [];

  constructor(
    readonly video: HTMLVideoElement,
    readonly kind: PlayerKind,
    private readonly release: () => void = () => {},
  ) {
    this.watchFrames();
    video.addEventListener("seeking", this.forgetFrame);
  }

  /**
   * A seek makes the last frame stale: until the first frame at the new
   * position is shown, the picture's position is unknown, not the old one
   * (which would read as a drift of the whole seek for a tick).
   */
  private readonly forgetFrame = (): void => {
    this.lastFrameShownAt = -Infinity;
    this.recentFrames = [];
  };

  private watchFrames(): void {
    if (typeof this.video.requestVideoFrameCallback !== "function") return;
    const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
      const mediaMs = metadata.mediaTime * 1000;
      if (this.lastFrameMediaTimeMs !== null && metadata.presentedFrames === this.lastPresentedFrames + 1) {
        const step = mediaMs - this.lastFrameMediaTimeMs;
        if (step > 1 && step < 200 && (this.frameMs === null || step < this.frameMs - 0.5)) this.frameMs = step;
      }
      this.lastPresentedFrames = metadata.presentedFrames;
      this.lastFrameMediaTimeMs = mediaMs;
      this.lastFrameShownAt = performance.timeOrigin + metadata.expectedDisplayTime;
      this.lastFrameRate = this.video.playbackRate;
      this.recentFrames.push({ mediaMs, shownAt: this.lastFrameShownAt, rate: this.lastFrameRate });
      if (this.recentFrames.length > MAX_RECENT_FRAMES) this.recentFrames.shift();
      this.frameCallback = this.video.requestVideoFrameCallback(onFrame);
    };
    this.frameCallback = this.video.requestVideoFrameCallback(onFrame);
  }

  currentTimeMs(): number {
    return this.video.currentTime * 1000;
  }
  presentedPositionMs(nowMs: number): number | null {
    // Negative when the newest frame is not on screen yet (its callback runs
    // ahead of its display time); extrapolating back from it gives the frame
    // on screen now. Older than a few frame periods: nothing is moving.
    const since = nowMs - this.lastFrameShownAt;
    if (this.lastFrameMediaTimeMs === null || Math.abs(since) > PRESENTED_FRAME_MAX_AGE_MS) return null;
    if (this.video.paused || this.video.seeking) return null;
    return averagedPosition(this.recentFrames, nowMs, this.tuning.presentedFrames) ?? this.lastFrameMediaTimeMs + since * this.lastFrameRate;
  }
  frameDurationMs(): number | null {
    return this.frameMs;
  }
  durationMs(): number | null {
    const d = this.video.duration;
    return Number.isFinite(d) && d > 0 ? d * 1000 : null;
  }
  isPaused(): boolean {
    return this.video.paused;
  }
  isBuffering(): boolean {
    return this.video.seeking || this.video.readyState < HAVE_FUTURE_DATA;
  }
  bufferedAheadMs(): number {
    const { buffered, currentTime } = this.video;
    for (let i = 0; i < buffered.length; i++) {
      if (buffered.start(i) <= currentTime + 0.05 && currentTime <= buffered.end(i)) return (buffered.end(i) - currentTime) * 1000;
    }
    return 0;
  }
  play(): Promise<void> {
    return this.video.play();
  }
  pause(): void {
    this.video.pause();
  }
  seek(positionMs: number): void {
    const duration = this.durationMs();
    const clamped = Math.max(0, duration === null ? positionMs : Math.min(positionMs, duration - 1));
    this.video.currentTime = clamped / 1000;
  }
  playbackRate(): number {
    return this.video.playbackRate;
  }
  setPlaybackRate(rate: number): void {
    if (this.video.playbackRate !== rate) this.video.playbackRate = rate;
  }
  isMuted(): boolean {
    return this.video.muted;
  }
  setMuted(muted: boolean): void {
    this.video.muted = muted;
  }
  volume(): number {
    return this.video.volume;
  }
  setVolume(volume: number): void {
    this.video.volume = Math.min(1, Math.max(0, volume));
  }
  on(event: PlayerEvent, listener: () => void): () => void {
    const name = DOM_EVENTS[event];
    this.video.addEventListener(name, listener);
    return () => this.video.removeEventListener(name, listener);
  }
  destroy(): void {
    if (this.frameCallback !== null) this.video.cancelVideoFrameCallback(this.frameCallback);
    this.video.removeEventListener("seeking", this.forgetFrame);
    this.release();
    this.video.pause();
    this.video.removeAttribute("src");
    this.video.load();
  }
}

/**
 * Whether the browser can only play this file from the start: a server that
 * ignores HTTP range requests gives Chromium a file whose `seekable` range stays
 * [0, 0], and every seek then lands at 0 while the room moves on. Known as soon as
 * the metadata is in; a live stream (infinite duration) is not such a file.
 */
export function cannotSeek(video: Pick<HTMLMediaElement, "duration" | "seekable">): boolean {
  const duration = video.duration;
  if (!Number.isFinite(duration) || duration < 2) return false;
  const ranges = video.seekable;
  return ranges.length === 0 || ranges.end(ranges.length - 1) < 1;
}

/**
 * A source that could not be loaded, with what the browser said about it
 * (`mediaFailure.ts` turns that into plain words).
 */
export class MediaLoadError extends Error {
  constructor(
    message: string,
    readonly evidence: { mediaErrorCode?: number | null; mediaErrorMessage?: string | null; hlsDetails?: string | null; encrypted?: boolean } = {},
  ) {
    super(message);
    this.name = "MediaLoadError";
  }
}

/** What the element says about its failure right now. */
export function elementError(video: HTMLVideoElement): MediaLoadError {
  return new MediaLoadError(video.error?.message || "The video could not be loaded", {
    mediaErrorCode: video.error?.code ?? null,
    mediaErrorMessage: video.error?.message ?? null,
  });
}

/**
 * Resolves once the element knows the media's duration; rejects on a load error,
 * on encrypted media (a DRM key we will never have: it would wait forever) or a timeout.
 */
export function whenMetadataLoaded(video: HTMLVideoElement, timeoutMs = 20_000): Promise<void> {
  if (video.readyState >= 1) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      video.removeEventListener("loadedmetadata", onLoaded);
      video.removeEventListener("error", onError);
      video.removeEventListener("encrypted", onEncrypted);
      if (error) reject(error);
      else resolve();
    };
    const onLoaded = () => done();
    const onError = () => done(elementError(video));
    const onEncrypted = () => done(new MediaLoadError("The video is encrypted (DRM)", { encrypted: true }));
    const timer = setTimeout(() => done(new MediaLoadError("The video took too long to load")), timeoutMs);
    video.addEventListener("loadedmetadata", onLoaded);
    video.addEventListener("error", onError);
    video.addEventListener("encrypted", onEncrypted);
  });
}

export async function createMp4Player(video: HTMLVideoElement, url: string): Promise<MediaElementPlayer> {
  video.preload = "auto";
  video.src = url;
  await whenMetadataLoaded(video);
  return new MediaElementPlayer(video, "html5");
}
