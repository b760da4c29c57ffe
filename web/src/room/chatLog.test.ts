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
});
