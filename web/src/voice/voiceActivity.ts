/**
 * Voice activity: a level from an AnalyserNode, and a gate that turns levels
 * into speaking / not speaking with a threshold the person can adjust. The
 * gate opens at once when the level crosses the threshold and closes only
 * after a short hangover, so words are not clipped between syllables.
 */

export const DEFAULT_VAD_THRESHOLD = 0.12;
export const HANGOVER_MS = 300;
export const SAMPLE_INTERVAL_MS = 50;

/** Mean of the byte frequency magnitudes, 0..1 (the spec's visualiser measure). */
export function levelFromFrequencyData(data: Uint8Array): number {
  if (data.length === 0) return 0;
  let sum = 0;
  for (const value of data) sum += value;
  return sum / data.length / 255;
}

export class SpeakingGate {
  private open = false;
  private lastLoudAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private threshold = DEFAULT_VAD_THRESHOLD,
    private readonly hangoverMs = HANGOVER_MS,
  ) {}

  get speaking(): boolean {
    return this.open;
  }

  get currentThreshold(): number {
    return this.threshold;
  }

  /** 0 is the most sensitive (any sound), 1 the least. */
  setThreshold(threshold: number): void {
    this.threshold = Math.min(1, Math.max(0, threshold));
  }

  /** Feed one level; returns whether the speaking state changed. */
  update(level: number, nowMs: number): boolean {
    const before = this.open;
    if (level >= this.threshold) {
      this.lastLoudAtMs = nowMs;
      this.open = true;
    } else if (this.open && nowMs - this.lastLoudAtMs >= this.hangoverMs) {
      this.open = false;
    }
    return this.open !== before;
  }
}

export interface LevelMeter {
  level(): number;
  dispose(): void;
}

/** A level meter over a MediaStream, through an AnalyserNode that goes nowhere. */
export function analyserMeter(context: AudioContext, stream: MediaStream): LevelMeter {
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 256;
  analyser.smoothingTimeConstant = 0.3;
  source.connect(analyser);
  const data = new Uint8Array(analyser.frequencyBinCount);
  return {
    level() {
      analyser.getByteFrequencyData(data);
      return levelFromFrequencyData(data);
    },
    dispose() {
      source.disconnect();
      analyser.disconnect();
    },
  };
}

/**
 * Samples a meter on a timer (not requestAnimationFrame, which stops in a
 * background tab while the call goes on) and reports speaking changes.
 */
export class VoiceActivityMonitor {
  readonly gate: SpeakingGate;
  private timer: ReturnType<typeof setInterval> | null = null;
  lastLevel = 0;

  constructor(
    private readonly meter: LevelMeter,
    private readonly onSpeaking: (speaking: boolean) => void,
    threshold = DEFAULT_VAD_THRESHOLD,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.gate = new SpeakingGate(threshold);
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
  }

  sample(): void {
    this.lastLevel = this.meter.level();
    if (this.gate.update(this.lastLevel, this.now())) this.onSpeaking(this.gate.speaking);
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.meter.dispose();
  }
}
