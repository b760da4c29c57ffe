import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IceConfiguration, VoiceJoinReport } from "./iceServers";
import { VoiceMesh } from "./mesh";
import type { PeerSignal, VoiceClientMessages, VoiceServerMessages, VoiceSignaling } from "./signaling";

/** Just enough of RTCPeerConnection for the mesh's bookkeeping; the real one is exercised in Chromium. */
class FakePeerConnection {
  static all: FakePeerConnection[] = [];
  signalingState: RTCSignalingState = "stable";
  connectionState: RTCPeerConnectionState = "new";
  iceConnectionState: RTCIceConnectionState = "new";
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  remoteDescription: { type: RTCSdpType; sdp?: string } | null = null;
  transceivers: Array<Record<string, unknown>> = [];
  restarts = 0;
  closed = false;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: unknown) => void) | null = null;
  onicecandidateerror: ((event: unknown) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  ontrack: ((event: unknown) => void) | null = null;

  constructor(readonly configuration: RTCConfiguration) {
    FakePeerConnection.all.push(this);
  }

  addTransceiver(track: unknown) {
    const transceiver = this.transceiver(typeof track === "string" ? null : track);
    queueMicrotask(() => this.onnegotiationneeded?.());
    return transceiver;
  }

  getTransceivers() {
    return this.transceivers;
  }

  async setLocalDescription(): Promise<void> {
    if (this.signalingState === "have-remote-offer") {
      this.localDescription = { type: "answer", sdp: "answer" };
      this.signalingState = "stable";
    } else {
      this.localDescription = { type: "offer", sdp: `offer${this.restarts ? "-restart" : ""}` };
      this.signalingState = "have-local-offer";
    }
  }

  async setRemoteDescription(description: { type: RTCSdpType; sdp?: string }): Promise<void> {
    this.remoteDescription = description;
    if (description.type === "offer") {
      if (this.transceivers.length === 0) this.transceiver(null);
      this.signalingState = "have-remote-offer";
    } else {
      this.signalingState = "stable";
    }
  }

  async addIceCandidate(): Promise<void> {}

  restartIce(): void {
    this.restarts += 1;
    queueMicrotask(() => this.onnegotiationneeded?.());
  }

  async getStats() {
    return new Map();
  }

  close(): void {
    this.closed = true;
  }

  becomes(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.iceConnectionState = state === "connected" ? "connected" : state === "failed" ? "failed" : "checking";
    this.onconnectionstatechange?.();
  }

  private transceiver(track: unknown) {
    const transceiver = {
      direction: "recvonly",
      currentDirection: null,
      receiver: { track: { kind: "audio" } },
      sender: { track, replaceTrack: async (next: unknown) => (transceiver.sender.track = next) },
      setCodecPreferences: () => undefined,
    };
    this.transceivers.push(transceiver);
    return transceiver;
  }
}

class FakeSignaling implements VoiceSignaling {
  sent: Array<{ type: string; data: unknown }> = [];
  private handlers = new Map<string, Set<(data: never) => void>>();

  send<K extends keyof VoiceClientMessages>(type: K, data: VoiceClientMessages[K]): void {
    this.sent.push({ type, data });
  }

  on<K extends keyof VoiceServerMessages>(type: K, handler: (data: VoiceServerMessages[K]) => void): () => void {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type)!.add(handler as (data: never) => void);
    return () => this.handlers.get(type)!.delete(handler as (data: never) => void);
  }

  deliver<K extends keyof VoiceServerMessages>(type: K, data: VoiceServerMessages[K]): void {
    for (const handler of this.handlers.get(type) ?? []) (handler as (d: unknown) => void)(data);
  }

  signalsTo(peerId: string): PeerSignal[] {
    return this.sent
      .filter((m) => m.type === "voice:signal" && (m.data as { targetId: string }).targetId === peerId)
      .map((m) => (m.data as { signal: PeerSignal }).signal);
  }
}

const TURN: IceConfiguration = { iceServers: [{ urls: ["turn:127.0.0.1:3478"], username: "1:u", credential: "c" }], ttl: 600, relayAvailable: true };

function setup(options: { relayOnly?: boolean; configuration?: IceConfiguration; selfId?: string } = {}) {
  const signaling = new FakeSignaling();
  let now = 0;
  const iceServers = { get: vi.fn(async (_fresh?: boolean) => options.configuration ?? TURN) };
  const mesh = new VoiceMesh({
    selfId: options.selfId ?? "m",
    signaling,
    iceServers,
    relayOnly: options.relayOnly ?? false,
    connectTimeoutMs: 5_000,
    createPeerConnection: (configuration) => new FakePeerConnection(configuration) as unknown as RTCPeerConnection,
    random: () => 1,
    now: () => now,
  });
  const reports: VoiceJoinReport[] = [];
  mesh.on("report", (report) => reports.push(report));
  return { mesh, signaling, iceServers, reports, advanceClock: (ms: number) => (now += ms) };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  FakePeerConnection.all = [];
});
afterEach(() => vi.useRealTimers());

describe("VoiceMesh", () => {
  it("joins, then calls everyone already in the call with an offer", async () => {
    const { mesh, signaling } = setup();
    await mesh.join(null);
    expect(signaling.sent[0]).toEqual({ type: "voice:join", data: {} });
    signaling.deliver("voice:peers", { peers: ["a", "z"] });
    await flush();
    expect(FakePeerConnection.all).toHaveLength(2);
    for (const peer of ["a", "z"]) {
      const [offer] = signaling.signalsTo(peer);
      expect(offer?.description?.type).toBe("offer");
      expect(offer?.connectionId).toBeTruthy();
    }
    expect(mesh.peers().map((p) => [p.peerId, p.state])).toEqual([
      ["a", "connecting"],
      ["z", "connecting"],
    ]);
  });

  it("answers a newcomer's offer on the same connection id", async () => {
    const { mesh, signaling } = setup();
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: [] });
    signaling.deliver("voice:peer:joined", { peerId: "n" });
    expect(FakePeerConnection.all).toHaveLength(0); // the newcomer calls, we answer
    signaling.deliver("voice:signal", { fromId: "n", signal: { connectionId: "c1", description: { type: "offer", sdp: "o" } } });
    await flush();
    expect(FakePeerConnection.all).toHaveLength(1);
    expect(signaling.signalsTo("n")).toEqual([{ connectionId: "c1", description: { type: "answer", sdp: "answer" } }]);
    expect(FakePeerConnection.all[0]!.transceivers[0]!.direction).toBe("sendrecv");
  });

  it("drops late messages of a connection it no longer has", async () => {
    const { mesh, signaling } = setup();
    await mesh.join(null);
    signaling.deliver("voice:signal", { fromId: "n", signal: { connectionId: "c1", description: { type: "offer", sdp: "o" } } });
    await flush();
    signaling.deliver("voice:signal", { fromId: "n", signal: { connectionId: "old", description: { type: "answer", sdp: "a" } } });
    await flush();
    expect(FakePeerConnection.all[0]!.remoteDescription).toEqual({ type: "offer", sdp: "o" });
  });

  it("uses relay-only ICE in privacy mode, and refuses it when the server has no TURN", async () => {
    const { mesh, signaling } = setup({ relayOnly: true });
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: ["a"] });
    await flush();
    expect(FakePeerConnection.all[0]!.configuration.iceTransportPolicy).toBe("relay");
    expect(FakePeerConnection.all[0]!.configuration.iceServers).toEqual(TURN.iceServers);

    const stunOnly = setup({ relayOnly: true, configuration: { iceServers: [], ttl: 600, relayAvailable: false } });
    await expect(stunOnly.mesh.join(null)).rejects.toMatchObject({ code: "relay_unavailable" });
    expect(stunOnly.signaling.sent).toEqual([]);
  });

  it("reports the join once every peer is connected", async () => {
    const { mesh, signaling, reports, advanceClock } = setup();
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: ["a", "b"] });
    await flush();
    advanceClock(120);
    FakePeerConnection.all[0]!.becomes("connected");
    expect(reports).toEqual([]);
    advanceClock(30);
    FakePeerConnection.all[1]!.becomes("connected");
    await flush();
    expect(reports).toEqual([{ peers: 2, connected: 2, relayed: 0, joinMs: 150, iceFailures: [] }]);
  });

  it("restarts ICE when a connection fails", async () => {
    const { mesh, signaling } = setup();
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: ["a"] });
    await flush();
    const pc = FakePeerConnection.all[0]!;
    pc.becomes("connected");
    await signaling.deliver("voice:signal", { fromId: "a", signal: { connectionId: signaling.signalsTo("a")[0]!.connectionId, description: { type: "answer", sdp: "x" } } });
    await flush();
    pc.becomes("failed");
    await flush();
    expect(pc.restarts).toBe(1);
    expect(mesh.peers()[0]!.state).toBe("reconnecting");
    expect(signaling.signalsTo("a").at(-1)?.description?.sdp).toBe("offer-restart");
  });

  it("rebuilds a connection that never connects, with fresh credentials, and reports the timeout", async () => {
    const { mesh, signaling, reports, iceServers } = setup();
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: ["a"] });
    await flush();
    const first = signaling.signalsTo("a")[0]!.connectionId;
    await vi.advanceTimersByTimeAsync(5_000); // the connection deadline
    expect(FakePeerConnection.all[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000); // the first backoff step
    expect(FakePeerConnection.all).toHaveLength(2);
    expect(iceServers.get).toHaveBeenLastCalledWith(true);
    const second = signaling.signalsTo("a").at(-1)!.connectionId;
    expect(second).not.toBe(first);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reports).toEqual([{ peers: 1, connected: 0, relayed: 0, joinMs: null, iceFailures: ["timeout"] }]);
  });

  it.each([
    [{ errorCode: 401, url: "turn:127.0.0.1:3478?transport=udp" }, "turn_unauthorized"],
    [{ errorCode: 701, url: "turn:127.0.0.1:3478?transport=tcp" }, "turn_unreachable"],
    [{ errorCode: 701, url: "stun:127.0.0.1:3478" }, "timeout"],
  ])("names a timeout after what the TURN server said (%o → %s)", async (error, reason) => {
    const { mesh, signaling, reports } = setup();
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: ["a"] });
    await flush();
    FakePeerConnection.all[0]!.onicecandidateerror?.(error);
    await vi.advanceTimersByTimeAsync(7_000);
    expect(reports[0]?.iceFailures[0]).toBe(reason);
  });

  it("closes the connection of a peer who leaves", async () => {
    const { mesh, signaling } = setup();
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: ["a"] });
    await flush();
    signaling.deliver("voice:peer:left", { peerId: "a" });
    expect(FakePeerConnection.all[0]!.closed).toBe(true);
    expect(mesh.peers()).toEqual([]);
  });

  it("on rejoin, drops every connection and joins again; on leave, says so", async () => {
    const { mesh, signaling } = setup();
    await mesh.join(null);
    signaling.deliver("voice:peers", { peers: ["a"] });
    await flush();
    mesh.rejoin();
    expect(FakePeerConnection.all[0]!.closed).toBe(true);
    expect(signaling.sent.filter((m) => m.type === "voice:join")).toHaveLength(2);
    mesh.leave();
    expect(signaling.sent.at(-1)).toEqual({ type: "voice:leave", data: {} });
    signaling.deliver("voice:peers", { peers: ["a"] });
    expect(FakePeerConnection.all).toHaveLength(1); // no longer listening
  });

  it("when both sides rebuild at once, the polite side adopts the impolite side's connection", async () => {
    // "m" < "z": m is impolite towards z.
    const impolite = setup({ selfId: "m" });
    await impolite.mesh.join(null);
    impolite.signaling.deliver("voice:peers", { peers: ["z"] });
    await flush();
    const ours = impolite.signaling.signalsTo("z")[0]!.connectionId;
    // z's own fresh offer crosses ours: ignored while our attempt is pending.
    impolite.signaling.deliver("voice:signal", { fromId: "z", signal: { connectionId: "theirs", description: { type: "offer", sdp: "o" } } });
    await flush();
    expect(FakePeerConnection.all).toHaveLength(1);
    expect(impolite.signaling.signalsTo("z").every((s) => s.connectionId === ours)).toBe(true);

    FakePeerConnection.all = [];
    const polite = setup({ selfId: "z" });
    await polite.mesh.join(null);
    polite.signaling.deliver("voice:peers", { peers: ["m"] });
    await flush();
    polite.signaling.deliver("voice:signal", { fromId: "m", signal: { connectionId: "theirs", description: { type: "offer", sdp: "o" } } });
    await flush();
    expect(FakePeerConnection.all).toHaveLength(2);
    expect(FakePeerConnection.all[0]!.closed).toBe(true);
    expect(polite.signaling.signalsTo("m").at(-1)).toEqual({ connectionId: "theirs", description: { type: "answer", sdp: "answer" } });
  });
});
