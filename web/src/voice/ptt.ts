/**
 * Push-to-talk (spec 15.2.1): a remappable key (with an optional modifier) or
 * mouse button. Pressing opens the microphone, releasing closes it. Key
 * repeat is ignored, and losing focus counts as a release so a key held while
 * switching windows never leaves the microphone open. Typing in a text field
 * does not trigger a plain-key binding (Space in the chat box is a space).
 */

export type Modifier = "ctrl" | "alt" | "shift" | "meta";

export type PTTBinding = { kind: "key"; code: string; modifier?: Modifier } | { kind: "mouse"; button: number };

export const DEFAULT_PTT_BINDING: PTTBinding = { kind: "key", code: "KeyV" };

export interface KeyLike {
  code: string;
  repeat?: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  metaKey?: boolean;
  target?: unknown;
  preventDefault?(): void;
}

export interface MouseLike {
  button: number;
  preventDefault?(): void;
}

/** What the controller listens on: `window` in the app, a fake in tests. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
}

const MODIFIER_KEYS: Record<Modifier, keyof KeyLike> = { ctrl: "ctrlKey", alt: "altKey", shift: "shiftKey", meta: "metaKey" };

function isTextEntry(target: unknown): boolean {
  if (typeof target !== "object" || target === null) return false;
  const element = target as { tagName?: unknown; isContentEditable?: unknown; type?: unknown };
  if (element.isContentEditable === true) return true;
  const tag = typeof element.tagName === "string" ? element.tagName.toUpperCase() : "";
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !["button", "checkbox", "radio", "range", "submit"].includes(String(element.type ?? "text"));
}

export function describeBinding(binding: PTTBinding): string {
  if (binding.kind === "mouse") return `Mouse button ${binding.button + 1}`;
  const key = binding.code.replace(/^Key/, "").replace(/^Digit/, "");
  return binding.modifier ? `${binding.modifier[0]!.toUpperCase()}${binding.modifier.slice(1)}+${key}` : key;
}

export class PTTController {
  private pressed = false;
  private capture: ((binding: PTTBinding) => void) | null = null;
  private readonly listeners: Array<[string, (event: never) => void]>;

  constructor(
    private readonly source: EventSourceLike,
    private binding: PTTBinding,
    private readonly onChange: (pressed: boolean) => void,
  ) {
    this.listeners = [
      ["keydown", (event: KeyLike) => this.keyDown(event)],
      ["keyup", (event: KeyLike) => this.keyUp(event)],
      ["mousedown", (event: MouseLike) => this.mouseDown(event)],
      ["mouseup", (event: MouseLike) => this.mouseUp(event)],
      ["blur", () => this.release()],
    ] as Array<[string, (event: never) => void]>;
    for (const [type, listener] of this.listeners) source.addEventListener(type, listener);
  }

  get isPressed(): boolean {
    return this.pressed;
  }

  get currentBinding(): PTTBinding {
    return this.binding;
  }

  rebind(binding: PTTBinding): void {
    this.release();
    this.binding = binding;
  }

  /** Resolve with the next key or mouse button pressed (the remapping dialog), and bind it. */
  captureNextBinding(): Promise<PTTBinding> {
    this.release();
    return new Promise((resolve) => {
      this.capture = (binding) => {
        this.capture = null;
        this.binding = binding;
        resolve(binding);
      };
    });
  }

  dispose(): void {
    this.release();
    for (const [type, listener] of this.listeners) this.source.removeEventListener(type, listener);
  }

  private keyDown(event: KeyLike): void {
    if (this.capture) {
      if (["ControlLeft", "ControlRight", "AltLeft", "AltRight", "ShiftLeft", "ShiftRight", "MetaLeft", "MetaRight"].includes(event.code)) return;
      event.preventDefault?.();
      const modifier = (Object.keys(MODIFIER_KEYS) as Modifier[]).find((name) => event[MODIFIER_KEYS[name]] === true);
      this.capture(modifier ? { kind: "key", code: event.code, modifier } : { kind: "key", code: event.code });
      return;
    }
    if (this.binding.kind !== "key" || event.code !== this.binding.code) return;
    if (this.binding.modifier && event[MODIFIER_KEYS[this.binding.modifier]] !== true) return;
    if (!this.binding.modifier && isTextEntry(event.target)) return;
    event.preventDefault?.();
    if (event.repeat || this.pressed) return;
    this.set(true);
  }

  private keyUp(event: KeyLike): void {
    // Only the key itself: releasing the modifier first keeps talking until the key is up.
    if (this.binding.kind === "key" && event.code === this.binding.code) this.release();
  }

  private mouseDown(event: MouseLike): void {
    if (this.capture) {
      // The primary button stays free for clicking; any other button may be bound.
      if (event.button === 0) return;
      event.preventDefault?.();
      this.capture({ kind: "mouse", button: event.button });
      return;
    }
    if (this.binding.kind !== "mouse" || event.button !== this.binding.button) return;
    event.preventDefault?.();
    if (!this.pressed) this.set(true);
  }

  private mouseUp(event: MouseLike): void {
    if (this.binding.kind === "mouse" && event.button === this.binding.button) this.release();
  }

  private release(): void {
    if (this.pressed) this.set(false);
  }

  private set(pressed: boolean): void {
    this.pressed = pressed;
    this.onChange(pressed);
  }
}
