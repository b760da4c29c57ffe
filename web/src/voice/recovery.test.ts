import { describe, expect, it } from "vitest";
import { MAX_ICE_RESTARTS, MAX_RECONNECTS, RecoveryPolicy } from "./recovery";

describe("RecoveryPolicy", () => {
  it("restarts ICE three times, then reconnects fully with growing delays", () => {
    const policy = new RecoveryPolicy(() => 1); // no jitter: the nominal delay
    const actions = Array.from({ length: MAX_ICE_RESTARTS + 3 }, () => policy.onTrouble("ice_failed"));
    expect(actions.slice(0, 3)).toEqual([
      { kind: "restart_ice", attempt: 1 },
      { kind: "restart_ice", attempt: 2 },
      { kind: "restart_ice", attempt: 3 },
    ]);
    expect(actions[3]).toEqual({ kind: "reconnect", attempt: 1, delayMs: 1_000 });
    // A new connection gets its own three ICE restarts before the next reconnection.
    expect(actions[4]).toEqual({ kind: "restart_ice", attempt: 1 });
  });

  it("doubles the reconnection delay up to 30 s, with jitter never below half", () => {
    const nominal = new RecoveryPolicy(() => 1);
    const delays = Array.from({ length: 7 }, () => nominal.onTrouble("timeout")).map((a) => (a.kind === "reconnect" ? a.delayMs : -1));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    const low = new RecoveryPolicy(() => 0);
    expect(low.onTrouble("timeout")).toEqual({ kind: "reconnect", attempt: 1, delayMs: 500 });
  });

  it("does not restart ICE on a connection that never connected (a timeout)", () => {
    const policy = new RecoveryPolicy(() => 1);
    expect(policy.onTrouble("timeout").kind).toBe("reconnect");
  });

  it("gives up after ten full reconnections", () => {
    const policy = new RecoveryPolicy(() => 1);
    const kinds = Array.from({ length: MAX_RECONNECTS + 1 }, () => policy.onTrouble("timeout").kind);
    expect(kinds.filter((k) => k === "reconnect")).toHaveLength(MAX_RECONNECTS);
    expect(kinds.at(-1)).toBe("give_up");
  });

  it("starts over once the connection is up again", () => {
    const policy = new RecoveryPolicy(() => 1);
    for (let i = 0; i < 5; i += 1) policy.onTrouble("ice_failed");
    policy.connected();
    expect(policy.onTrouble("disconnected")).toEqual({ kind: "restart_ice", attempt: 1 });
    expect(policy.reconnectsSoFar).toBe(0);
  });
});
