import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { playbackState } from "../test/fixtures";
import { SimulatedPlayer } from "../test/simulatedPlayer";
import { ClockEstimator } from "./clockEstimator";
import { SyncEngine, TICK_MS } from "./syncEngine";

function engineAt() {
  const clock = new ClockEstimator();
  clock.offsetMs = 0;
  clock.hasEstimate = true;
  const states: unknown[] = [];
  const engine = new SyncEngine({ clock, now: () => Date.now(), onState: (s) => states.push(s) });
  engine.start();
  return { engine, states };
}

beforeEach(() => vi.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => vi.useRealTimers());

describe("the end of the video in the page", () => {
  it("never expects a position past the room's length and shows no drift there", async () => {
    const { engine } = engineAt();
    // Playing since 40 s ago from 0:00, in a 30 s clip whose end the room has not paused yet.
    engine.reset(playbackState({ isPlaying: true, anchorServerTimeMs: Date.now() - 40_000, sequenceNumber: 3, durationMs: 30_000 }));
    expect(engine.expectedMs()).toBe(30_000);
    engine.attach(new SimulatedPlayer({ durationMs: 30_000 }));
    await vi.advanceTimersByTimeAsync(TICK_MS * 4);
    expect(engine.driftMs).toBe(0);
    engine.stop();
  });

  it("learns the length for the current video only", () => {
    const { engine, states } = engineAt();
    engine.reset(playbackState({ sourceType: "url", sourceId: "https://cdn.example/a.mp4", anchorMediaTimeMs: 45_000, sequenceNumber: 2 }));
    engine.learnDuration("https://cdn.example/other.mp4", 30_000);
    expect(engine.state?.durationMs).toBeUndefined();
    engine.learnDuration("https://cdn.example/a.mp4", 30_000);
    expect(engine.state?.durationMs).toBe(30_000);
    expect(engine.expectedMs()).toBe(30_000);
    expect(states).toHaveLength(2);
    engine.stop();
  });
});
