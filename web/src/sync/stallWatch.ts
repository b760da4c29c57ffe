/**
 * Decides when this page's player has stalled and when it can play again, for
 * the room's wait for buffering (`sync:buffering`, docs/protocol.md "Wait for
 * buffering"). Pure: the caller samples the room and the player every
 * `SAMPLE_MS` and passes the time in; no DOM, no timers.
 *
 * Why samples rather than the <video>'s `waiting` event: a page starved of
 * media from the start never fires it (its player is not even created before
 * the first segment brings the metadata, so nothing ever asked it to play),
 * and a playhead can stop without one. So a stall is "the room plays, and this
 * page cannot advance": no player yet, not enough data at the playhead
 * (readyState < HAVE_FUTURE_DATA, a seek that does not finish), or a position
 * that does not move while the player is meant to be playing.
 *
 * Hysteresis, so a page never makes the room loop: a stall is reported after
 * `STALL_REPORT_MS` of trouble (a seek inside the buffer takes less), and the
 * recovery only once the player can play on the room's timeline with
 * `RECOVERY_BUFFER_MS` buffered ahead (or up to the end), held for
 * `RECOVERY_HOLD_MS`: a page that gets one segment at a time stays stalled
 * instead of resuming the room for a moment. The room adds its own settle time
 * and leaves out a member who stalls three times in two minutes.
 */

/** How often the page is sampled. */
export const SAMPLE_MS = 100;
/** Trouble this long is a stall (the room's threshold, default 1 s, counts from the report). */
export const STALL_REPORT_MS = 200;
/** A playing player whose position has not moved for this long is stuck. */
export const NOT_MOVING_MS = 600;
/** Buffered ahead before the page says it can play again. */
export const RECOVERY_BUFFER_MS = 2_000;
/** ...and that readiness held this long. */
export const RECOVERY_HOLD_MS = 200;
/** Ready far from the room's position is not ready: the page still has to seek there. */
export const RECOVERY_MAX_OFFSET_MS = 1_000;
/** A move smaller than this is no move (currentTime is constant within one task). */
const MOVED_MS = 1;

/** What the player says about itself at one sample. */
export interface PlayerSample {
  /** Enough data at the playhead to play on, and not seeking. */
  canPlay: boolean;
  paused: boolean;
  positionMs: number;
  bufferedAheadMs: number;
  /** Media left until the end (null: length unknown). */
  remainingMs: number | null;
}

export interface PlaybackSample {
  nowMs: number;
  /**
   * The room plays and this page should be playing with it: a source, not at
   * its end, no click awaited.
   */
  shouldAdvance: boolean;
  /** The player failed for good: the room must not wait for this page. */
  failed: boolean;
  /** Where the room expects the playhead (null: unknown). */
  expectedMs: number | null;
  /** null: no player yet (the source is still loading). */
  player: PlayerSample | null;
}

export class StallWatch {
  /** This page is stalled as far as the room is concerned. */
  stalled = false;
  private troubleSince: number | null = null;
  private readySince: number | null = null;
  private lastPositionMs: number | null = null;
  private positionSince = 0;

  /** Takes one sample; returns whether `stalled` changed. */
  update(sample: PlaybackSample): boolean {
    this.trackPosition(sample);
    return this.stalled ? this.checkRecovery(sample) : this.checkStall(sample);
  }

  private trackPosition({ nowMs, player }: PlaybackSample): void {
    const position = player?.positionMs ?? null;
    const moved = position === null || this.lastPositionMs === null || Math.abs(position - this.lastPositionMs) >= MOVED_MS;
    // A paused player is not expected to move: the clock starts when it plays.
    if (moved || !player || player.paused) this.positionSince = nowMs;
    this.lastPositionMs = position;
  }

  /** Playing, yet its position has not moved for a while. */
  private stuck({ nowMs, player }: PlaybackSample): boolean {
    return player !== null && !player.paused && nowMs - this.positionSince >= NOT_MOVING_MS;
  }

  private checkStall(sample: PlaybackSample): boolean {
    const { nowMs, player } = sample;
    const trouble = sample.shouldAdvance && !sample.failed && (player === null || !player.canPlay || this.stuck(sample));
    if (!trouble) {
      this.troubleSince = null;
      return false;
    }
    this.troubleSince ??= nowMs;
    if (nowMs - this.troubleSince < STALL_REPORT_MS) return false;
    this.stalled = true;
    this.troubleSince = null;
    this.readySince = null;
    return true;
  }

  private checkRecovery(sample: PlaybackSample): boolean {
    const { nowMs, player } = sample;
    if (sample.failed) return this.recover(); // nothing to wait for
    const ready = player !== null && player.canPlay && !this.stuck(sample) && this.onTimeline(sample) && this.enoughAhead(player);
    if (!ready) {
      this.readySince = null;
      return false;
    }
    this.readySince ??= nowMs;
    return nowMs - this.readySince >= RECOVERY_HOLD_MS ? this.recover() : false;
  }

  private onTimeline({ expectedMs, player }: PlaybackSample): boolean {
    return expectedMs === null || player === null || Math.abs(player.positionMs - expectedMs) <= RECOVERY_MAX_OFFSET_MS;
  }

  private enoughAhead(player: PlayerSample): boolean {
    if (player.bufferedAheadMs >= RECOVERY_BUFFER_MS) return true;
    return player.remainingMs !== null && player.bufferedAheadMs >= player.remainingMs - 100;
  }

  private recover(): boolean {
    this.stalled = false;
    this.readySince = null;
    this.troubleSince = null;
    return true;
  }
}
