/** A local stand-in for the YouTube IFrame API: same surface, no network, no iframe. */
import type { YTNamespace, YTPlayer, YTPlayerOptions } from "../player/youtubeApi";

export class FakeYTPlayer implements YTPlayer {
  static instances: FakeYTPlayer[] = [];
  time = 0;
  state = -1;
  rate = 1;
  muted = false;
  vol = 100;
  destroyed = false;
  /** When false, playVideo() does nothing (as when autoplay is blocked). */
  allowPlay = true;

  constructor(
    readonly element: unknown,
    readonly options: YTPlayerOptions,
  ) {
    FakeYTPlayer.instances.push(this);
    queueMicrotask(() => {
      if (options.videoId === "bad_video_") options.events?.onError?.({ data: 150 });
      else options.events?.onReady?.({ target: this });
    });
  }
  setState(state: number) {
    this.state = state;
    this.options.events?.onStateChange?.({ data: state, target: this });
  }
  playVideo() {
    if (this.allowPlay) this.setState(1);
  }
  pauseVideo() {
    this.setState(2);
  }
  seekTo(seconds: number) {
    this.time = seconds;
  }
  getCurrentTime() {
    return this.time;
  }
  getDuration() {
    return 600;
  }
  getPlayerState() {
    return this.state;
  }
  getPlaybackRate() {
    return this.rate;
  }
  setPlaybackRate(rate: number) {
    this.rate = rate;
  }
  getAvailablePlaybackRates() {
    return [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
  }
  getVideoLoadedFraction() {
    return 0.5;
  }
  mute() {
    this.muted = true;
  }
  unMute() {
    this.muted = false;
  }
  isMuted() {
    return this.muted;
  }
  getVolume() {
    return this.vol;
  }
  setVolume(v: number) {
    this.vol = v;
  }
  destroy() {
    this.destroyed = true;
  }
}

export const fakeYT: YTNamespace = {
  Player: FakeYTPlayer,
  PlayerState: { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 },
};
