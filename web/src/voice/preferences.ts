/**
 * Per-peer listening preferences (volume, local mute) kept across calls and
 * reloads in the browser's storage, keyed by the peer's participant id (the
 * user id, stable for registered users). Storage is injected; a failing or
 * missing storage (private mode, quota) only means nothing is remembered.
 */

import { clampVolume } from "./audio";

export interface PeerPreference {
  volume: number;
  muted: boolean;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const DEFAULT: PeerPreference = { volume: 1, muted: false };
const PREFIX = "syncwatch:voice:peer:";

export class PeerPreferences {
  private readonly memory = new Map<string, PeerPreference>();

  constructor(private readonly storage: StorageLike | null = defaultStorage()) {}

  get(peerId: string): PeerPreference {
    const known = this.memory.get(peerId);
    if (known) return known;
    const stored = this.read(peerId);
    this.memory.set(peerId, stored);
    return stored;
  }

  update(peerId: string, change: Partial<PeerPreference>): PeerPreference {
    const next = { ...this.get(peerId), ...change };
    next.volume = clampVolume(next.volume);
    this.memory.set(peerId, next);
    try {
      this.storage?.setItem(PREFIX + peerId, JSON.stringify(next));
    } catch {
      // Remembered for this page only.
    }
    return next;
  }

  private read(peerId: string): PeerPreference {
    try {
      const raw = this.storage?.getItem(PREFIX + peerId);
      if (!raw) return DEFAULT;
      const parsed = JSON.parse(raw) as Partial<PeerPreference>;
      return {
        volume: typeof parsed.volume === "number" ? clampVolume(parsed.volume) : DEFAULT.volume,
        muted: parsed.muted === true,
      };
    } catch {
      return DEFAULT;
    }
  }
}

function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage !== "undefined" ? localStorage : null;
  } catch {
    return null;
  }
}
