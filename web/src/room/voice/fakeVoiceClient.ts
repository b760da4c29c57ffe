/** A `VoiceClientLike` for tests: records calls, joins or fails as told, no WebRTC or microphone. */
import { DEFAULT_VOICE_SETTINGS, VoiceError, type PTTBinding, type VoiceClientOptions, type VoiceSnapshot } from "../../voice";
import type { VoiceClientLike } from "./voiceSession";

export class FakeVoiceClient implements VoiceClientLike {
  static instances: FakeVoiceClient[] = [];
  /** The next client created fails to join with this. */
  static nextJoinError: VoiceError | null = null;
  calls: string[] = [];
  joinError: VoiceError | null = FakeVoiceClient.nextJoinError;
  relayAvailable = true;
  nextBinding: PTTBinding = { kind: "mouse", button: 3 };
  state: VoiceSnapshot;
  private listeners = new Set<() => void>();

  constructor(readonly options: VoiceClientOptions) {
    this.state = { inCall: false, transmitting: false, selfMuted: false, speaking: false, level: 0, settings: { ...DEFAULT_VOICE_SETTINGS, ...options.settings }, peers: [], error: null };
    FakeVoiceClient.instances.push(this);
  }

  static latest(): FakeVoiceClient {
    const client = FakeVoiceClient.instances[FakeVoiceClient.instances.length - 1];
    if (!client) throw new Error("no voice client was created");
    return client;
  }

  async join() {
    this.calls.push("join");
    if (this.joinError) throw this.joinError;
    this.change({ inCall: true });
  }
  leave() {
    this.calls.push("leave");
    this.change({ inCall: false });
  }
  rejoin() {
    this.calls.push("rejoin");
  }
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  snapshot() {
    return this.state;
  }
  setMode(mode: VoiceSnapshot["settings"]["mode"]) {
    this.calls.push(`mode:${mode}`);
  }
  setPTTBinding() {
    this.calls.push("binding");
  }
  async capturePTTBinding() {
    return this.nextBinding;
  }
  setVadThreshold(threshold: number) {
    this.calls.push(`vad:${threshold}`);
  }
  async setProcessing() {
    this.calls.push("processing");
  }
  async setRelayOnly(relayOnly: boolean) {
    if (relayOnly && !this.relayAvailable) throw new VoiceError("relay_unavailable");
    this.calls.push(`relayOnly:${relayOnly}`);
  }
  setSelfMuted(muted: boolean) {
    this.change({ selfMuted: muted });
  }
  setPeerVolume(peerId: string, volume: number) {
    this.calls.push(`volume:${peerId}:${volume}`);
  }
  setPeerMuted(peerId: string, muted: boolean) {
    this.calls.push(`muted:${peerId}:${muted}`);
  }
  setModeration(moderation: { selfMuted: boolean; silencedPeers: readonly string[] }) {
    this.calls.push(`moderation:${moderation.selfMuted}:${moderation.silencedPeers.join(",")}`);
  }

  /** The client's own state changed (as the mesh would report it). */
  change(patch: Partial<VoiceSnapshot>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
