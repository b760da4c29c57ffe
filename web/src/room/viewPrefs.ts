/**
 * How this viewer likes the room laid out, remembered in this browser
 * (localStorage through zustand's `persist`): never shared with the room.
 */
import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";

export type RoomTab = "chat" | "people" | "voice";

interface ViewPrefs {
  /** Room events (joins, seeks, pauses…) between the chat lines. */
  showSystemLines: boolean;
  /** The people list beside the chat on wide screens. */
  peopleOpen: boolean;
  /** The tab below the video on narrow screens. */
  tab: RoomTab;
  /** Float the room's earlier reactions again when playback passes their moment. */
  replayReactions: boolean;
}

export const VIEW_PREFS_KEY = "sw_room_view";

export const useViewPrefs = create<ViewPrefs>()(
  persist((): ViewPrefs => ({ showSystemLines: true, peopleOpen: true, tab: "chat", replayReactions: true }), {
    name: VIEW_PREFS_KEY,
    version: 1,
    // Storage may be disabled (private mode, policies): then nothing is remembered.
    storage: createJSONStorage(() => localStorage),
  }),
);
