import { describe, expect, it } from "vitest";
import { normalizeParticipants } from "./normalize";

describe("participants as the server may spell them", () => {
  it("keeps the contract's own spelling", () => {
    expect(normalizeParticipants([{ participantId: "p1", userId: "u1", username: "ada", role: "owner", away: false, canControl: true }])).toEqual([
      { participantId: "p1", userId: "u1", username: "ada", role: "owner", away: false, canControl: true },
    ]);
  });

  it("keeps who is in the voice call", () => {
    const [inCall, notInCall] = normalizeParticipants([
      { participantId: "p1", userId: "u1", username: "ada", role: "owner", inVoice: true },
      { participantId: "p2", userId: "u2", username: "bob", role: "participant", inVoice: false },
    ]);
    expect(inCall?.inVoice).toBe(true);
    expect(notInCall?.inVoice).toBe(false);
  });

  it("reads plausible alternatives and drops junk", () => {
    const [p] = normalizeParticipants([{ id: "p2", userId: "u2", nickname: "bob", isGuest: true, presence: "away", hasControl: false }, null, 3]);
    expect(p).toEqual({ participantId: "p2", userId: "u2", username: "bob", role: "participant", away: true, canControl: false, guest: true });
    expect(normalizeParticipants("nope")).toEqual([]);
  });
});

describe("moderation in the people list", () => {
  it("keeps mutes, their ends and raised hands", () => {
    const [p] = normalizeParticipants([{ participantId: "p1", userId: "u1", username: "bo", role: "participant", chatMuted: true, chatMutedUntil: 1700000300000, voiceMuted: true, voiceMutedUntil: null, handRaised: true }]);
    expect(p).toMatchObject({ chatMuted: true, chatMutedUntil: 1700000300000, voiceMuted: true, handRaised: true });
    expect(p?.voiceMutedUntil).toBeUndefined();
  });
});
