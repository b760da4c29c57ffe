/**
 * The recent drift history for the diagnostics overlay (spec 15.6.2 "drift
 * timeline"): one point per control tick, corrections marked. Bounded; pure.
 */

export interface DriftPoint {
  atMs: number;
  driftMs: number;
  correction?: "rate" | "seek";
}

/** Two minutes of 250 ms ticks. */
export const DRIFT_TIMELINE_POINTS = 480;

export class DriftTimeline {
  private points: DriftPoint[] = [];

  constructor(private readonly capacity = DRIFT_TIMELINE_POINTS) {}

  record(atMs: number, driftMs: number, correction?: DriftPoint["correction"]): void {
    this.points.push(correction ? { atMs, driftMs, correction } : { atMs, driftMs });
    if (this.points.length > this.capacity) this.points.splice(0, this.points.length - this.capacity);
  }

  /** Points of the last `windowMs` before `nowMs`. */
  recent(nowMs: number, windowMs: number): DriftPoint[] {
    return this.points.filter((p) => p.atMs >= nowMs - windowMs);
  }

  clear(): void {
    this.points = [];
  }
}

/** SVG polyline coordinates for points in a `width`×`height` box, drift clamped to ±`rangeMs`. */
export function sparkline(points: DriftPoint[], nowMs: number, windowMs: number, width: number, height: number, rangeMs: number): string {
  return points
    .map((p) => {
      const x = ((p.atMs - (nowMs - windowMs)) / windowMs) * width;
      const clamped = Math.max(-rangeMs, Math.min(rangeMs, p.driftMs));
      const y = height / 2 - (clamped / rangeMs) * (height / 2);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
}
