/**
 * Keeps one player on the room's timeline. Plain TypeScript, no React.
 *
 * - `reset(state)` takes the welcome's state as the base;
 * - `receive(command)` orders commands by sequence number (CommandBuffer),
 *   then makes each effective at its `atServerTime`, converted to local time
 *   with the clock offset: scheduled when in the future, applied at once
 *   when late (the expected position already includes the lateness);
 * - every tick measures drift = player position − expected position and lets
 *   the DriftController pick a correction, which the engine performs.
 *
 * Ticks fall on a grid of server time (every TICK_MS from the epoch), so all
 * members of a room measure and decide at the same instants: members that
 * drifted alike (the same player on similar machines) then correct alike and
 * stay on the same frame, instead of each landing its own correction at its
 * own moment.
 */
import type { PlaybackState, SyncCommand } from "../api/protocol";
import type { LocalClock } from "./clock";
import type { ClockEstimator } from "./clockEstimator";
import { CommandBuffer } from "./commandBuffer";
import { DriftController, type Correction } from "./driftController";
import { DriftTimeline } from "./driftTimeline";
import type { PlayerAdapter } from "./player";
import { expectedPositionMs, isPlayingAt } from "./playback";

/** Control loop period: 4 samples a second is enough for corrections that take seconds. */
export const TICK_MS = 250;
/** A tick timer that fired this close before the next grid instant skips it (no double samples). */
const MIN_TICK_GAP_MS = TICK_MS / 5;
/** A paused player this close to the anchor is left alone (a frame at 60 fps is 16.7 ms). */
const PAUSED_TOLERANCE_MS = 20;

export interface SyncEngineOptions {
  clock: ClockEstimator;
  now: LocalClock;
  /** A command (or the welcome base) took effect. */
  onState?: (state: PlaybackState, command: SyncCommand | null) => void;
  /** The browser refused to start playback without a click (autoplay policy). */
  onNeedsGesture?: (needed: boolean) => void;
}

export interface SyncStats {
  driftMs: number | null;
  expectedMs: number | null;
  mediaTimeMs: number | null;
  durationMs: number | null;
  playerKind: string | null;
  playbackRate: number | null;
  bufferAheadMs: number | null;
  lastAppliedSeq: number;
  lastCommand: string | null;
  controllerMode: string;
  seekLeadMs: number | null;
  /** Learned net cost of one rate hold, by direction and base rate ("1@1": faster at 1×). */
  holdCostMs: Record<string, number> | null;
  corrections: { rate: number; seek: number };
  gapsSkipped: number;
}

export class SyncEngine {
  state: PlaybackState | null = null;
  lastCommand: SyncCommand | null = null;
  driftMs: number | null = null;
  needsUserGesture = false;
  /** Recent drift, for the diagnostics overlay. */
  readonly timeline = new DriftTimeline();

  private player: PlayerAdapter | null = null;
  private controller: DriftController | null = null;
  private readonly buffer: CommandBuffer;
  private scheduled: SyncCommand[] = [];

  /** The state the room is heading to: the last command received, even if it takes effect later. */
  get latestState(): PlaybackState | null {
    return this.scheduled.at(-1)?.state ?? this.state;
  }
  private scheduleTimer: ReturnType<typeof setTimeout> | null = null;
  private tickTimer: ReturnType<typeof setTimeout> | null = null;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private playAttempt: Promise<void> | null = null;

  constructor(private readonly options: SyncEngineOptions) {
    this.buffer = new CommandBuffer((command) => this.enqueue(command));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.armTick();
  }

  stop(): void {
    this.running = false;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    this.clearHoldTimer();
    this.tickTimer = null;
    this.scheduleTimer = null;
    this.buffer.dispose();
  }

  /** Arms the next tick on the server-time grid (see the module comment). */
  private armTick(): void {
    const serverNow = this.options.clock.serverNow(this.options.now());
    let delay = TICK_MS - (((serverNow % TICK_MS) + TICK_MS) % TICK_MS);
    if (delay < MIN_TICK_GAP_MS) delay += TICK_MS;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = null;
      if (!this.running) return;
      this.tick();
      this.armTick();
    }, delay);
  }

  get lastAppliedSeq(): number {
    return this.state?.sequenceNumber ?? 0;
  }

  /** The welcome state is the base; commands up to its sequence number are in it. */
  reset(state: PlaybackState): void {
    this.scheduled = this.scheduled.filter((c) => c.sequenceNumber > state.sequenceNumber);
    this.buffer.reset(state.sequenceNumber);
    this.state = state;
    this.lastCommand = null;
    this.controller?.reset(this.options.now());
    this.options.onState?.(state, null);
    this.align();
  }

  receive(command: SyncCommand): void {
    this.buffer.receive(command);
  }

  /** The room learnt its video's length (`sync:duration`): positions stop there from now on. */
  learnDuration(sourceId: string, durationMs: number): void {
    const state = this.state;
    if (!state || state.sourceId !== sourceId) return;
    this.state = { ...state, durationMs };
    this.scheduled = this.scheduled.map((c) => (c.state.sourceId === sourceId ? { ...c, state: { ...c.state, durationMs } } : c));
    this.options.onState?.(this.state, null);
  }

  attach(player: PlayerAdapter): void {
    this.player = player;
    const previous = this.controller;
    this.controller = new DriftController(player.tuning);
    // The same kind of player keeps what it learned about its seek latency.
    if (previous && previous.tuning === player.tuning) {
      this.controller.seekLeadMs = previous.seekLeadMs;
      this.controller.holdCostMs = { ...previous.holdCostMs };
    }
    this.align();
  }

  get attachedPlayer(): PlayerAdapter | null {
    return this.player;
  }

  detach(): void {
    this.clearHoldTimer();
    this.player = null;
    this.driftMs = null;
  }

  /** The Resync button: land on the expected position now, whatever the dead band says. */
  resync(): void {
    this.align(true);
  }

  localNow(): number {
    return this.options.now();
  }

  serverNow(): number {
    return this.options.clock.serverNow(this.options.now());
  }

  expectedMs(): number | null {
    return this.state ? expectedPositionMs(this.state, this.serverNow()) : null;
  }

  /**
   * The room plays now and this page should be playing with it: it has a
   * source, is not at its end and awaits no click (the wait for buffering
   * asks this; a page that cannot follow then is stalled).
   */
  shouldAdvance(): boolean {
    const state = this.state;
    if (!state?.sourceId || this.needsUserGesture) return false;
    const serverNow = this.serverNow();
    return isPlayingAt(state, serverNow) && !this.atEnd(this.player, expectedPositionMs(state, serverNow));
  }

  stats(): SyncStats {
    const p = this.player;
    return {
      driftMs: this.driftMs,
      expectedMs: this.expectedMs(),
      mediaTimeMs: p ? p.currentTimeMs() : null,
      durationMs: p ? p.durationMs() : null,
      playerKind: p ? p.kind : null,
      playbackRate: p ? p.playbackRate() : null,
      bufferAheadMs: p ? p.bufferedAheadMs() : null,
      lastAppliedSeq: this.lastAppliedSeq,
      lastCommand: this.lastCommand ? `${this.lastCommand.type} #${this.lastCommand.sequenceNumber}` : null,
      controllerMode: this.controller?.mode ?? "none",
      seekLeadMs: this.controller?.seekLeadMs ?? null,
      holdCostMs: this.controller ? { ...this.controller.holdCostMs } : null,
      corrections: this.controller ? { ...this.controller.corrections } : { rate: 0, seek: 0 },
      gapsSkipped: this.buffer.gapsSkipped,
    };
  }

  /** One control-loop step (normally driven by `start()`; tests may call it). */
  tick(): void {
    this.runSchedule();
    const { player, state, controller } = this;
    if (!player || !state || !controller) return;
    const now = this.options.now();
    const serverNow = this.options.clock.serverNow(now);
    const expected = expectedPositionMs(state, serverNow);
    const playing = isPlayingAt(state, serverNow);
    const atEnd = this.atEnd(player, expected);

    if (playing && player.isPaused() && !atEnd && !this.needsUserGesture && !this.playAttempt) {
      this.align(); // a scheduled start was reached, or the player stopped on its own
      return;
    }
    if (!playing && !player.isPaused()) {
      this.align();
      return;
    }

    const frameMs = player.frameDurationMs?.() ?? null;
    // At the end there is nothing to keep in step: the room stops there, so no drift is shown.
    this.driftMs = atEnd ? 0 : this.positionMs(player, now, state.playbackRate, frameMs) - expected;
    const active = playing && !atEnd && !player.isPaused() && !player.isBuffering();
    const correction = controller.update({ nowMs: now, driftMs: this.driftMs, baseRate: state.playbackRate, active, frameMs });
    this.timeline.record(now, this.driftMs, correction.kind === "rate" ? "rate" : correction.kind === "seek" ? "seek" : undefined);
    this.perform(correction, expected, state.playbackRate);
  }

  // ------------------------------------------------------------------ internals

  /**
   * Where the player is: the picture on screen where the player reports it, else its
   * clock. A frame with media time m stays on screen while the clock runs from m to
   * m + one frame. At 1× every refresh shows the frame at the same point of that
   * interval, so a reading of m is off by the same amount on every page and pages
   * compare alike. At other rates the point moves from frame to frame (at 1.25× on a
   * 60 Hz display one frame in five is skipped), the averaged reading then lies half a
   * frame behind the clock, and `offUnityFrameCentre` puts it back.
   */
  private positionMs(player: PlayerAdapter, nowMs: number, baseRate: number, frameMs: number | null): number {
    const picture = player.presentedPositionMs?.(nowMs) ?? null;
    if (picture === null) return player.currentTimeMs();
    return baseRate === 1 ? picture : picture + (frameMs ?? 0) * player.tuning.offUnityFrameCentre;
  }

  private enqueue(command: SyncCommand): void {
    this.scheduled.push(command);
    this.scheduled.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    this.runSchedule();
  }

  /** Makes due commands effective in sequence order; arms a timer for the next one. */
  private runSchedule(): void {
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    this.scheduleTimer = null;
    while (this.scheduled.length) {
      const head = this.scheduled[0]!;
      const delay = this.options.clock.toLocal(head.atServerTime) - this.options.now();
      if (delay > 0) {
        this.scheduleTimer = setTimeout(() => this.runSchedule(), delay);
        return;
      }
      this.scheduled.shift();
      this.makeEffective(head);
    }
  }

  private makeEffective(command: SyncCommand): void {
    this.state = command.state;
    this.lastCommand = command;
    this.controller?.reset(this.options.now());
    this.options.onState?.(command.state, command);
    this.align();
  }

  /**
   * Brings the player to the state at once: rate, pause/play, and a seek when
   * it is off by the seek threshold or more (or always, when forced).
   */
  private align(force = false): void {
    this.clearHoldTimer();
    const { player, state, controller } = this;
    if (!player || !state || !controller) return;
    const now = this.options.now();
    const serverNow = this.options.clock.serverNow(now);
    const expected = expectedPositionMs(state, serverNow);
    if (player.playbackRate() !== state.playbackRate) player.setPlaybackRate(state.playbackRate);

    if (!isPlayingAt(state, serverNow)) {
      if (!player.isPaused()) player.pause();
      if (force || Math.abs(player.currentTimeMs() - expected) > PAUSED_TOLERANCE_MS) player.seek(expected);
      controller.reset(now);
      return;
    }
    if (this.atEnd(player, expected)) return;
    const drift = player.currentTimeMs() - expected;
    // Smaller drift is the controller's, with a hold: a seek would stop the picture.
    if (force || Math.abs(drift) >= controller.tuning.seekThresholdMs) {
      player.seek(expected + controller.seekLeadMs * state.playbackRate);
      controller.noteSeek(now);
    } else {
      controller.reset(now);
    }
    if (player.isPaused()) this.startPlayback(player);
  }

  private startPlayback(player: PlayerAdapter): void {
    const attempt = player.play().then(
      () => this.setNeedsGesture(false),
      () => this.setNeedsGesture(true),
    );
    this.playAttempt = attempt;
    void attempt.finally(() => {
      if (this.playAttempt === attempt) this.playAttempt = null;
    });
  }

  /** Called after the user clicked "start playback" (autoplay was refused). */
  userGesture(): void {
    this.setNeedsGesture(false);
    this.align();
  }

  private setNeedsGesture(needed: boolean): void {
    if (this.needsUserGesture === needed) return;
    this.needsUserGesture = needed;
    this.options.onNeedsGesture?.(needed);
  }

  private perform(correction: Correction, expected: number, baseRate: number): void {
    const player = this.player;
    if (!player) return;
    switch (correction.kind) {
      case "rate":
        player.setPlaybackRate(correction.rate);
        // The hold's length is the correction: end it on time, not at the next tick.
        this.clearHoldTimer();
        this.holdTimer = setTimeout(() => this.endHold(), correction.holdMs);
        break;
      case "restore_rate":
        this.clearHoldTimer();
        player.setPlaybackRate(correction.rate);
        break;
      case "seek":
        player.seek(expected + correction.leadMs * baseRate);
        break;
    }
  }

  private endHold(): void {
    this.holdTimer = null;
    const { controller, state } = this;
    if (!controller || !state) return;
    const correction = controller.endHold(this.options.now(), state.playbackRate);
    if (correction.kind !== "none") this.perform(correction, 0, state.playbackRate);
  }

  private clearHoldTimer(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
  }

  private atEnd(player: PlayerAdapter | null, expected: number): boolean {
    const lengths = [player?.durationMs() ?? null, this.state?.durationMs ?? null].filter((d): d is number => d !== null && d > 0);
    return lengths.length > 0 && expected >= Math.min(...lengths) - 50;
  }
}
