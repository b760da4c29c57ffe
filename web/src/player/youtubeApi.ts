/**
 * Loads the YouTube IFrame Player API once, lazily, from an injectable URL
 * (tests point it at a local fake and never reach the network). Only the
 * slice of the API the adapter uses is typed here.
 */

export const YOUTUBE_IFRAME_API_URL = "https://www.youtube.com/iframe_api";

export interface YTPlayer {
  playVideo(): void;
  pauseVideo(): void;
  seekTo(seconds: number, allowSeekAhead: boolean): void;
  getCurrentTime(): number;
  getDuration(): number;
  getPlayerState(): number;
  getPlaybackRate(): number;
  setPlaybackRate(rate: number): void;
  getAvailablePlaybackRates(): number[];
  getVideoLoadedFraction(): number;
  mute(): void;
  unMute(): void;
  isMuted(): boolean;
  getVolume(): number;
  setVolume(volume: number): void;
  destroy(): void;
}

export interface YTPlayerOptions {
  videoId: string;
  host?: string;
  width?: string | number;
  height?: string | number;
  playerVars?: Record<string, string | number>;
  events?: {
    onReady?: (event: { target: YTPlayer }) => void;
    onStateChange?: (event: { data: number; target: YTPlayer }) => void;
    onError?: (event: { data: number }) => void;
  };
}

export interface YTNamespace {
  Player: new (element: HTMLElement | string, options: YTPlayerOptions) => YTPlayer;
  PlayerState: { UNSTARTED: -1; ENDED: 0; PLAYING: 1; PAUSED: 2; BUFFERING: 3; CUED: 5 };
}

interface YouTubeWindow {
  YT?: YTNamespace;
  onYouTubeIframeAPIReady?: () => void;
}

let loading: Promise<YTNamespace> | null = null;

/** Appends the API script (once) and resolves with `window.YT` when it calls back. */
export function loadYouTubeApi(url = YOUTUBE_IFRAME_API_URL, timeoutMs = 15_000): Promise<YTNamespace> {
  const w = window as unknown as YouTubeWindow;
  if (w.YT?.Player) return Promise.resolve(w.YT);
  if (loading) return loading;
  loading = new Promise<YTNamespace>((resolve, reject) => {
    const timer = setTimeout(() => {
      loading = null;
      reject(new Error("YouTube did not load. Is it blocked on this network?"));
    }, timeoutMs);
    const previous = w.onYouTubeIframeAPIReady;
    w.onYouTubeIframeAPIReady = () => {
      previous?.();
      clearTimeout(timer);
      if (w.YT) resolve(w.YT);
      else reject(new Error("The YouTube player API did not initialise"));
    };
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onerror = () => {
      clearTimeout(timer);
      loading = null;
      script.remove();
      reject(new Error("YouTube could not be reached."));
    };
    document.head.appendChild(script);
  });
  return loading;
}

/** YouTube's error codes, in words. */
export function describeYouTubeError(code: number): string {
  switch (code) {
    case 2:
      return "That YouTube link has an invalid video id.";
    case 5:
      return "This YouTube video can't be played in an embedded player.";
    case 100:
      return "This YouTube video was removed or is private.";
    case 101:
    case 150:
      return "The owner of this YouTube video doesn't allow it to be embedded.";
    default:
      return "YouTube couldn't play this video.";
  }
}
