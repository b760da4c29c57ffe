import { describe, expect, it } from "vitest";
import { settingsChanges } from "./RoomSettingsForm";

const room = { name: "Movie night", maxParticipants: 4, playbackControl: "owner_only" as const, autoHandover: true, guestsMayChat: false };
const same = { name: "Movie night", maxParticipants: 4, playbackControl: "owner_only" as const, autoHandover: true, guestsMayChat: false, password: "", removePassword: false };

describe("the owner's settings form", () => {
  it("sends nothing when nothing changed", () => {
    expect(settingsChanges(room, same)).toEqual({});
    expect(settingsChanges(room, { ...same, name: "  Movie night " })).toEqual({});
  });

  it("sends only what changed", () => {
    expect(settingsChanges(room, { ...same, name: "Friday film", maxParticipants: 3, guestsMayChat: true })).toEqual({ name: "Friday film", maxParticipants: 3, guestsMayChat: true });
    expect(settingsChanges(room, { ...same, playbackControl: "all", autoHandover: false })).toEqual({ playbackControl: "all", autoHandover: false });
  });

  it("sets, changes or removes the password, never both", () => {
    expect(settingsChanges(room, { ...same, password: "hunter22" })).toEqual({ password: "hunter22" });
    expect(settingsChanges(room, { ...same, password: "hunter22", removePassword: true })).toEqual({ removePassword: true });
  });

  it("never sends an empty name", () => {
    expect(settingsChanges(room, { ...same, name: "   " })).toEqual({});
  });
});
