import { describe, expect, it } from "vitest";
import { DEFAULT_VOICE_SETTINGS } from "../voice";
import { effectiveRelayOnly, loadVoiceSettings, saveVoiceSettings, VOICE_SETTINGS_KEY } from "./voice";

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe("voice settings", () => {
  it("come back after a reload as they were saved", () => {
    const storage = memoryStorage();
    const settings = {
      mode: "push_to_talk" as const,
      pttBinding: { kind: "key" as const, code: "KeyB", modifier: "ctrl" as const },
      vadThreshold: 0.35,
      processing: { echoCancellation: false, noiseSuppression: true, autoGainControl: false },
      relayOnly: true,
    };
    saveVoiceSettings(storage, settings);
    expect(loadVoiceSettings(storage)).toEqual(settings);
  });

  it("fall back to the defaults when nothing or garbage is stored", () => {
    expect(loadVoiceSettings(null)).toEqual(DEFAULT_VOICE_SETTINGS);
    expect(loadVoiceSettings(memoryStorage({ [VOICE_SETTINGS_KEY]: "{not json" }))).toEqual(DEFAULT_VOICE_SETTINGS);
  });

  it("keep the valid fields of a partly broken entry", () => {
    const stored = { mode: "shout", pttBinding: { kind: "mouse", button: 3 }, vadThreshold: 7, processing: { noiseSuppression: false, autoGainControl: "yes" }, relayOnly: 1 };
    const settings = loadVoiceSettings(memoryStorage({ [VOICE_SETTINGS_KEY]: JSON.stringify(stored) }));
    expect(settings.mode).toBe(DEFAULT_VOICE_SETTINGS.mode);
    expect(settings.pttBinding).toEqual({ kind: "mouse", button: 3 });
    expect(settings.vadThreshold).toBe(DEFAULT_VOICE_SETTINGS.vadThreshold);
    expect(settings.processing).toEqual({ echoCancellation: true, noiseSuppression: false, autoGainControl: true });
    expect(settings.relayOnly).toBe(false);
  });

  it("survive a storage that throws", () => {
    const broken = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("quota"); } };
    expect(loadVoiceSettings(broken)).toEqual(DEFAULT_VOICE_SETTINGS);
    expect(() => saveVoiceSettings(broken, DEFAULT_VOICE_SETTINGS)).not.toThrow();
  });
});

describe("effectiveRelayOnly", () => {
  it("is on when the person or the room asks for it", () => {
    const settings = (relayOnly: boolean) => ({ ...DEFAULT_VOICE_SETTINGS, relayOnly });
    expect(effectiveRelayOnly({ settings: settings(false), roomRelayOnly: false })).toBe(false);
    expect(effectiveRelayOnly({ settings: settings(true), roomRelayOnly: false })).toBe(true);
    expect(effectiveRelayOnly({ settings: settings(false), roomRelayOnly: true })).toBe(true);
  });
});
