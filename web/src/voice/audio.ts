/**
 * Microphone capture and per-peer playback through Web Audio.
 *
 * The microphone track is opened once with the person's processing choices
 * (echo cancellation, noise suppression, automatic gain). A clone of it is
 * what peers receive, switched on and off by push-to-talk or voice activity,
 * while the original keeps feeding the level meter, so voice activity can
 * still hear the person while nothing is being sent.
 *
 * Each remote stream plays through its own GainNode: 0–200 % volume and a
 * local mute that affects nobody else.
 */

import { microphoneError, VoiceError } from "./errors";

export interface AudioProcessing {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

export const DEFAULT_PROCESSING: AudioProcessing = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export function audioConstraints(processing: AudioProcessing, deviceId?: string): MediaTrackConstraints {
  return {
    ...processing,
    channelCount: 1,
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  };
}

export class Microphone {
  private constructor(
    readonly captureStream: MediaStream,
    readonly sendStream: MediaStream,
    private processing: AudioProcessing,
  ) {}

  static async open(processing: AudioProcessing = DEFAULT_PROCESSING, deviceId?: string, devices?: MediaDevices): Promise<Microphone> {
    const media = devices ?? (typeof navigator !== "undefined" ? navigator.mediaDevices : undefined);
    if (!media?.getUserMedia) throw new VoiceError("microphone_unavailable");
    let stream: MediaStream;
    try {
      stream = await media.getUserMedia({ audio: audioConstraints(processing, deviceId), video: false });
    } catch (error) {
      throw microphoneError(error);
    }
    const track = stream.getAudioTracks()[0];
    if (!track) throw new VoiceError("no_microphone");
    const sending = track.clone();
    sending.enabled = false;
    return new Microphone(stream, new MediaStream([sending]), processing);
  }

  get sendTrack(): MediaStreamTrack {
    return this.sendStream.getAudioTracks()[0]!;
  }

  get currentProcessing(): AudioProcessing {
    return this.processing;
  }

  setTransmitting(on: boolean): void {
    this.sendTrack.enabled = on;
  }

  /** Change processing on the live tracks; no new permission prompt, no renegotiation. */
  async setProcessing(processing: AudioProcessing): Promise<void> {
    this.processing = processing;
    const tracks = [...this.captureStream.getAudioTracks(), this.sendTrack];
    await Promise.all(tracks.map((track) => track.applyConstraints(audioConstraints(processing)).catch(() => undefined)));
  }

  stop(): void {
    for (const track of [...this.captureStream.getTracks(), ...this.sendStream.getTracks()]) track.stop();
  }
}

export const MAX_VOLUME = 2;

export function clampVolume(volume: number): number {
  if (!Number.isFinite(volume)) return 1;
  return Math.min(MAX_VOLUME, Math.max(0, volume));
}

export class PeerAudio {
  private readonly source: MediaStreamAudioSourceNode;
  private readonly gain: GainNode;
  private readonly sink: HTMLAudioElement | null;
  private volume = 1;
  private muted = false;

  constructor(
    private readonly context: AudioContext,
    readonly stream: MediaStream,
  ) {
    // Chromium plays a remote WebRTC stream into Web Audio only while a media
    // element also consumes it; the element stays muted, the GainNode is heard.
    this.sink = typeof Audio !== "undefined" ? new Audio() : null;
    if (this.sink) {
      this.sink.muted = true;
      this.sink.srcObject = stream;
      void this.sink.play().catch(() => undefined);
    }
    this.source = context.createMediaStreamSource(stream);
    this.gain = context.createGain();
    this.source.connect(this.gain);
    this.gain.connect(context.destination);
  }

  get currentVolume(): number {
    return this.volume;
  }

  get isMuted(): boolean {
    return this.muted;
  }

  /** 0..2 (0–200 %). */
  setVolume(volume: number): void {
    this.volume = clampVolume(volume);
    this.apply();
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.apply();
  }

  dispose(): void {
    this.source.disconnect();
    this.gain.disconnect();
    if (this.sink) this.sink.srcObject = null;
  }

  private apply(): void {
    // A short ramp: an instant jump in gain clicks.
    this.gain.gain.setTargetAtTime(this.muted ? 0 : this.volume, this.context.currentTime, 0.015);
  }
}
