/**
 * One peer of the mesh: its RTCPeerConnection, negotiation and self-healing.
 *
 * Work on a link is serialised on one promise chain (building a connection
 * awaits the ICE configuration; a description must be applied before its
 * candidates), so signals are handled strictly in arrival order.
 *
 * A full reconnection replaces the RTCPeerConnection and starts a new
 * `connectionId`. The peer adopts a new id when it sees its offer, except the
 * impolite side while its own fresh attempt is pending: then the polite side
 * adopts that one instead, so two simultaneous reconnections converge.
 */

import { PerfectNegotiator, type NegotiationMessage } from "./negotiation";
import { qualityBetween, sampleFromStats, selectedCandidateType, type AudioSample, type QualityMetrics } from "./quality";
import { CONNECT_TIMEOUT_MS, DISCONNECTED_GRACE_MS, RecoveryPolicy, type RecoveryTrigger } from "./recovery";
import type { PeerSignal } from "./signaling";

export type PeerState = "new" | "connecting" | "connected" | "reconnecting" | "failed" | "closed";

export interface PeerLinkHost {
  readonly polite: boolean;
  readonly connectTimeoutMs?: number;
  rtcConfiguration(fresh: boolean): Promise<RTCConfiguration>;
  createPeerConnection(configuration: RTCConfiguration): RTCPeerConnection;
  localStream(): MediaStream | null;
  sendSignal(signal: PeerSignal): void;
  changed(link: PeerLink): void;
  remoteStream(link: PeerLink, stream: MediaStream): void;
  gaveUp(link: PeerLink): void;
  random(): number;
}

let nextConnection = 0;

function newConnectionId(): string {
  nextConnection += 1;
  const random = Math.floor(Math.random() * 0xffffffff).toString(36);
  return `${Date.now().toString(36)}-${random}-${nextConnection}`;
}

function preferOpus(transceiver: RTCRtpTransceiver): void {
  const capabilities = typeof RTCRtpReceiver !== "undefined" ? RTCRtpReceiver.getCapabilities?.("audio") : null;
  if (!capabilities || !transceiver.setCodecPreferences) return;
  const opusFirst = [...capabilities.codecs].sort(
    (a, b) => Number(b.mimeType.toLowerCase() === "audio/opus") - Number(a.mimeType.toLowerCase() === "audio/opus"),
  );
  try {
    transceiver.setCodecPreferences(opusFirst);
  } catch {
    // A browser without Opus first is still a working call.
  }
}

export class PeerLink {
  state: PeerState = "new";
  pc: RTCPeerConnection | null = null;
  connectionId: string | null = null;
  relayed: boolean | null = null;
  quality: QualityMetrics | null = null;
  /** Failure reasons seen since the link was made, for the join report. */
  readonly failures: string[] = [];
  readonly recovery: RecoveryPolicy;
  connectedOnce = false;

  private negotiator: PerfectNegotiator | null = null;
  private ownsConnection = false;
  private turnRefused = false;
  private turnUnreachable = false;
  private chain: Promise<void> = Promise.resolve();
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private lastSample: AudioSample | null = null;
  private closed = false;

  constructor(
    readonly peerId: string,
    private readonly host: PeerLinkHost,
  ) {
    this.recovery = new RecoveryPolicy(() => host.random());
  }

  /** Call the peer: a new connection that we offer. */
  connect(freshCredentials = false): Promise<void> {
    return this.enqueue(() => this.build(newConnectionId(), true, freshCredentials));
  }

  receive(signal: PeerSignal): Promise<void> {
    return this.enqueue(async () => {
      if (signal.connectionId !== this.connectionId) {
        if (signal.description?.type !== "offer") return; // a late message of an abandoned connection
        const ourAttemptPending = this.pc !== null && this.ownsConnection && this.state !== "connected";
        if (ourAttemptPending && !this.host.polite) return; // the peer adopts ours instead
        await this.build(signal.connectionId, false, false);
      }
      const message: NegotiationMessage = {};
      if (signal.description) message.description = signal.description;
      if (signal.candidate) message.candidate = signal.candidate;
      await this.negotiator?.receive(message);
    });
  }

  /** Replace the microphone track on the live connection (no renegotiation). */
  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    const sender = this.audioTransceiver()?.sender;
    if (sender) await sender.replaceTrack(track);
  }

  /** Sample getStats(): quality over the last interval and whether the path is relayed. */
  async sampleQuality(): Promise<void> {
    const pc = this.pc;
    if (!pc || this.state !== "connected") return;
    const stats = await pc.getStats();
    if (pc !== this.pc) return;
    const candidateType = selectedCandidateType(stats);
    if (candidateType !== null) this.relayed = candidateType === "relay";
    const sample = sampleFromStats(stats);
    if (sample) {
      this.quality = qualityBetween(this.lastSample, sample);
      this.lastSample = sample;
    }
    this.host.changed(this);
  }

  close(): void {
    this.closed = true;
    this.clearTimers();
    this.dropConnection();
    this.setState("closed");
  }

  // ------------------------------------------------------------------ internals

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.closed ? undefined : work()));
    this.chain = run.catch((error: unknown) => {
      // One bad message must not wedge the link; recovery will notice a dead connection.
      console.warn(`voice: peer ${this.peerId}:`, error);
    });
    return this.chain;
  }

  private async build(connectionId: string, offering: boolean, freshCredentials: boolean): Promise<void> {
    this.clearTimers();
    this.dropConnection();
    this.connectionId = connectionId;
    this.ownsConnection = offering;
    this.turnRefused = false;
    this.turnUnreachable = false;
    this.relayed = null;
    this.lastSample = null;
    const configuration = await this.host.rtcConfiguration(freshCredentials);
    if (this.closed || this.connectionId !== connectionId) return;
    const pc = this.host.createPeerConnection(configuration);
    this.pc = pc;
    const negotiator = new PerfectNegotiator(
      pc,
      this.host.polite,
      (message) => this.host.sendSignal({ connectionId, ...message }),
      () => this.attachMicrophone(),
    );
    this.negotiator = negotiator;
    const current = () => this.pc === pc;
    pc.onnegotiationneeded = () => {
      if (current()) negotiator.negotiationNeeded().catch((error: unknown) => console.warn("voice: offer failed", error));
    };
    pc.onicecandidate = (event) => {
      if (current() && event.candidate) this.host.sendSignal({ connectionId, candidate: event.candidate.toJSON() });
    };
    pc.onicecandidateerror = (event) => {
      const { errorCode, url } = event as RTCPeerConnectionIceErrorEvent;
      // 401 from the TURN server: the credentials are wrong or expired.
      if (errorCode === 401) this.turnRefused = true;
      // 701: no answer from that server at all.
      if (errorCode === 701 && /^turns?:/.test(url ?? "")) this.turnUnreachable = true;
    };
    pc.oniceconnectionstatechange = () => current() && this.evaluate(pc);
    pc.onconnectionstatechange = () => current() && this.evaluate(pc);
    pc.ontrack = (event) => {
      if (current()) this.host.remoteStream(this, event.streams[0] ?? new MediaStream([event.track]));
    };
    this.setState(this.connectedOnce ? "reconnecting" : "connecting");
    this.armConnectTimer();
    if (offering) {
      const stream = this.host.localStream();
      const track = stream?.getAudioTracks()[0];
      const transceiver = pc.addTransceiver(track ?? "audio", { direction: "sendrecv", streams: stream ? [stream] : [] });
      preferOpus(transceiver);
    }
  }

  private async attachMicrophone(): Promise<void> {
    const transceiver = this.audioTransceiver();
    if (!transceiver) return;
    preferOpus(transceiver);
    transceiver.direction = "sendrecv";
    const stream = this.host.localStream();
    const track = stream?.getAudioTracks()[0] ?? null;
    if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
    if (stream && "setStreams" in transceiver.sender) transceiver.sender.setStreams(stream);
  }

  private audioTransceiver(): RTCRtpTransceiver | undefined {
    return this.pc?.getTransceivers().find((t) => t.receiver.track.kind === "audio" && t.currentDirection !== "stopped");
  }

  private evaluate(pc: RTCPeerConnection): void {
    const connection = pc.connectionState;
    const ice = pc.iceConnectionState;
    if (connection === "connected") {
      this.clearTimers();
      this.recovery.connected();
      this.connectedOnce = true;
      this.setState("connected");
      void this.sampleQuality();
    } else if (connection === "failed" || ice === "failed") {
      this.trouble("ice_failed");
    } else if (ice === "disconnected" || connection === "disconnected") {
      if (this.graceTimer === null) {
        this.graceTimer = setTimeout(() => {
          this.graceTimer = null;
          if (this.pc === pc && pc.connectionState !== "connected") this.trouble("disconnected");
        }, DISCONNECTED_GRACE_MS);
      }
    }
  }

  private trouble(trigger: RecoveryTrigger): void {
    if (this.closed) return;
    this.failures.push(this.failureReason(trigger));
    const action = this.recovery.onTrouble(trigger);
    this.clearTimers();
    if (action.kind === "restart_ice" && this.pc) {
      this.setState("reconnecting");
      this.armConnectTimer();
      this.pc.restartIce();
    } else if (action.kind === "reconnect" || (action.kind === "restart_ice" && !this.pc)) {
      this.setState("reconnecting");
      this.dropConnection();
      const delayMs = action.kind === "reconnect" ? action.delayMs : 0;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        void this.connect(true);
      }, delayMs);
    } else {
      this.dropConnection();
      this.setState("failed");
      this.host.gaveUp(this);
    }
  }

  /** What a timeout most likely was, from what the TURN server told us while gathering. */
  private failureReason(trigger: RecoveryTrigger): string {
    if (trigger !== "timeout") return trigger;
    if (this.turnRefused) return "turn_unauthorized";
    if (this.turnUnreachable) return "turn_unreachable";
    return "timeout";
  }

  private armConnectTimer(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.pc?.connectionState !== "connected") this.trouble("timeout");
    }, this.host.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  }

  private clearTimers(): void {
    for (const timer of [this.connectTimer, this.graceTimer, this.reconnectTimer]) if (timer !== null) clearTimeout(timer);
    this.connectTimer = this.graceTimer = this.reconnectTimer = null;
  }

  private dropConnection(): void {
    const pc = this.pc;
    this.pc = null;
    this.negotiator = null;
    if (pc) {
      pc.onnegotiationneeded = pc.onicecandidate = pc.onicecandidateerror = null;
      pc.oniceconnectionstatechange = pc.onconnectionstatechange = pc.ontrack = null;
      pc.close();
    }
  }

  private setState(state: PeerState): void {
    if (this.state === state) return;
    this.state = state;
    this.host.changed(this);
  }
}
