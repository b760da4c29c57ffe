/**
 * What to do when a peer connection goes wrong (spec 15.2.2). Pure: the peer
 * link reports what it saw and performs the returned action.
 *
 * - ICE `failed` (or `disconnected` for longer than the grace period): restart
 *   ICE, at most three times in a row.
 * - After that, or when a fresh connection does not connect in time (a wrong
 *   TURN credential leaves it at `new` forever): tear it down and build a new
 *   one after an exponential, jittered delay, with fresh ICE credentials.
 * - Reaching `connected` clears both counters. After ten full attempts, give up
 *   and tell the person.
 */

import { backoffDelayMs, type BackoffPolicy } from "../api/backoff";

export const MAX_ICE_RESTARTS = 3;
export const MAX_RECONNECTS = 10;
export const VOICE_BACKOFF: BackoffPolicy = { baseMs: 1_000, factor: 2, maxMs: 30_000 };
/** Chrome reports `disconnected` after ~5 s without STUN answers; give it this long to come back alone. */
export const DISCONNECTED_GRACE_MS = 2_500;
/** From a new RTCPeerConnection to `connected`; loopback takes ~50 ms, a slow TURN path ~2 s. */
export const CONNECT_TIMEOUT_MS = 12_000;

export type RecoveryTrigger = "ice_failed" | "disconnected" | "timeout";

export type RecoveryAction =
  | { kind: "restart_ice"; attempt: number }
  | { kind: "reconnect"; attempt: number; delayMs: number }
  | { kind: "give_up" };

export class RecoveryPolicy {
  private iceRestarts = 0;
  private reconnects = 0;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly policy: BackoffPolicy = VOICE_BACKOFF,
  ) {}

  get restartsSoFar(): number {
    return this.iceRestarts;
  }

  get reconnectsSoFar(): number {
    return this.reconnects;
  }

  connected(): void {
    this.iceRestarts = 0;
    this.reconnects = 0;
  }

  onTrouble(trigger: RecoveryTrigger): RecoveryAction {
    // A connection that never got going has no ICE session worth restarting.
    if (trigger !== "timeout" && this.iceRestarts < MAX_ICE_RESTARTS) {
      this.iceRestarts += 1;
      return { kind: "restart_ice", attempt: this.iceRestarts };
    }
    if (this.reconnects >= MAX_RECONNECTS) return { kind: "give_up" };
    const delayMs = backoffDelayMs(this.reconnects, this.random, this.policy);
    this.reconnects += 1;
    this.iceRestarts = 0;
    return { kind: "reconnect", attempt: this.reconnects, delayMs };
  }
}
