import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../api/protocol";
import { chatRows, describeSystemEvent, linkify, mergeChat } from "./chatLog";

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
    expect(describeSystemEvent({ kind: "pause" })).toBe("The room paused");
    expect(describeSystemEvent({ kind: "pause", waitingFor: ["bob"] })).toBe("The room paused to wait for bob");
    expect(describeSystemEvent({ kind: "pause", waitingFor: ["bob", "cat", "dan"] })).toBe("The room paused to wait for bob, cat and dan");
    expect(describeSystemEvent({ kind: "settings", username: "ada", changes: { name: "Friday film", maxParticipants: 3, password: "set", guestsMayChat: true } })).toBe(
      "ada changed the room: name “Friday film” · 3 seats · password set · guests may write",
    );
    expect(describeSystemEvent({ kind: "media_failed", username: "bob", reason: "not_found" })).toBe("bob can't play this video: the link is dead (not found). Pick another one?");
    expect(describeSystemEvent({ kind: "media_failed", username: "bob", reason: "not_seekable" })).toBe(
      "bob can play this video only from the start: its server doesn't allow jumping in it (no range requests). Upload the file to jump around in it",
    );
    expect(describeSystemEvent({ kind: "settings", username: "ada", changes: { privacy: "private", automod: "changed" } })).toBe(
      "ada changed the room: who can join: invited people only · the automatic moderator's rules",
    );
    expect(describeSystemEvent({ kind: "automod", username: "bob", action: "hide", rule: "blocklist" })).toBe("The automatic moderator hid bob's message (a blocked word)");
    expect(describeSystemEvent({ kind: "automod", username: "bob", action: "warn", rule: "repeats" })).toBe("The automatic moderator warned bob (repeated messages)");
  });
});

const system = (id: string, event: Record<string, unknown>): ChatMessage => ({ id, kind: "system", createdAt: 1, event });

describe("chat rows", () => {
  it("folds a run of the same person's seeks into one line that reads as the latest", () => {
    const rows = chatRows(
      [
        system("s1", { kind: "seek", userId: "a", username: "alice", position: 5_000 }),
        system("s2", { kind: "seek", userId: "a", username: "alice", position: 10_000 }),
        system("s3", { kind: "seek", userId: "a", username: "alice", position: 30_000 }),
        system("s4", { kind: "seek", userId: "a", username: "alice", position: 47_000 }),
      ],
      true,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "system", text: "alice jumped to 0:47", count: 4 });
  });

  it("keeps different people, different kinds and anything said in between apart", () => {
    const rows = chatRows(
      [
        system("s1", { kind: "seek", userId: "a", username: "alice", position: 1_000 }),
        system("s2", { kind: "seek", userId: "b", username: "bob", position: 2_000 }),
        system("s3", { kind: "pause", userId: "b", username: "bob" }),
        line("m1", "hello"),
        system("s4", { kind: "pause", userId: "b", username: "bob" }),
        system("s5", { kind: "join", userId: "c", username: "cat" }),
        system("s6", { kind: "join", userId: "c", username: "cat" }),
      ],
      true,
    );
    expect(rows.map((r) => (r.kind === "user" ? r.message.content : `${r.text}×${r.count}`))).toEqual([
      "alice jumped to 0:01×1",
      "bob jumped to 0:02×1",
      "bob paused×1",
      "hello",
      "bob paused×1",
      "cat joined×1",
      "cat joined×1",
    ]);
  });

  it("leaves room events out when they are hidden", () => {
    const rows = chatRows([system("s1", { kind: "play", username: "ada" }), line("m1", "hi"), system("s2", { kind: "pause" })], false);
    expect(rows.map((r) => r.kind)).toEqual(["user"]);
  });
});

describe("links in chat", () => {
  it("turns http and https addresses into links and keeps the rest as text", () => {
    expect(linkify("see https://example.org/a?b=1 and http://x.test.")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.org/a?b=1", href: "https://example.org/a?b=1" },
      { kind: "text", text: " and " },
      { kind: "link", text: "http://x.test", href: "http://x.test/" },
      { kind: "text", text: "." },
    ]);
  });

  it("never links other schemes and never reads markup", () => {
    for (const text of ["javascript:alert(1)", "data:text/html,<b>x</b>", "<a href='https://evil.test'>x</a>", "ftp://files.test/a"]) {
      const segments = linkify(text);
      const links = segments.filter((s) => s.kind === "link");
      for (const link of links) expect(link.href.startsWith("https://evil.test")).toBe(true);
      expect(segments.map((s) => s.text).join("")).toBe(text);
    }
    expect(linkify("javascript:alert(1)")).toEqual([{ kind: "text", text: "javascript:alert(1)" }]);
  });

  it("keeps a parenthesis the address opened and drops one the sentence opened", () => {
    expect(linkify("(https://en.wikipedia.org/wiki/Film_(genre))").filter((s) => s.kind === "link")[0]?.text).toBe("https://en.wikipedia.org/wiki/Film_(genre)");
    expect(linkify("(see https://a.test/x)").filter((s) => s.kind === "link")[0]?.text).toBe("https://a.test/x");
  });
});
