import { useEffect } from "react";
import { pushNotice } from "../store/room";
import { usePlayerPrefs } from "./playerPrefs";
import { SEEK_STEP_MS } from "./PlayerControls";
import type { RoomSession } from "./roomSession";
import { shortcutFor } from "./shortcuts";

export function useRoomShortcuts(session: RoomSession, canControl: boolean, onFullscreen: () => void): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      const action = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        shiftKey: event.shiftKey,
        altKey: event.altKey,
        metaKey: event.metaKey,
        targetTag: target?.tagName,
        targetEditable: target?.isContentEditable ?? false,
      });
      if (!action) return;
      event.preventDefault();
      const needsControl = action === "toggle_play" || action === "back" || action === "forward";
      if (needsControl && !canControl) {
        pushNotice("Only people with playback control can do that.");
        return;
      }
      switch (action) {
        case "toggle_play":
          void session.togglePlay();
          break;
        case "back":
          void session.seekBy(-SEEK_STEP_MS);
          break;
        case "forward":
          void session.seekBy(SEEK_STEP_MS);
          break;
        case "mute":
          usePlayerPrefs.setState((s) => ({ muted: !s.muted }));
          break;
        case "fullscreen":
          onFullscreen();
          break;
        case "debug":
          usePlayerPrefs.setState((s) => ({ debugOpen: !s.debugOpen }));
          break;
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [session, canControl, onFullscreen]);
}
