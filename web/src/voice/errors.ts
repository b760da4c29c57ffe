/** Voice failures a person can act on, each with a stable code and a readable message. */

export type VoiceErrorCode =
  | "microphone_denied"
  | "no_microphone"
  | "microphone_busy"
  | "microphone_unavailable"
  | "relay_unavailable"
  | "ice_servers_unavailable"
  | "connection_failed"
  | "webrtc_unsupported"
  | "voice_unavailable";

const MESSAGES: Record<VoiceErrorCode, string> = {
  microphone_denied: "Microphone access was denied. Allow it in the browser's site settings to talk.",
  no_microphone: "No microphone was found. Plug one in, then try again.",
  microphone_busy: "The microphone is in use by another application or could not be started.",
  microphone_unavailable: "The microphone could not be opened.",
  relay_unavailable: "Private (relay-only) voice needs a TURN server, and this server has none configured.",
  ice_servers_unavailable: "Could not get the voice server configuration. Check your connection.",
  connection_failed: "Could not connect the voice call. Your network may block it.",
  webrtc_unsupported: "This browser does not support voice calls (WebRTC).",
  voice_unavailable: "Voice chat could not start. Reload the page and try again.",
};

export class VoiceError extends Error {
  constructor(
    readonly code: VoiceErrorCode,
    readonly peerId?: string,
  ) {
    super(MESSAGES[code]);
    this.name = "VoiceError";
  }
}

/** Map a getUserMedia rejection (a DOMException by name) to what the person should do. */
export function microphoneError(error: unknown): VoiceError {
  const name = typeof error === "object" && error !== null && "name" in error ? String((error as { name: unknown }).name) : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return new VoiceError("microphone_denied");
    case "NotFoundError":
    case "OverconstrainedError":
      return new VoiceError("no_microphone");
    case "NotReadableError":
    case "AbortError":
      return new VoiceError("microphone_busy");
    default:
      return new VoiceError("microphone_unavailable");
  }
}
