/**
 * The voice call of one room: a full mesh of RTCPeerConnections (spec 4.3.1,
 * at most four peers each), signaled through the room (`VoiceSignaling`).
 *
 * The newcomer calls everyone listed in `voice:peers`; members already in the
 * call answer. The mesh owns the links, the shared ICE configuration (relay
 * only in privacy mode), quality sampling and the join report; what a person
 * hears and says lives in `VoiceClient`.
 */

import { VoiceError } from "./errors";
import type { IceConfiguration, VoiceJoinReport } from "./iceServers";
import { PeerLink, type PeerLinkHost, type PeerState } from "./peerLink";
import { isPolite } from "./politeness";
import type { QualityMetrics } from "./quality";
import { CONNECT_TIMEOUT_MS } from "./recovery";
import type { PeerSignal, VoiceSignaling } from "./signaling";

export interface PeerView {
  peerId: string;
  state: PeerState;
  relayed: boolean | null;
  quality: QualityMetrics | null;
}

export interface VoiceMeshEvents {
  peer: PeerView;
  peerLeft: string;
  track: { peerId: string; stream: MediaStream };
  error: VoiceError;
  report: VoiceJoinReport;
}

export interface VoiceMeshOptions {
  selfId: string;
  signaling: VoiceSignaling;
  iceServers: { get(fresh?: boolean): Promise<IceConfiguration> };
  relayOnly?: boolean;
  connectTimeoutMs?: number;
  qualityIntervalMs?: number;
  createPeerConnection?: (configuration: RTCConfiguration) => RTCPeerConnection;
  random?: () => number;
  now?: () => number;
}

type Handler<T> = (value: T) => void;

export class VoiceMesh {
  private readonly links = new Map<string, PeerLink>();
  private readonly handlers = new Map<keyof VoiceMeshEvents, Set<Handler<never>>>();
  private unsubscribe: Array<() => void> = [];
  private stream: MediaStream | null = null;
  private relayOnly: boolean;
  private joined = false;
  private qualityTimer: ReturnType<typeof setInterval> | null = null;
  private pendingJoin: { startedAt: number; expected: Set<string>; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(private readonly options: VoiceMeshOptions) {
    this.relayOnly = options.relayOnly ?? false;
  }

  get inCall(): boolean {
    return this.joined;
  }

  get isRelayOnly(): boolean {
    return this.relayOnly;
  }

  on<K extends keyof VoiceMeshEvents>(event: K, handler: Handler<VoiceMeshEvents[K]>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never>);
    return () => set.delete(handler as Handler<never>);
  }

  peers(): PeerView[] {
    return [...this.links.values()].map((link) => this.view(link));
  }

  /** The raw RTCPeerConnection of a peer (diagnostics and tests). */
  connectionOf(peerId: string): RTCPeerConnection | null {
    return this.links.get(peerId)?.pc ?? null;
  }

  /** Join the room's call, sending `stream`'s audio track (null: listen only). */
  async join(stream: MediaStream | null): Promise<void> {
    if (this.joined) return;
    if (typeof RTCPeerConnection === "undefined" && !this.options.createPeerConnection) throw new VoiceError("webrtc_unsupported");
    this.stream = stream;
    const configuration = await this.options.iceServers.get();
    if (this.relayOnly && !configuration.relayAvailable) throw new VoiceError("relay_unavailable");
    const { signaling } = this.options;
    this.unsubscribe = [
      signaling.on("voice:peers", ({ peers }) => this.callEveryone(peers)),
      signaling.on("voice:peer:joined", ({ peerId }) => this.link(peerId)),
      signaling.on("voice:peer:left", ({ peerId }) => this.drop(peerId)),
      signaling.on("voice:signal", ({ fromId, signal }) => void this.link(fromId).receive(signal)),
    ];
    this.joined = true;
    this.qualityTimer = setInterval(() => this.sampleQuality(), this.options.qualityIntervalMs ?? 2_000);
    this.startJoinClock([]);
    signaling.send("voice:join", {});
  }

  leave(): void {
    if (!this.joined) return;
    this.joined = false;
    this.options.signaling.send("voice:leave", {});
    this.teardown();
  }

  /**
   * The room socket came back after a drop: the server ended our voice
   * session with it, so every connection is rebuilt from a fresh join.
   */
  rejoin(): void {
    if (!this.joined) return;
    for (const link of this.links.values()) link.close();
    this.links.clear();
    if (this.pendingJoin) clearTimeout(this.pendingJoin.timer);
    this.pendingJoin = null;
    this.startJoinClock([]);
    this.options.signaling.send("voice:join", {});
  }

  /** Privacy mode: relay every connection through TURN so peers never learn our address. */
  async setRelayOnly(relayOnly: boolean): Promise<void> {
    if (relayOnly === this.relayOnly) return;
    if (relayOnly && !(await this.options.iceServers.get()).relayAvailable) throw new VoiceError("relay_unavailable");
    this.relayOnly = relayOnly;
    // Addresses already exchanged cannot be taken back: start every connection anew.
    for (const link of this.links.values()) void link.connect();
  }

  async setLocalStream(stream: MediaStream | null): Promise<void> {
    this.stream = stream;
    const track = stream?.getAudioTracks()[0] ?? null;
    await Promise.all([...this.links.values()].map((link) => link.replaceTrack(track)));
  }

  // ------------------------------------------------------------------ internals

  private callEveryone(peers: string[]): void {
    this.startJoinClock(peers);
    for (const peerId of peers) void this.link(peerId).connect();
  }

  private link(peerId: string): PeerLink {
    let link = this.links.get(peerId);
    if (!link) {
      link = new PeerLink(peerId, this.hostFor(peerId));
      this.links.set(peerId, link);
      this.emit("peer", this.view(link));
    }
    return link;
  }

  private drop(peerId: string): void {
    const link = this.links.get(peerId);
    if (!link) return;
    this.links.delete(peerId);
    link.close();
    this.pendingJoin?.expected.delete(peerId);
    this.emit("peerLeft", peerId);
    this.maybeReport();
  }

  private hostFor(peerId: string): PeerLinkHost {
    const { options } = this;
    return {
      polite: isPolite(options.selfId, peerId),
      connectTimeoutMs: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      rtcConfiguration: async (fresh) => {
        const { iceServers } = await options.iceServers.get(fresh);
        return { iceServers, iceTransportPolicy: this.relayOnly ? "relay" : "all", bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" };
      },
      createPeerConnection: (configuration) => (options.createPeerConnection ?? ((c) => new RTCPeerConnection(c)))(configuration),
      localStream: () => this.stream,
      sendSignal: (signal: PeerSignal) => {
        if (this.links.has(peerId)) options.signaling.send("voice:signal", { targetId: peerId, signal });
      },
      changed: (link) => {
        this.emit("peer", this.view(link));
        if (link.state === "connected") this.maybeReport();
      },
      remoteStream: (link, stream) => this.emit("track", { peerId: link.peerId, stream }),
      gaveUp: (link) => this.emit("error", new VoiceError("connection_failed", link.peerId)),
      random: () => (options.random ?? Math.random)(),
    };
  }

  private startJoinClock(expected: string[]): void {
    const now = (this.options.now ?? (() => performance.now()))();
    if (this.pendingJoin) clearTimeout(this.pendingJoin.timer);
    const startedAt = this.pendingJoin?.startedAt ?? now;
    this.pendingJoin = {
      startedAt,
      expected: new Set(expected),
      timer: setTimeout(() => this.report(true), (this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS) + 1_000),
    };
    if (expected.length === 0) {
      // Alone in the call until `voice:peers` says otherwise; nothing to time yet.
      clearTimeout(this.pendingJoin.timer);
    }
  }

  private maybeReport(): void {
    const pending = this.pendingJoin;
    if (!pending || pending.expected.size === 0) return;
    const all = [...pending.expected].every((peerId) => this.links.get(peerId)?.state === "connected");
    if (all) this.report(false);
  }

  private report(timedOut: boolean): void {
    const pending = this.pendingJoin;
    if (!pending || pending.expected.size === 0) return;
    clearTimeout(pending.timer);
    this.pendingJoin = null;
    const links = [...pending.expected].map((peerId) => this.links.get(peerId)).filter((link): link is PeerLink => !!link);
    const now = (this.options.now ?? (() => performance.now()))();
    const connected = links.filter((link) => link.state === "connected");
    void Promise.all(connected.map((link) => link.sampleQuality())).then(() => {
      this.emit("report", {
        peers: links.length,
        connected: connected.length,
        relayed: connected.filter((link) => link.relayed === true).length,
        joinMs: timedOut ? null : Math.round(now - pending.startedAt),
        iceFailures: links.flatMap((link) => link.failures),
      });
    });
  }

  private sampleQuality(): void {
    for (const link of this.links.values()) void link.sampleQuality().catch(() => undefined);
  }

  private teardown(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    for (const link of this.links.values()) link.close();
    this.links.clear();
    if (this.qualityTimer !== null) clearInterval(this.qualityTimer);
    this.qualityTimer = null;
    if (this.pendingJoin) clearTimeout(this.pendingJoin.timer);
    this.pendingJoin = null;
  }

  private view(link: PeerLink): PeerView {
    return { peerId: link.peerId, state: link.state, relayed: link.relayed, quality: link.quality };
  }

  private emit<K extends keyof VoiceMeshEvents>(event: K, value: VoiceMeshEvents[K]): void {
    const set = this.handlers.get(event) as Set<Handler<VoiceMeshEvents[K]>> | undefined;
    for (const handler of set ?? []) handler(value);
  }
}
