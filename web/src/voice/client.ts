/**
 * Everything a person does in a voice call, over one `VoiceMesh`: the
 * microphone with its processing toggles, push-to-talk or voice activity,
 * self-mute, per-peer volume and local mute, and who is speaking.
 *
 * Plain TypeScript: the room UI subscribes to `onChange` and renders
 * `snapshot()`; nothing here knows about React.
 */

import { Microphone, PeerAudio, DEFAULT_PROCESSING, type AudioProcessing } from "./audio";
import { VoiceError } from "./errors";
import type { VoiceJoinReport } from "./iceServers";
import { VoiceMesh, type PeerView, type VoiceMeshOptions } from "./mesh";
import { DEFAULT_PTT_BINDING, PTTController, type EventSourceLike, type PTTBinding } from "./ptt";
import { PeerPreferences, type PeerPreference, type StorageLike } from "./preferences";
import { isTransmitting, type VoiceMode } from "./transmit";
import { analyserMeter, DEFAULT_VAD_THRESHOLD, SAMPLE_INTERVAL_MS, SpeakingGate, VoiceActivityMonitor, type LevelMeter } from "./voiceActivity";

/** Remote speakers are shown as speaking above this level, whatever the local threshold. */
const REMOTE_SPEAKING_THRESHOLD = 0.05;

export interface VoiceSettings {
  mode: VoiceMode;
  pttBinding: PTTBinding;
  vadThreshold: number;
  processing: AudioProcessing;
  relayOnly: boolean;
}

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = {
  mode: "voice_activity",
  pttBinding: DEFAULT_PTT_BINDING,
  vadThreshold: DEFAULT_VAD_THRESHOLD,
  processing: DEFAULT_PROCESSING,
  relayOnly: false,
};

export interface PeerSnapshot extends PeerView {
  volume: number;
  muted: boolean;
  speaking: boolean;
}

export interface VoiceSnapshot {
  inCall: boolean;
  transmitting: boolean;
  selfMuted: boolean;
  speaking: boolean;
  level: number;
  settings: VoiceSettings;
  peers: PeerSnapshot[];
  error: VoiceError | null;
}

export interface VoiceClientOptions extends Omit<VoiceMeshOptions, "relayOnly"> {
  settings?: Partial<VoiceSettings>;
  /** Where push-to-talk listens (window by default). */
  keyEvents?: EventSourceLike;
  deviceId?: string;
  /** Where per-peer volume and mute are remembered (localStorage by default; null: nowhere). */
  storage?: StorageLike | null;
  onReport?: (report: VoiceJoinReport) => void;
}

interface RemotePeer {
  audio: PeerAudio;
  meter: LevelMeter;
  gate: SpeakingGate;
}

export class VoiceClient {
  readonly mesh: VoiceMesh;
  private settings: VoiceSettings;
  private microphone: Microphone | null = null;
  private context: AudioContext | null = null;
  private monitor: VoiceActivityMonitor | null = null;
  private ptt: PTTController | null = null;
  private remote = new Map<string, RemotePeer>();
  private readonly preferences: PeerPreferences;
  private remoteTimer: ReturnType<typeof setInterval> | null = null;
  private listeners = new Set<() => void>();
  private selfMuted = false;
  /** The room's moderation: this person may not speak (the owner muted them). */
  private moderatedSelf = false;
  /** Peers the room muted: nobody plays them, whatever this listener chose. */
  private silenced = new Set<string>();
  private pttPressed = false;
  private voiceDetected = false;
  private lastError: VoiceError | null = null;

  constructor(private readonly options: VoiceClientOptions) {
    this.settings = { ...DEFAULT_VOICE_SETTINGS, ...options.settings };
    this.preferences = new PeerPreferences(options.storage);
    this.mesh = new VoiceMesh({ ...options, relayOnly: this.settings.relayOnly });
    this.mesh.on("peer", () => this.notify());
    this.mesh.on("peerLeft", (peerId) => this.dropRemote(peerId));
    this.mesh.on("track", ({ peerId, stream }) => this.playRemote(peerId, stream));
    this.mesh.on("error", (error) => this.fail(error));
    this.mesh.on("report", (report) => options.onReport?.(report));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Open the microphone and join the call. Rejects with a `VoiceError` the UI can show. */
  async join(): Promise<void> {
    try {
      this.microphone = await Microphone.open(this.settings.processing, this.options.deviceId);
      this.context = new AudioContext();
      void this.context.resume().catch(() => undefined);
      this.monitor = new VoiceActivityMonitor(
        analyserMeter(this.context, this.microphone.captureStream),
        (speaking) => {
          this.voiceDetected = speaking;
          this.updateTransmit();
        },
        this.settings.vadThreshold,
      );
      this.applyMode();
      await this.mesh.join(this.microphone.sendStream);
      this.remoteTimer = setInterval(() => this.sampleRemoteLevels(), SAMPLE_INTERVAL_MS);
      this.lastError = null;
      this.notify();
    } catch (error) {
      this.leave();
      throw this.fail(error instanceof VoiceError ? error : new VoiceError("voice_unavailable"));
    }
  }

  leave(): void {
    this.mesh.leave();
    this.ptt?.dispose();
    this.ptt = null;
    this.monitor?.dispose();
    this.monitor = null;
    for (const peerId of [...this.remote.keys()]) this.dropRemote(peerId);
    if (this.remoteTimer !== null) clearInterval(this.remoteTimer);
    this.remoteTimer = null;
    this.microphone?.stop();
    this.microphone = null;
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.notify();
  }

  /** After the room socket reconnected. */
  rejoin(): void {
    for (const peerId of [...this.remote.keys()]) this.dropRemote(peerId);
    this.mesh.rejoin();
  }

  setMode(mode: VoiceMode): void {
    this.settings = { ...this.settings, mode };
    this.applyMode();
  }

  setPTTBinding(binding: PTTBinding): void {
    this.settings = { ...this.settings, pttBinding: binding };
    this.ptt?.rebind(binding);
    this.notify();
  }

  /** The remapping dialog: bind whatever key or button is pressed next. */
  async capturePTTBinding(): Promise<PTTBinding> {
    if (!this.ptt) throw new Error("push-to-talk is not active");
    const binding = await this.ptt.captureNextBinding();
    this.settings = { ...this.settings, pttBinding: binding };
    this.notify();
    return binding;
  }

  setVadThreshold(threshold: number): void {
    this.monitor?.gate.setThreshold(threshold);
    this.settings = { ...this.settings, vadThreshold: this.monitor?.gate.currentThreshold ?? threshold };
    this.notify();
  }

  async setProcessing(processing: Partial<AudioProcessing>): Promise<void> {
    this.settings = { ...this.settings, processing: { ...this.settings.processing, ...processing } };
    await this.microphone?.setProcessing(this.settings.processing);
    this.notify();
  }

  async setRelayOnly(relayOnly: boolean): Promise<void> {
    await this.mesh.setRelayOnly(relayOnly);
    this.settings = { ...this.settings, relayOnly };
    this.notify();
  }

  setSelfMuted(muted: boolean): void {
    this.selfMuted = muted;
    this.updateTransmit();
  }

  /**
   * The room's voice mutes (docs/protocol.md "Moderation"): the server cannot cut
   * audio between browsers, so each client closes its own microphone when muted
   * and plays nothing from a muted peer. Separate from the person's own choices.
   */
  setModeration(moderation: { selfMuted: boolean; silencedPeers: readonly string[] }): void {
    this.moderatedSelf = moderation.selfMuted;
    this.silenced = new Set(moderation.silencedPeers);
    for (const [peerId, remote] of this.remote) remote.audio.setMuted(this.preference(peerId).muted || this.silenced.has(peerId));
    this.updateTransmit();
  }

  /** 0..2 (0–200 %), for this listener only. */
  setPeerVolume(peerId: string, volume: number): void {
    const preference = this.preferences.update(peerId, { volume });
    this.remote.get(peerId)?.audio.setVolume(preference.volume);
    this.notify();
  }

  setPeerMuted(peerId: string, muted: boolean): void {
    this.preferences.update(peerId, { muted });
    this.remote.get(peerId)?.audio.setMuted(muted || this.silenced.has(peerId));
    this.notify();
  }

  snapshot(): VoiceSnapshot {
    return {
      inCall: this.mesh.inCall,
      transmitting: this.transmitting(),
      selfMuted: this.selfMuted,
      speaking: this.voiceDetected && this.transmitting(),
      level: this.monitor?.lastLevel ?? 0,
      settings: this.settings,
      error: this.lastError,
      peers: this.mesh.peers().map((view) => {
        const remote = this.remote.get(view.peerId);
        const preference = this.preference(view.peerId);
        return { ...view, volume: preference.volume, muted: preference.muted, speaking: remote?.gate.speaking ?? false };
      }),
    };
  }

  // ------------------------------------------------------------------ internals

  private preference(peerId: string): PeerPreference {
    return this.preferences.get(peerId);
  }

  private applyMode(): void {
    if (this.settings.mode === "push_to_talk" && !this.ptt) {
      const source = this.options.keyEvents ?? (typeof window !== "undefined" ? (window as unknown as EventSourceLike) : null);
      if (source) {
        this.ptt = new PTTController(source, this.settings.pttBinding, (pressed) => {
          this.pttPressed = pressed;
          this.updateTransmit();
        });
      }
    } else if (this.settings.mode !== "push_to_talk" && this.ptt) {
      this.ptt.dispose();
      this.ptt = null;
      this.pttPressed = false;
    }
    this.updateTransmit();
  }

  private transmitting(): boolean {
    return !this.moderatedSelf && isTransmitting({ mode: this.settings.mode, selfMuted: this.selfMuted, pttPressed: this.pttPressed, voiceDetected: this.voiceDetected });
  }

  private updateTransmit(): void {
    this.microphone?.setTransmitting(this.transmitting());
    this.notify();
  }

  private playRemote(peerId: string, stream: MediaStream): void {
    if (!this.context) return;
    const existing = this.remote.get(peerId);
    if (existing?.audio.stream === stream) return;
    this.dropRemote(peerId);
    const audio = new PeerAudio(this.context, stream);
    const preference = this.preference(peerId);
    audio.setVolume(preference.volume);
    audio.setMuted(preference.muted || this.silenced.has(peerId));
    this.remote.set(peerId, { audio, meter: analyserMeter(this.context, stream), gate: new SpeakingGate(REMOTE_SPEAKING_THRESHOLD) });
  }

  private dropRemote(peerId: string): void {
    const remote = this.remote.get(peerId);
    if (!remote) return;
    remote.audio.dispose();
    remote.meter.dispose();
    this.remote.delete(peerId);
    this.notify();
  }

  private sampleRemoteLevels(): void {
    const now = performance.now();
    let changed = false;
    for (const remote of this.remote.values()) changed = remote.gate.update(remote.meter.level(), now) || changed;
    if (changed) this.notify();
  }

  private fail(error: VoiceError): VoiceError {
    this.lastError = error;
    this.notify();
    return error;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
