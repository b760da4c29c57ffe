import { describe, expect, it } from "vitest";
import type { ReadyCheckView, VoteView } from "../api/protocol";
import { playbackState } from "../test/fixtures";
import { listNames, myVote, readyCheckText, secondsLeft, voteLabel, voteText, waitingFor } from "./together";

const people = [
  { participantId: "a", username: "Alice" },
  { participantId: "b", username: "Bob" },
  { participantId: "c", username: "Carol" },
];

const check = (over: Partial<ReadyCheckView> = {}): ReadyCheckView => ({
  checkId: "k",
  status: "open",
  askedBy: "a",
  endsAt: 30_000,
  ready: ["a"],
  waitingFor: ["b", "c"],
  ...over,
});

const vote = (over: Partial<VoteView> = {}): VoteView => ({
  voteId: "v",
  action: "pause",
  status: "open",
  startedBy: "b",
  endsAt: 20_000,
  yes: ["b"],
  no: [],
  needed: 2,
  eligible: 3,
  ...over,
});

describe("ready check words", () => {
  it("tells who isn't ready yet", () => {
    expect(readyCheckText(check(), people)).toBe("Ready 1/3 · waiting for Bob and Carol");
    expect(readyCheckText(check({ status: "timed_out", waitingFor: ["c"] }), people)).toBe("Not everyone answered: Carol isn't ready.");
    expect(readyCheckText(check({ status: "started_anyway", waitingFor: ["b"] }), people, "b")).toBe("Started without waiting for you.");
  });
  it("lists three names with commas", () => {
    expect(listNames(people, ["a", "b", "c"])).toBe("Alice, Bob and Carol");
  });
});

describe("vote words", () => {
  it("shows the tally while open and the result after", () => {
    expect(voteText(vote(), people)).toBe("Bob asked to pause · 1 of 2 needed");
    expect(voteText(vote({ status: "passed", yes: ["b", "c"] }), people)).toBe("Vote passed (2 of 3): pausing.");
    expect(voteText(vote({ status: "failed", no: ["a", "c"], action: "resume" }), people)).toBe("Vote to resume failed (2 against).");
  });
  it("knows how I voted", () => {
    expect(myVote(vote(), "b")).toBe("yes");
    expect(myVote(vote({ no: ["c"] }), "c")).toBe("no");
    expect(myVote(vote(), "a")).toBeNull();
  });
  it("counts whole seconds down to zero", () => {
    expect(secondsLeft(20_000, 5_500)).toBe(15);
    expect(secondsLeft(20_000, 25_000)).toBe(0);
  });
});

describe("the vote a member may start", () => {
  const at = (overrides: Parameters<typeof playbackState>[0]) => playbackState({ anchorServerTimeMs: 1_000, durationMs: 30_000, ...overrides });
  it("pauses a playing room and plays a paused one, naming how", () => {
    expect(voteLabel(at({ isPlaying: true, anchorMediaTimeMs: 5_000 }), 2_000)).toBe("Vote to pause");
    expect(voteLabel(at({ isPlaying: false, anchorMediaTimeMs: 0 }), 2_000)).toBe("Vote to play");
    expect(voteLabel(at({ isPlaying: false, anchorMediaTimeMs: 12_000 }), 2_000)).toBe("Vote to resume");
    expect(voteLabel(at({ isPlaying: false, anchorMediaTimeMs: 30_000 }), 2_000)).toBe("Vote to replay");
  });
});

describe("waiting for buffering", () => {
  it("names whom the room waits for, and tells a member left out", () => {
    expect(waitingFor({ waitingFor: ["b"] }, people)).toBe("Waiting for Bob…");
    expect(waitingFor({ waitingFor: [], leftOut: ["c"] }, people, "c")).toMatch(/won't wait for you/);
    expect(waitingFor({ waitingFor: [] }, people)).toBeNull();
  });
});
