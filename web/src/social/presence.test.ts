import { describe, expect, it } from "vitest";
import { activityLine, canJoin, shouldReportActivity, sortFriends } from "./presence";

const activity = { roomCode: "ABCDEFGH", roomName: "Friday film", members: 2, maxMembers: 5 };

describe("friends' presence", () => {
  it("reads as watching a room with its head count", () => {
    expect(activityLine(activity)).toBe("watching Friday film · 2 of 5");
    expect(activityLine(undefined)).toBeNull();
  });

  it("offers to join a shown room unless it is full or you are in it", () => {
    expect(canJoin(activity, null)).toBe(true);
    expect(canJoin({ ...activity, members: 5 }, null)).toBe(false);
    expect(canJoin(activity, "ABCDEFGH")).toBe(false);
    expect(canJoin(undefined, null)).toBe(false);
  });

  it("lists online friends first, then busy, away and offline", () => {
    const sorted = sortFriends([
      { username: "zoe", status: "offline" as const },
      { username: "bob", status: "away" as const },
      { username: "cat", status: "online" as const },
      { username: "ann", status: "busy" as const },
      { username: "abe", status: "online" as const },
    ]);
    expect(sorted.map((f) => f.username)).toEqual(["abe", "cat", "ann", "bob", "zoe"]);
  });

  it("reports activity at most once a minute", () => {
    expect(shouldReportActivity(0, null)).toBe(true);
    expect(shouldReportActivity(59_999, 0)).toBe(false);
    expect(shouldReportActivity(60_000, 0)).toBe(true);
  });
});
