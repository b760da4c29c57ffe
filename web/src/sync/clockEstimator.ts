/**
 * Estimates `offset = serverTime - localTime` from `time:ping`/`time:pong`
 * round trips (NTP's formula). Plain TypeScript: the caller sends pings and
 * feeds pongs in; `ClockSync` schedules the bursts.
 *
 * A sample's error is bounded by half its network round trip, and queueing
 * only ever adds delay, so the lowest-RTT samples are the truthful ones.
 */

export interface ClockSample {
  offsetMs: number;
  rttMs: number;
  /** Local time the pong arrived. */
  atLocalMs: number;
}

/** Pings per burst: 8 round trips on a LAN take < 100 ms and give a clear minimum. */
export const SAMPLES_PER_BURST = 8;
/** Spacing between pings of one burst so they do not queue behind each other. */
export const PING_SPACING_MS = 50;
/** Of each window, trust the best quarter by RTT (2 of 8). */
const BEST_FRACTION = 0.25;
/** Samples kept: the last 3 bursts, so one congested burst does not move the estimate. */
const WINDOW_SAMPLES = SAMPLES_PER_BURST * 3;
/**
 * A fresh burst that disagrees with the window by more than this (and by more
 * than its own uncertainty, rtt/2) means a clock jump (suspend, NTP step):
 * the old samples are discarded. 25 ms is well above the ~1 ms spread of
 * best-RTT samples on a stable path.
 */
export const JUMP_THRESHOLD_MS = 25;

export function sampleFromPong(t0: number, t1: number, t2: number, t3: number): ClockSample {
  return {
    offsetMs: (t1 - t0 + (t2 - t3)) / 2,
    rttMs: Math.max(0, t3 - t0 - (t2 - t1)),
    atLocalMs: t3,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The offset given by the lowest-RTT samples, with their RTT. */
export function bestEstimate(samples: ClockSample[]): { offsetMs: number; rttMs: number } | null {
  if (!samples.length) return null;
  const byRtt = [...samples].sort((a, b) => a.rttMs - b.rttMs);
  const best = byRtt.slice(0, Math.max(1, Math.ceil(byRtt.length * BEST_FRACTION)));
  return { offsetMs: median(best.map((s) => s.offsetMs)), rttMs: median(best.map((s) => s.rttMs)) };
}

export class ClockEstimator {
  private window: ClockSample[] = [];
  private burst: ClockSample[] = [];
  offsetMs = 0;
  /** RTT of the samples behind the current estimate (the network's floor). */
  rttMs = 0;
  /** Median RTT of the last burst, congestion included: what a user "feels". */
  lastBurstRttMs = 0;
  /** Mean absolute deviation of the last burst's RTTs: network jitter. */
  lastBurstJitterMs = 0;
  hasEstimate = false;
  jumps = 0;

  addSample(sample: ClockSample): void {
    this.burst.push(sample);
  }

  /** Closes a burst: folds it into the window, detecting clock jumps. */
  endBurst(): void {
    const fresh = bestEstimate(this.burst);
    if (fresh) {
      const rtts = this.burst.map((s) => s.rttMs);
      this.lastBurstRttMs = median(rtts);
      const mean = rtts.reduce((a, b) => a + b, 0) / rtts.length;
      this.lastBurstJitterMs = rtts.reduce((a, b) => a + Math.abs(b - mean), 0) / rtts.length;
      const current = bestEstimate(this.window);
      const disagreement = current ? Math.abs(fresh.offsetMs - current.offsetMs) : 0;
      // A congested burst (or one whose pongs waited behind a busy main thread)
      // can be off by up to rtt/2 without any clock having moved: only a
      // disagreement beyond that is a jump. A jump also replaces a window whose
      // first burst was the congested one (e.g. taken while the page loaded).
      if (current && disagreement > JUMP_THRESHOLD_MS && disagreement > fresh.rttMs / 2) {
        this.window = [];
        this.jumps += 1;
      }
      this.window = [...this.window, ...this.burst].slice(-WINDOW_SAMPLES);
      const estimate = bestEstimate(this.window)!;
      this.offsetMs = estimate.offsetMs;
      this.rttMs = estimate.rttMs;
      this.hasEstimate = true;
    }
    this.burst = [];
  }

  serverNow(localNowMs: number): number {
    return localNowMs + this.offsetMs;
  }

  toLocal(serverTimeMs: number): number {
    return serverTimeMs - this.offsetMs;
  }

  /** Seeds a rough offset from the welcome's `serverTime` until the first burst completes. */
  seed(serverTimeMs: number, localReceiveMs: number): void {
    if (this.hasEstimate) return;
    this.offsetMs = serverTimeMs - localReceiveMs;
  }
}

/** First re-estimate soon (the first burst may have met a busy network), then every 30 s. */
export const FIRST_REBURST_MS = 10_000;
export const STEADY_REBURST_MS = 30_000;

/**
 * Sends ping bursts on a schedule and feeds the pongs to an estimator.
 * `send` returns false when the socket is not open (the burst is abandoned).
 */
export class ClockSync {
  private timers: ReturnType<typeof setTimeout>[] = [];
  private outstanding = new Set<number>();
  /** Pings of the current burst not sent yet: the burst ends when none remain and all pongs are in. */
  private unsent = 0;
  private bursts = 0;
  private lastJumps = 0;
  private running = false;

  constructor(
    readonly estimator: ClockEstimator,
    private readonly send: (t0: number) => boolean,
    private readonly now: () => number,
    private readonly onEstimate: () => void = () => {},
  ) {}

  start(): void {
    this.stop();
    this.running = true;
    this.burst();
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.outstanding.clear();
  }

  /** Runs a burst now (e.g. the user pressed Resync), then resumes the schedule. */
  burstNow(): void {
    if (!this.running) return;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.burst();
  }

  onPong(t0: number, t1: number, t2: number): void {
    if (!this.outstanding.delete(t0)) return; // stale pong of an abandoned burst
    this.estimator.addSample(sampleFromPong(t0, t1, t2, this.now()));
    if (this.outstanding.size === 0 && this.unsent === 0) this.finish();
  }

  private burst(): void {
    this.outstanding.clear();
    this.unsent = SAMPLES_PER_BURST;
    for (let i = 0; i < SAMPLES_PER_BURST; i++) {
      this.timers.push(
        setTimeout(() => {
          this.unsent -= 1;
          // The contract's times are integer ms; rounding costs at most 0.5 ms.
          const t0 = Math.round(this.now());
          if (this.send(t0)) this.outstanding.add(t0);
        }, i * PING_SPACING_MS),
      );
    }
    // Pongs that never come (lost, or the socket dropped) must not stall the schedule.
    this.timers.push(setTimeout(() => this.finish(), SAMPLES_PER_BURST * PING_SPACING_MS + 2_000));
  }

  private finish(): void {
    if (!this.running) return;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.outstanding.clear();
    this.estimator.endBurst();
    this.bursts += 1;
    this.onEstimate();
    const jumped = this.estimator.jumps;
    const next = this.bursts === 1 || jumped > this.lastJumps ? FIRST_REBURST_MS : STEADY_REBURST_MS;
    this.lastJumps = jumped;
    this.timers.push(setTimeout(() => this.burst(), next));
  }
}
