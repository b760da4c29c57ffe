import { describe, expect, it } from "vitest";
import { describeBinding, PTTController, type EventSourceLike, type PTTBinding } from "./ptt";

class FakeWindow implements EventSourceLike {
  private listeners = new Map<string, Set<(event: never) => void>>();

  addEventListener(type: string, listener: (event: never) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  fire(type: string, event: Record<string, unknown> = {}): { defaultPrevented: boolean } {
    const result = { defaultPrevented: false };
    const full = { ...event, preventDefault: () => (result.defaultPrevented = true) };
    for (const listener of this.listeners.get(type) ?? []) (listener as (e: unknown) => void)(full);
    return result;
  }

  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

function setup(binding: PTTBinding = { kind: "key", code: "KeyV" }) {
  const win = new FakeWindow();
  const changes: boolean[] = [];
  const ptt = new PTTController(win, binding, (pressed) => changes.push(pressed));
  return { win, changes, ptt };
}

describe("PTTController", () => {
  it("talks while the key is held and stops on release", () => {
    const { win, changes, ptt } = setup();
    win.fire("keydown", { code: "KeyV" });
    expect(ptt.isPressed).toBe(true);
    win.fire("keydown", { code: "KeyV", repeat: true });
    win.fire("keyup", { code: "KeyV" });
    expect(changes).toEqual([true, false]);
  });

  it("ignores other keys", () => {
    const { win, changes } = setup();
    win.fire("keydown", { code: "KeyB" });
    win.fire("keyup", { code: "KeyB" });
    expect(changes).toEqual([]);
  });

  it("needs the modifier to start, but not to keep talking", () => {
    const { win, changes } = setup({ kind: "key", code: "Space", modifier: "ctrl" });
    win.fire("keydown", { code: "Space" });
    expect(changes).toEqual([]);
    win.fire("keydown", { code: "Space", ctrlKey: true });
    win.fire("keyup", { code: "ControlLeft" });
    expect(changes).toEqual([true]);
    win.fire("keyup", { code: "Space" });
    expect(changes).toEqual([true, false]);
  });

  it("does not fire on a plain key typed into a text field", () => {
    const { win, changes } = setup({ kind: "key", code: "Space" });
    const typed = win.fire("keydown", { code: "Space", target: { tagName: "TEXTAREA" } });
    expect(typed.defaultPrevented).toBe(false);
    win.fire("keydown", { code: "Space", target: { tagName: "INPUT", type: "text" } });
    expect(changes).toEqual([]);
    win.fire("keydown", { code: "Space", target: { tagName: "BUTTON" } });
    expect(changes).toEqual([true]);
  });

  it("supports a mouse button", () => {
    const { win, changes } = setup({ kind: "mouse", button: 3 });
    win.fire("mousedown", { button: 0 });
    win.fire("mousedown", { button: 3 });
    win.fire("mouseup", { button: 3 });
    expect(changes).toEqual([true, false]);
  });

  it("releases when the window loses focus while held", () => {
    const { win, changes } = setup();
    win.fire("keydown", { code: "KeyV" });
    win.fire("blur");
    win.fire("keyup", { code: "KeyV" });
    expect(changes).toEqual([true, false]);
  });

  it("remaps to the next key or extra mouse button pressed", async () => {
    const { win, changes, ptt } = setup();
    const captured = ptt.captureNextBinding();
    win.fire("keydown", { code: "ShiftLeft", shiftKey: true }); // a modifier alone is not a binding
    win.fire("keydown", { code: "F1", shiftKey: true });
    expect(await captured).toEqual({ kind: "key", code: "F1", modifier: "shift" });
    expect(changes).toEqual([]); // capturing does not talk
    win.fire("keydown", { code: "F1", shiftKey: true });
    expect(changes).toEqual([true]);

    const mouse = ptt.captureNextBinding();
    win.fire("mousedown", { button: 0 }); // the primary button stays for clicking
    win.fire("mousedown", { button: 4 });
    expect(await mouse).toEqual({ kind: "mouse", button: 4 });
    expect(changes).toEqual([true, false]); // remapping released the held key
  });

  it("rebinding while held releases first, and dispose removes every listener", () => {
    const { win, changes, ptt } = setup();
    win.fire("keydown", { code: "KeyV" });
    ptt.rebind({ kind: "key", code: "KeyT" });
    expect(changes).toEqual([true, false]);
    ptt.dispose();
    expect(win.listenerCount).toBe(0);
  });

  it("names bindings for people", () => {
    expect(describeBinding({ kind: "key", code: "KeyV" })).toBe("V");
    expect(describeBinding({ kind: "key", code: "Space", modifier: "ctrl" })).toBe("Ctrl+Space");
    expect(describeBinding({ kind: "mouse", button: 3 })).toBe("Mouse button 4");
  });
});
