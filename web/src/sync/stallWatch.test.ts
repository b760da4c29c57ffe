import { describe, expect, it } from "vitest";
import { NOT_MOVING_MS, RECOVERY_BUFFER_MS, RECOVERY_HOLD_MS, SAMPLE_MS, STALL_REPORT_MS, StallWatch, type PlaybackSample, type PlayerSample } from "./stallWatch";

const playing: PlayerSample = { canPlay: true, paused: false, positionMs: 0, bufferedAheadMs: 10_000, remainingMs: 60_000 };

/** Samples every SAMPLE_MS from `from` to `to`; returns the times at which `stalled` changed. */
function run(watch: StallWatch, from: number, to: number, at: (nowMs: number) => Partial<PlaybackSample>): number[] {
  const changes: number[] = [];
  for (let now = from; now <= to; now += SAMPLE_MS) {
    const sample: PlaybackSample = { nowMs: now, shouldAdvance: true, failed: false, expectedMs: null, player: playing, ...at(now) };
    if (watch.update(sample)) changes.push(now);
  }
  return changes;
}

describe("stall watch", () => {
  it("a page with no player yet while the room plays is stalled (starved from the start, no `waiting` event)", () => {
    const watch = new StallWatch();
    const changes = run(watch, 0, 1_000, () => ({ player: null }));
    expect(changes).toEqual([STALL_REPORT_MS]);
    expect(watch.stalled).toBe(true);
  });

  it("not enough data at the playhead for longer than a moment is a stall; a short one is not", () => {
    const watch = new StallWatch();
    // A seek inside the buffer: readyState drops for 100 ms.
    expect(run(watch, 0, 1_000, (t) => ({ player: { ...playing, positionMs: t, canPlay: t < 300 || t >= 400 } }))).toEqual([]);
    expect(run(watch, 1_100, 2_000, () => ({ player: { ...playing, positionMs: 1_100, canPlay: false } }))).toEqual([1_100 + STALL_REPORT_MS]);
  });

  it("a playing player whose position does not move is stuck, even when it says it can play", () => {
    const watch = new StallWatch();
    const changes = run(watch, 0, 2_000, (t) => ({ player: { ...playing, positionMs: Math.min(t, 500) } }));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toBeGreaterThanOrEqual(500 + NOT_MOVING_MS + STALL_REPORT_MS - SAMPLE_MS);
    expect(changes[0]).toBeLessThanOrEqual(500 + NOT_MOVING_MS + STALL_REPORT_MS + SAMPLE_MS);
    // Still stuck: no recovery, however much it says it has buffered.
    expect(watch.stalled).toBe(true);
  });

  it("nothing is a stall while the room is paused, at its end, awaiting a click, or when the player failed", () => {
    const watch = new StallWatch();
    expect(run(watch, 0, 2_000, () => ({ shouldAdvance: false, player: null }))).toEqual([]);
    expect(run(watch, 2_100, 4_000, () => ({ failed: true, player: null }))).toEqual([]);
    // A paused player with data is not stuck.
    expect(run(watch, 4_100, 6_000, () => ({ shouldAdvance: false, player: { ...playing, paused: true } }))).toEqual([]);
  });

  it("recovers only with enough buffered ahead, held, on the room's timeline (hysteresis)", () => {
    const watch = new StallWatch();
    run(watch, 0, 300, () => ({ player: null }));
    expect(watch.stalled).toBe(true);
    // The room paused at 5 s to wait; the player arrives at 0 and one segment trickles in.
    const paused = { shouldAdvance: false, expectedMs: 5_000 };
    expect(run(watch, 400, 1_000, () => ({ ...paused, player: { ...playing, paused: true, positionMs: 0, bufferedAheadMs: 4_000 } }))).toEqual([]);
    expect(run(watch, 1_100, 2_000, () => ({ ...paused, player: { ...playing, paused: true, positionMs: 5_000, bufferedAheadMs: RECOVERY_BUFFER_MS - 500 } }))).toEqual([]);
    const changes = run(watch, 2_100, 3_000, () => ({ ...paused, player: { ...playing, paused: true, positionMs: 5_000, bufferedAheadMs: RECOVERY_BUFFER_MS } }));
    expect(changes).toEqual([2_100 + RECOVERY_HOLD_MS]);
    expect(watch.stalled).toBe(false);
  });

  it("a moment of readiness that does not hold is not a recovery", () => {
    const watch = new StallWatch();
    run(watch, 0, 300, () => ({ player: null }));
    const flicker = (t: number) => ({ shouldAdvance: false, player: { ...playing, paused: true, canPlay: t % 300 === 0 } });
    expect(run(watch, 400, 3_000, flicker)).toEqual([]);
    expect(watch.stalled).toBe(true);
  });

  it("near the end, what is left is enough", () => {
    const watch = new StallWatch();
    run(watch, 0, 300, () => ({ player: null }));
    const changes = run(watch, 400, 1_000, () => ({ player: { ...playing, paused: true, positionMs: 59_000, bufferedAheadMs: 1_000, remainingMs: 1_000 } }));
    expect(changes).toHaveLength(1);
  });

  it("a failed player stops the wait at once: the room must not wait for it", () => {
    const watch = new StallWatch();
    run(watch, 0, 300, () => ({ player: null }));
    expect(run(watch, 400, 400, () => ({ failed: true, player: null }))).toEqual([400]);
    expect(watch.stalled).toBe(false);
  });
});
