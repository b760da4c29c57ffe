/**
 * What the voice panel shows. Written by VoiceSession (src/room/voice/voiceSession.ts),
 * read by components. Besides the shape it owns only the person's voice
 * settings as remembered across visits (mode, push-to-talk binding, threshold,
 * processing, relay-only), read back defensively because storage is user-editable.
 */
import { create } from "zustand";
import { DEFAULT_VOICE_SETTINGS, type StorageLike, type VoiceErrorCode, type VoiceSettings, type VoiceSnapshot } from "../voice";

export type VoiceStatus = "idle" | "joining" | "in_call";

export interface VoiceProblem {
  code: VoiceErrorCode;
  message: string;
  /** The peer a per-connection failure is about. */
  peerId?: string;
}

export interface VoiceViewState {
  status: VoiceStatus;
  /** The call as the client sees it; null outside a call. */
  snapshot: VoiceSnapshot | null;
  /** The person's own settings (`relayOnly` is their own choice, not the room's). */
  settings: VoiceSettings;
  /** The owner made the whole room relay-only. */
  roomRelayOnly: boolean;
  /** Waiting for the next key or mouse button to become the push-to-talk binding. */
  capturingBinding: boolean;
  problem: VoiceProblem | null;
}

export const VOICE_SETTINGS_KEY = "syncwatch:voice:settings";

export function initialVoiceState(settings: VoiceSettings = DEFAULT_VOICE_SETTINGS): VoiceViewState {
  return { status: "idle", snapshot: null, settings, roomRelayOnly: false, capturingBinding: false, problem: null };
}

export const useVoiceStore = create<VoiceViewState>(() => initialVoiceState());

/** Relay-only is in force when the person asked for it or the room requires it. */
export function effectiveRelayOnly(state: Pick<VoiceViewState, "settings" | "roomRelayOnly">): boolean {
  return state.settings.relayOnly || state.roomRelayOnly;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readBinding(value: unknown): VoiceSettings["pttBinding"] | null {
  if (!isRecord(value)) return null;
  if (value.kind === "mouse" && typeof value.button === "number" && Number.isInteger(value.button) && value.button >= 0 && value.button <= 4)
    return { kind: "mouse", button: value.button };
  if (value.kind === "key" && typeof value.code === "string" && value.code.length > 0 && value.code.length <= 32) {
    const modifier = value.modifier;
    if (modifier === "ctrl" || modifier === "alt" || modifier === "shift" || modifier === "meta") return { kind: "key", code: value.code, modifier };
    return { kind: "key", code: value.code };
  }
  return null;
}

/** The remembered settings, each field falling back to its default when missing or malformed. */
export function loadVoiceSettings(storage: StorageLike | null): VoiceSettings {
  const defaults = DEFAULT_VOICE_SETTINGS;
  let raw: unknown = null;
  try {
    const text = storage?.getItem(VOICE_SETTINGS_KEY);
    raw = text ? JSON.parse(text) : null;
  } catch {
    raw = null;
  }
  if (!isRecord(raw)) return defaults;
  const processing = isRecord(raw.processing) ? raw.processing : {};
  const flag = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);
  const threshold = raw.vadThreshold;
  return {
    mode: raw.mode === "push_to_talk" || raw.mode === "voice_activity" ? raw.mode : defaults.mode,
    pttBinding: readBinding(raw.pttBinding) ?? defaults.pttBinding,
    vadThreshold: typeof threshold === "number" && threshold >= 0 && threshold <= 1 ? threshold : defaults.vadThreshold,
    processing: {
      echoCancellation: flag(processing.echoCancellation, defaults.processing.echoCancellation),
      noiseSuppression: flag(processing.noiseSuppression, defaults.processing.noiseSuppression),
      autoGainControl: flag(processing.autoGainControl, defaults.processing.autoGainControl),
    },
    relayOnly: flag(raw.relayOnly, defaults.relayOnly),
  };
}

export function saveVoiceSettings(storage: StorageLike | null, settings: VoiceSettings): void {
  try {
    storage?.setItem(VOICE_SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Private mode or a full quota: the settings only last this visit.
  }
}

export function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
