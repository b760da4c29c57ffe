/**
 * Tells the room when this page's player stalls and when it has buffered again
 * (`sync:buffering`), so the room can wait for it (docs/protocol.md "Wait for
 * buffering"). Reads the <video> element's own events; no React.
 */

/** Poll for "buffered again" while stalled: the room pauses, so no `playing` event comes. */
export const RECOVERY_POLL_MS = 250;
/** HTMLMediaElement.HAVE_FUTURE_DATA: enough to play on from here. */
const HAVE_FUTURE_DATA = 3;

export interface BufferingReporterDeps {
  video: Pick<HTMLVideoElement, "readyState" | "seeking" | "addEventListener" | "removeEventListener">;
  /** Is the room playing (a stall while the room is paused is nobody's problem)? */
  roomPlaying(): boolean;
  report(stalled: boolean): void;
  setInterval?: (fn: () => void, ms: number) => ReturnType<typeof setInterval>;
  clearInterval?: (timer: ReturnType<typeof setInterval>) => void;
}

export class BufferingReporter {
  private stalled = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly onWaiting = () => {
    if (this.stalled || !this.deps.roomPlaying()) return;
    this.stalled = true;
    this.deps.report(true);
    this.timer = (this.deps.setInterval ?? setInterval)(() => this.check(), RECOVERY_POLL_MS);
  };
  private readonly onReady = () => this.check();

  constructor(private readonly deps: BufferingReporterDeps) {
    deps.video.addEventListener("waiting", this.onWaiting);
    deps.video.addEventListener("playing", this.onReady);
    deps.video.addEventListener("canplay", this.onReady);
  }

  /** Buffered again: enough data at the current position and not in the middle of a seek. */
  check(): void {
    if (!this.stalled) return;
    const video = this.deps.video;
    if (video.readyState < HAVE_FUTURE_DATA || video.seeking) return;
    this.stalled = false;
    if (this.timer !== null) (this.deps.clearInterval ?? clearInterval)(this.timer);
    this.timer = null;
    this.deps.report(false);
  }

  stop(): void {
    const video = this.deps.video;
    video.removeEventListener("waiting", this.onWaiting);
    video.removeEventListener("playing", this.onReady);
    video.removeEventListener("canplay", this.onReady);
    if (this.timer !== null) (this.deps.clearInterval ?? clearInterval)(this.timer);
    if (this.stalled) this.deps.report(false);
  }
}
