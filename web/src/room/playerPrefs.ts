/** This viewer's own player settings (never shared with the room). */
import { create } from "zustand";

interface PlayerPrefs {
  muted: boolean;
  volume: number;
  debugOpen: boolean;
  /** The subtitle track this viewer shows (by address), or null for none. */
  subtitleUrl: string | null;
}

export const usePlayerPrefs = create<PlayerPrefs>(() => ({ muted: false, volume: 1, debugOpen: false, subtitleUrl: null }));
