import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../api/protocol";
import { describeSystemEvent, mergeChat } from "./chatLog";

const line = (id: string, content = id): ChatMessage => ({ id, userId: "u", username: "ada", content, createdAt: 1 });

describe("chat history", () => {
  it("shows each line once when a resume resends history", () => {
    const before = [line("m1"), line("m2")];
    const merged = mergeChat(before, [line("m2"), line("m3"), line("m3")]);
    expect(merged.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect(mergeChat(merged, [line("m1")])).toBe(merged);
  });

  it("deduplicates system events without ids", () => {
    const sys: ChatMessage = { kind: "system", createdAt: 5, event: { type: "joined", username: "bob" } };
    expect(mergeChat([sys], [{ ...sys, event: { ...sys.event } }])).toHaveLength(1);
    expect(describeSystemEvent(sys.event)).toBe("bob joined");
  });

  it("words the server's system events", () => {
    expect(describeSystemEvent({ kind: "join", username: "ada" })).toBe("ada joined");
    expect(describeSystemEvent({ kind: "seek", username: "bob", position: 65_400 })).toBe("bob jumped to 1:05");
    expect(describeSystemEvent({ kind: "rate", username: "bob", rate: 1.5 })).toBe("bob set the speed to 1.5×");
    expect(describeSystemEvent({ kind: "ownership", username: "cat" })).toBe("cat is now the owner");
    expect(describeSystemEvent({ kind: "pause" })).toBe("Someone paused");
  });
});
