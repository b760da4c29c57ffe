import { describe, expect, it } from "vitest";
import { PeerPreferences, type StorageLike } from "./preferences";

class MemoryStorage implements StorageLike {
  items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe("PeerPreferences", () => {
  it("starts at 100 % and unmuted", () => {
    expect(new PeerPreferences(new MemoryStorage()).get("u1")).toEqual({ volume: 1, muted: false });
  });

  it("remembers volume and local mute across pages, clamped to 0–200 %", () => {
    const storage = new MemoryStorage();
    new PeerPreferences(storage).update("u1", { volume: 5 });
    new PeerPreferences(storage).update("u1", { muted: true });
    expect(new PeerPreferences(storage).get("u1")).toEqual({ volume: 2, muted: true });
    expect(new PeerPreferences(storage).get("u2")).toEqual({ volume: 1, muted: false });
  });

  it("ignores broken stored values and storage that refuses writes", () => {
    const storage = new MemoryStorage();
    storage.setItem("syncwatch:voice:peer:u1", "{not json");
    expect(new PeerPreferences(storage).get("u1")).toEqual({ volume: 1, muted: false });
    const full: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    const preferences = new PeerPreferences(full);
    expect(preferences.update("u1", { volume: 0.5 })).toEqual({ volume: 0.5, muted: false });
    expect(preferences.get("u1").volume).toBe(0.5);
  });
});
