import { describe, expect, it } from "vitest";
import { DriftTimeline, sparkline } from "./driftTimeline";

describe("drift timeline", () => {
  it("keeps a bounded window of recent points with corrections marked", () => {
    const timeline = new DriftTimeline(3);
    for (let i = 0; i < 5; i++) timeline.record(i * 1000, i * 10, i === 4 ? "seek" : undefined);
    expect(timeline.recent(4000, 10_000)).toEqual([
      { atMs: 2000, driftMs: 20 },
      { atMs: 3000, driftMs: 30 },
      { atMs: 4000, driftMs: 40, correction: "seek" },
    ]);
    expect(timeline.recent(4000, 1000).map((p) => p.atMs)).toEqual([3000, 4000]);
  });

  it("draws zero drift on the middle line and clamps outliers to the edge", () => {
    const line = sparkline(
      [
        { atMs: 0, driftMs: 0 },
        { atMs: 500, driftMs: 5000 },
        { atMs: 1000, driftMs: -100 },
      ],
      1000,
      1000,
      100,
      40,
      200,
    );
    expect(line).toBe("0.0,20.0 50.0,0.0 100.0,30.0");
  });
});
