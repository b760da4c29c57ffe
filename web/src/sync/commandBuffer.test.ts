import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncCommand } from "../api/protocol";
import { playbackState } from "../test/fixtures";
import { CommandBuffer, GAP_WAIT_MS } from "./commandBuffer";

function command(seq: number): SyncCommand {
  return { type: "SEEK", sequenceNumber: seq, atServerTime: seq * 1000, issuedBy: "u", state: playbackState({ sequenceNumber: seq }) };
}

describe("CommandBuffer", () => {
  let applied: number[];
  let buffer: CommandBuffer;
  beforeEach(() => {
    vi.useFakeTimers();
    applied = [];
    buffer = new CommandBuffer((c) => applied.push(c.sequenceNumber));
  });
  afterEach(() => vi.useRealTimers());

  it("applies commands in sequence order even when they arrive shuffled", () => {
    buffer.reset(10);
    for (const seq of [13, 11, 12, 14]) buffer.receive(command(seq));
    expect(applied).toEqual([11, 12, 13, 14]);
  });

  it("drops duplicates and anything already contained in the welcome state", () => {
    buffer.reset(10);
    for (const seq of [9, 10, 11, 11, 12, 12]) buffer.receive(command(seq));
    expect(applied).toEqual([11, 12]);
  });

  it("holds commands behind a gap until the missing one arrives", () => {
    buffer.reset(1);
    buffer.receive(command(3));
    buffer.receive(command(4));
    expect(applied).toEqual([]);
    expect(buffer.waitingFor).toBe(2);
    vi.advanceTimersByTime(GAP_WAIT_MS - 1);
    buffer.receive(command(2));
    expect(applied).toEqual([2, 3, 4]);
    vi.advanceTimersByTime(GAP_WAIT_MS);
    expect(buffer.gapsSkipped).toBe(0);
  });

  it("skips a gap that never fills, since each command carries the whole state", () => {
    buffer.reset(1);
    buffer.receive(command(4));
    buffer.receive(command(5));
    vi.advanceTimersByTime(GAP_WAIT_MS);
    expect(applied).toEqual([4, 5]);
    expect(buffer.gapsSkipped).toBe(1);
    buffer.receive(command(3)); // the straggler is stale now
    expect(applied).toEqual([4, 5]);
  });
});
