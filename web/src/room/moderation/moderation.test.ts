import { describe, expect, it } from "vitest";
import type { Participant, ServerMessage } from "../../api/protocol";
import { describeMuteEnd, emptyModeration, moderationAfter, mutedNotice, voiceModeration } from "./moderation";

const NOW = 1_700_000_000_000;

function after(...messages: ServerMessage[]) {
  return messages.reduce(moderationAfter, emptyModeration());
}

describe("moderation state", () => {
  it("keeps a member's own mutes by scope until they are lifted", () => {
    const muted = after({ type: "moderation:muted", data: { scope: "both", until: NOW + 300_000, by: "owner" } });
    expect(muted.chat).toEqual({ until: NOW + 300_000, by: "owner" });
    expect(muted.voice).toEqual({ until: NOW + 300_000, by: "owner" });
    const chatLifted = moderationAfter(muted, { type: "moderation:unmuted", data: { scope: "chat" } });
    expect(chatLifted.chat).toBeNull();
    expect(chatLifted.voice).not.toBeNull();
  });

  it("knows a mute for the session has no end", () => {
    expect(after({ type: "moderation:muted", data: { scope: "chat", by: "automod" } }).chat).toEqual({ until: null, by: "automod" });
  });

  it("keeps the automatic moderator's word about your own line, to show under the chat", () => {
    const warned = after({ type: "moderation:warning", data: { rule: "blocklist", action: "hide", message: "That message contains a word this server does not allow." } });
    expect(warned.warning).toBe("That message contains a word this server does not allow.");
  });

  it("keeps the owner's private list of shadow mutes from the welcome and its updates", () => {
    const state = after({ type: "room:moderation", data: { shadowMuted: ["u-bob"] } });
    expect(state.shadowMuted).toEqual(["u-bob"]);
    expect(moderationAfter(state, { type: "room:moderation", data: { shadowMuted: [] } }).shadowMuted).toEqual([]);
  });
});

describe("what a muted member is told", () => {
  it("says who muted what and for how long", () => {
    expect(mutedNotice({ scope: "chat", until: NOW + 5 * 60_000, by: "owner" }, NOW)).toBe("The owner muted your chat for 5 minutes.");
    expect(mutedNotice({ scope: "both", until: null, by: "owner" }, NOW)).toBe("The owner muted your chat and voice for the rest of this session.");
    expect(mutedNotice({ scope: "chat", until: NOW + 60_000, by: "automod" }, NOW)).toBe("The automatic moderator muted your chat for 1 minute.");
  });

  it("names the hour for long mutes", () => {
    expect(describeMuteEnd(NOW + 3 * 3600_000, NOW)).toMatch(/^until \d/);
    expect(describeMuteEnd(NOW + 3600_000, NOW)).toBe("for 60 minutes");
  });
});

describe("voice moderation from the people list", () => {
  const person = (participantId: string, voiceMuted?: boolean): Participant => ({ participantId, userId: participantId, username: participantId, role: "participant", ...(voiceMuted === undefined ? {} : { voiceMuted }) });

  it("closes my microphone when I am muted and silences every muted peer", () => {
    const people = [person("me", true), person("bob", true), person("cat", false), person("dan")];
    expect(voiceModeration(people, "me")).toEqual({ selfMuted: true, silencedPeers: ["bob"] });
    expect(voiceModeration(people, "cat")).toEqual({ selfMuted: false, silencedPeers: ["me", "bob"] });
  });
});

describe("a join the room's preset refuses", () => {
  it("ends the visit with the preset's reason before any socket opens", async () => {
    const { ApiError } = await import("../../api/problem");
    const { joinRefusal } = await import("../roomSession");
    for (const code of ["friends_only", "invitation_required", "guests_not_allowed", "banned"] as const) {
      expect(joinRefusal(new ApiError({ status: 403, code, title: "no" }))).toBe(code);
    }
    expect(joinRefusal(new ApiError({ status: 403, code: "wrong_password", title: "no" }))).toBeNull();
  });
});
