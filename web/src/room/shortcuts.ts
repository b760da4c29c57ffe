/**
 * Room keyboard shortcuts: which key does what. Pure, so it is tested
 * without a DOM; `useRoomShortcuts` wires it to the window.
 */

export type ShortcutAction = "toggle_play" | "back" | "forward" | "mute" | "fullscreen" | "debug";

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** Tag name of the focused element, and whether it is editable. */
  targetTag?: string;
  targetEditable?: boolean;
}

const TYPING_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey && event.shiftKey && !event.altKey && (event.key === "D" || event.key === "d")) return "debug";
  // Keys typed into a field belong to the field; buttons keep their own Space.
  if (event.targetEditable || (event.targetTag && TYPING_TAGS.has(event.targetTag))) return null;
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case " ":
    case "Spacebar":
      return event.targetTag === "BUTTON" ? null : "toggle_play";
    case "ArrowLeft":
      return "back";
    case "ArrowRight":
      return "forward";
    case "m":
    case "M":
      return "mute";
    case "f":
    case "F":
      return "fullscreen";
    default:
      return null;
  }
}
