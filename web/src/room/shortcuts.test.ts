import { describe, expect, it } from "vitest";
import { shortcutFor, type KeyLike } from "./shortcuts";

const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, targetTag: "BODY", ...extra });

describe("room shortcuts", () => {
  it("maps the documented keys", () => {
    expect(shortcutFor(key(" "))).toBe("toggle_play");
    expect(shortcutFor(key("ArrowLeft"))).toBe("back");
    expect(shortcutFor(key("ArrowRight"))).toBe("forward");
    expect(shortcutFor(key("m"))).toBe("mute");
    expect(shortcutFor(key("f"))).toBe("fullscreen");
    expect(shortcutFor(key("D", { ctrlKey: true, shiftKey: true }))).toBe("debug");
  });

  it("leaves keys alone while typing in chat or a link field", () => {
    expect(shortcutFor(key(" ", { targetTag: "INPUT" }))).toBeNull();
    expect(shortcutFor(key("m", { targetTag: "TEXTAREA" }))).toBeNull();
    expect(shortcutFor(key("f", { targetTag: "DIV", targetEditable: true }))).toBeNull();
    // …but the diagnostics toggle works everywhere.
    expect(shortcutFor(key("D", { ctrlKey: true, shiftKey: true, targetTag: "INPUT" }))).toBe("debug");
  });

  it("does not steal browser shortcuts or a focused button's Space", () => {
    expect(shortcutFor(key("f", { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key(" ", { targetTag: "BUTTON" }))).toBeNull();
  });
});
