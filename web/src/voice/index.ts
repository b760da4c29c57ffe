/** Voice chat in the browser: a WebRTC mesh for up to five, with its controls. */

export { clampVolume, DEFAULT_PROCESSING, Microphone, PeerAudio, type AudioProcessing } from "./audio";
export { DEFAULT_VOICE_SETTINGS, VoiceClient, type PeerSnapshot, type VoiceClientOptions, type VoiceSettings, type VoiceSnapshot } from "./client";
export { microphoneError, VoiceError, type VoiceErrorCode } from "./errors";
export { IceServerSource, sendJoinReport, type IceConfiguration, type VoiceJoinReport } from "./iceServers";
export { VoiceMesh, type PeerView, type VoiceMeshOptions } from "./mesh";
export { PerfectNegotiator } from "./negotiation";
export type { PeerState } from "./peerLink";
export { isPolite } from "./politeness";
export { PeerPreferences, type PeerPreference, type StorageLike } from "./preferences";
export { DEFAULT_PTT_BINDING, describeBinding, PTTController, type PTTBinding } from "./ptt";
export { qualityBetween, sampleFromStats, scoreQuality, selectedCandidateType, type QualityMetrics, type QualityScore } from "./quality";
export { RecoveryPolicy } from "./recovery";
export type { PeerSignal, VoiceSignaling } from "./signaling";
export { isTransmitting, type VoiceMode } from "./transmit";
export { SpeakingGate } from "./voiceActivity";
