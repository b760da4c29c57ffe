/**
 * Tells the room when this page's player stalls and when it has buffered again
 * (`sync:buffering`), so the room can wait for it (docs/protocol.md "Wait for
 * buffering"). Samples the sync engine and its player every `SAMPLE_MS`; what
 * counts as a stall and a recovery is `StallWatch`'s (sync/stallWatch.ts).
 */
import type { PlayerAdapter } from "../sync/player";
import { SAMPLE_MS, StallWatch, type PlaybackSample } from "../sync/stallWatch";

/** What the reporter reads of the sync engine. */
export interface EngineView {
  shouldAdvance(): boolean;
  expectedMs(): number | null;
  localNow(): number;
  readonly attachedPlayer: PlayerAdapter | null;
}

export interface BufferingReporterDeps {
  engine: EngineView;
  /** The player failed for good (the room must not wait for this page). */
  playerFailed(): boolean;
  /** Sends the report; false when it could not be sent (no connection): it is tried again. */
  report(stalled: boolean): boolean;
  setInterval?: (fn: () => void, ms: number) => ReturnType<typeof setInterval>;
  clearInterval?: (timer: ReturnType<typeof setInterval>) => void;
}

export class BufferingReporter {
  readonly watch = new StallWatch();
  /** What the room was last told (null: nothing it should rely on). */
  private told: boolean | null = false;
  private wasAdvancing = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly deps: BufferingReporterDeps) {
    this.timer = (deps.setInterval ?? setInterval)(() => this.sample(), SAMPLE_MS);
  }

  /** One sample (normally driven by the timer; tests call it). */
  sample(): void {
    const reading = this.read();
    this.watch.update(reading);
    // The room forgets a stall when it stops playing (someone paused): a page
    // still stalled when it plays again says so again.
    if (reading.shouldAdvance && !this.wasAdvancing && this.watch.stalled) this.told = null;
    this.wasAdvancing = reading.shouldAdvance;
    this.tell(this.watch.stalled);
  }

  stop(): void {
    (this.deps.clearInterval ?? clearInterval)(this.timer);
    if (this.told !== false) this.deps.report(false);
  }

  private tell(stalled: boolean): void {
    if (this.told === stalled) return;
    if (this.deps.report(stalled)) this.told = stalled;
  }

  private read(): PlaybackSample {
    const { engine } = this.deps;
    const player = engine.attachedPlayer;
    let sample: PlaybackSample["player"] = null;
    if (player) {
      const positionMs = player.currentTimeMs();
      const duration = player.durationMs();
      sample = {
        canPlay: !player.isBuffering(),
        paused: player.isPaused(),
        positionMs,
        bufferedAheadMs: player.bufferedAheadMs(),
        remainingMs: duration === null ? null : Math.max(0, duration - positionMs),
      };
    }
    return {
      nowMs: engine.localNow(),
      shouldAdvance: engine.shouldAdvance(),
      failed: this.deps.playerFailed(),
      expectedMs: engine.expectedMs(),
      player: sample,
    };
  }
}
