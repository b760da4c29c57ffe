/** Whether the microphone is on the air, from the mode and what the person is doing. Pure. */

export type VoiceMode = "push_to_talk" | "voice_activity";

export interface TransmitInputs {
  mode: VoiceMode;
  selfMuted: boolean;
  pttPressed: boolean;
  voiceDetected: boolean;
}

export function isTransmitting(inputs: TransmitInputs): boolean {
  if (inputs.selfMuted) return false;
  return inputs.mode === "push_to_talk" ? inputs.pttPressed : inputs.voiceDetected;
}
