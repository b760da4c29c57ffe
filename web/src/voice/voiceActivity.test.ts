import { describe, expect, it } from "vitest";
import { clampVolume } from "./audio";
import { microphoneError } from "./errors";
import { isTransmitting } from "./transmit";
import { HANGOVER_MS, levelFromFrequencyData, SpeakingGate } from "./voiceActivity";

describe("voice activity", () => {
  it("measures a level between 0 and 1", () => {
    expect(levelFromFrequencyData(new Uint8Array([0, 0, 0, 0]))).toBe(0);
    expect(levelFromFrequencyData(new Uint8Array([255, 255]))).toBe(1);
    expect(levelFromFrequencyData(new Uint8Array([51, 51]))).toBeCloseTo(0.2);
    expect(levelFromFrequencyData(new Uint8Array([]))).toBe(0);
  });

  it("opens at once above the threshold and closes only after the hangover", () => {
    const gate = new SpeakingGate(0.2);
    expect(gate.update(0.1, 0)).toBe(false);
    expect(gate.update(0.3, 10)).toBe(true);
    expect(gate.speaking).toBe(true);
    expect(gate.update(0.05, 10 + HANGOVER_MS - 1)).toBe(false); // a pause between syllables
    expect(gate.speaking).toBe(true);
    expect(gate.update(0.05, 10 + HANGOVER_MS)).toBe(true);
    expect(gate.speaking).toBe(false);
  });

  it("follows the adjustable threshold, clamped to 0..1", () => {
    const gate = new SpeakingGate(0.5);
    gate.update(0.3, 0);
    expect(gate.speaking).toBe(false);
    gate.setThreshold(0.25);
    gate.update(0.3, 1);
    expect(gate.speaking).toBe(true);
    gate.setThreshold(7);
    expect(gate.currentThreshold).toBe(1);
  });
});

describe("transmitting", () => {
  const base = { selfMuted: false, pttPressed: false, voiceDetected: false };

  it("in push-to-talk, only while the key is held", () => {
    expect(isTransmitting({ ...base, mode: "push_to_talk", voiceDetected: true })).toBe(false);
    expect(isTransmitting({ ...base, mode: "push_to_talk", pttPressed: true })).toBe(true);
  });

  it("in voice activity, only while voice is detected", () => {
    expect(isTransmitting({ ...base, mode: "voice_activity", pttPressed: true })).toBe(false);
    expect(isTransmitting({ ...base, mode: "voice_activity", voiceDetected: true })).toBe(true);
  });

  it("never while self-muted", () => {
    expect(isTransmitting({ mode: "push_to_talk", selfMuted: true, pttPressed: true, voiceDetected: true })).toBe(false);
    expect(isTransmitting({ mode: "voice_activity", selfMuted: true, pttPressed: true, voiceDetected: true })).toBe(false);
  });
});

describe("per-peer volume", () => {
  it("stays within 0–200 %", () => {
    expect(clampVolume(1.5)).toBe(1.5);
    expect(clampVolume(3)).toBe(2);
    expect(clampVolume(-1)).toBe(0);
    expect(clampVolume(Number.NaN)).toBe(1);
  });
});

describe("microphone errors", () => {
  it.each([
    ["NotAllowedError", "microphone_denied"],
    ["SecurityError", "microphone_denied"],
    ["NotFoundError", "no_microphone"],
    ["OverconstrainedError", "no_microphone"],
    ["NotReadableError", "microphone_busy"],
    ["TypeError", "microphone_unavailable"],
  ])("%s becomes %s with a message that says what to do", (name, code) => {
    const error = microphoneError({ name });
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
  });
});
