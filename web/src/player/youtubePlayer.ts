/**
 * PlayerAdapter over the YouTube IFrame Player API (official API only, spec
 * 4.5.2). It declares YOUTUBE_TUNING: the API's clock is read across a
 * postMessage bridge and its rates are a fixed list, so the controller leaves
 * wider drift alone and corrects only with seeks.
 */
import { YOUTUBE_TUNING } from "../sync/driftController";
import type { PlayerAdapter, PlayerEvent } from "../sync/player";
import { describeYouTubeError, type YTNamespace, type YTPlayer } from "./youtubeApi";

const STATE = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 } as const;
/** How long play() waits for YouTube to report PLAYING/BUFFERING before calling it refused. */
const PLAY_CONFIRM_MS = 2_500;
/** How long the embedded player may take to become ready. */
const READY_TIMEOUT_MS = 20_000;

export class YouTubePlayer implements PlayerAdapter {
  readonly kind = "youtube" as const;
  readonly tuning = YOUTUBE_TUNING;
  lastError: string | null = null;
  /** YouTube's error code of `lastError` (2, 5, 100, 101, 150). */
  lastErrorCode: number | null = null;
  private state: number = STATE.UNSTARTED;
  private readonly listeners = new Map<PlayerEvent, Set<() => void>>();

  private constructor(private readonly player: YTPlayer) {}

  /** Creates the embedded player in `element` and resolves once it is ready. */
  static create(yt: YTNamespace, element: HTMLElement, videoId: string, origin?: string): Promise<YouTubePlayer> {
    return new Promise((resolve, reject) => {
      let adapter: YouTubePlayer | null = null;
      const timer = setTimeout(() => reject(new Error("The YouTube player did not start. Is YouTube blocked on this network?")), READY_TIMEOUT_MS);
      const instance = new yt.Player(element, {
        videoId,
        host: "https://www.youtube-nocookie.com",
        width: "100%",
        height: "100%",
        playerVars: {
          // The room's controls drive playback; YouTube's own would fork the timeline.
          controls: 0,
          disablekb: 1,
          rel: 0,
          playsinline: 1,
          modestbranding: 1,
          ...(origin ? { origin } : {}),
        },
        events: {
          onReady: () => {
            clearTimeout(timer);
            adapter = new YouTubePlayer(instance);
            resolve(adapter);
          },
          onStateChange: (event) => adapter?.onState(event.data),
          onError: (event) => {
            const message = describeYouTubeError(event.data);
            if (adapter) {
              adapter.lastError = message;
              adapter.lastErrorCode = event.data;
              adapter.emit("error");
            } else {
              clearTimeout(timer);
              reject(new Error(message));
            }
          },
        },
      });
    });
  }

  private onState(state: number): void {
    this.state = state;
    if (state === STATE.PLAYING) this.emit("playing");
    else if (state === STATE.PAUSED) this.emit("pause");
    else if (state === STATE.BUFFERING) this.emit("waiting");
    else if (state === STATE.ENDED) this.emit("ended");
  }

  private emit(event: PlayerEvent): void {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }

  currentTimeMs(): number {
    return this.player.getCurrentTime() * 1000;
  }
  durationMs(): number | null {
    const d = this.player.getDuration();
    return d > 0 ? d * 1000 : null;
  }
  isPaused(): boolean {
    return this.state !== STATE.PLAYING && this.state !== STATE.BUFFERING;
  }
  isBuffering(): boolean {
    return this.state === STATE.BUFFERING;
  }
  bufferedAheadMs(): number {
    const duration = this.durationMs();
    if (duration === null) return 0;
    return Math.max(0, this.player.getVideoLoadedFraction() * duration - this.currentTimeMs());
  }
  play(): Promise<void> {
    this.player.playVideo();
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (!this.isPaused()) resolve();
        else if (Date.now() - started > PLAY_CONFIRM_MS) reject(new Error("NotAllowedError"));
        else setTimeout(check, 100);
      };
      check();
    });
  }
  pause(): void {
    this.player.pauseVideo();
    this.state = STATE.PAUSED;
  }
  seek(positionMs: number): void {
    this.player.seekTo(Math.max(0, positionMs) / 1000, true);
  }
  playbackRate(): number {
    return this.player.getPlaybackRate();
  }
  setPlaybackRate(rate: number): void {
    // YouTube snaps to its own list; choose the nearest one it offers.
    const rates = this.player.getAvailablePlaybackRates();
    const nearest = rates.length ? rates.reduce((a, b) => (Math.abs(b - rate) < Math.abs(a - rate) ? b : a)) : rate;
    this.player.setPlaybackRate(nearest);
  }
  isMuted(): boolean {
    return this.player.isMuted();
  }
  setMuted(muted: boolean): void {
    if (muted) this.player.mute();
    else this.player.unMute();
  }
  volume(): number {
    return this.player.getVolume() / 100;
  }
  setVolume(volume: number): void {
    this.player.setVolume(Math.round(Math.min(1, Math.max(0, volume)) * 100));
  }
  on(event: PlayerEvent, listener: () => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
  destroy(): void {
    this.listeners.clear();
    this.player.destroy();
  }
}
