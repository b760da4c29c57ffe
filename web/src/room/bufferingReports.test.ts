import { describe, expect, it } from "vitest";
import type { PlayerAdapter } from "../sync/player";
import { STALL_REPORT_MS, SAMPLE_MS } from "../sync/stallWatch";
import { BufferingReporter, type EngineView } from "./bufferingReports";

function fakePlayer(): PlayerAdapter & { buffering: boolean; paused: boolean; ahead: number; position: number } {
  const player = {
    buffering: false,
    paused: false,
    ahead: 10_000,
    position: 0,
    currentTimeMs: () => player.position,
    durationMs: () => 60_000,
    isPaused: () => player.paused,
    isBuffering: () => player.buffering,
    bufferedAheadMs: () => player.ahead,
  };
  return player as never;
}

function setup() {
  const engine = { now: 0, advancing: true, attachedPlayer: null as PlayerAdapter | null, expected: null as number | null };
  const view: EngineView = {
    shouldAdvance: () => engine.advancing,
    expectedMs: () => engine.expected,
    localNow: () => engine.now,
    get attachedPlayer() {
      return engine.attachedPlayer;
    },
  };
  const reports: boolean[] = [];
  const connection = { up: true };
  const reporter = new BufferingReporter({
    engine: view,
    playerFailed: () => false,
    report: (stalled) => connection.up && reports.push(stalled) > 0,
    setInterval: () => 1 as never,
    clearInterval: () => undefined,
  });
  const advance = (ms: number) => {
    for (let t = 0; t < ms; t += SAMPLE_MS) {
      engine.now += SAMPLE_MS;
      reporter.sample();
    }
  };
  return { engine, reports, reporter, advance, connection };
}

describe("buffering reports", () => {
  it("a page still loading its video while the room plays reports a stall, then the recovery once it has buffered", () => {
    const { engine, reports, advance } = setup();
    advance(STALL_REPORT_MS + SAMPLE_MS);
    expect(reports).toEqual([true]);
    advance(1_000);
    expect(reports).toEqual([true]);
    // The room paused to wait; the player arrives with data.
    engine.advancing = false;
    const player = fakePlayer();
    player.paused = true;
    engine.attachedPlayer = player;
    advance(500);
    expect(reports).toEqual([true, false]);
  });

  it("reports nothing while the room is paused", () => {
    const { engine, reports, advance } = setup();
    engine.advancing = false;
    advance(3_000);
    expect(reports).toEqual([]);
  });

  it("a report that could not be sent is sent once the connection is back", () => {
    const { reports, advance, connection } = setup();
    connection.up = false;
    advance(1_000);
    expect(reports).toEqual([]);
    connection.up = true;
    advance(SAMPLE_MS);
    expect(reports).toEqual([true]);
  });

  it("still stalled when the room plays again after someone paused: says so again", () => {
    const { engine, reports, advance } = setup();
    advance(STALL_REPORT_MS + SAMPLE_MS);
    engine.advancing = false; // the owner paused: the room forgot the stall
    advance(1_000);
    engine.advancing = true;
    advance(SAMPLE_MS);
    expect(reports).toEqual([true, true]);
  });

  it("stopping while stalled tells the room it need not wait", () => {
    const { reports, reporter, advance } = setup();
    advance(STALL_REPORT_MS + SAMPLE_MS);
    reporter.stop();
    expect(reports).toEqual([true, false]);
  });
});
