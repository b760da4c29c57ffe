/**
 * Reconnect delays: exponential with "equal jitter" (half fixed, half random)
 * so five clients dropped by one server restart do not return in lockstep,
 * yet nobody waits less than half the nominal delay. Pure.
 */

export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
}

/** 0.5 s, 1 s, 2 s, … capped at 30 s: a restart (1012) usually heals within the first few tries. */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, factor: 2, maxMs: 30_000 };

export function backoffDelayMs(attempt: number, random: () => number = Math.random, policy = RECONNECT_BACKOFF): number {
  const nominal = Math.min(policy.maxMs, policy.baseMs * policy.factor ** Math.max(0, attempt));
  return nominal / 2 + random() * (nominal / 2);
}
