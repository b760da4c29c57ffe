/**
 * Test page glue: a minimal room socket (hello/welcome, voice messages,
 * reconnection) driving the real `VoiceClient` from web/src/voice, exposed as
 * `window.voiceHarness` for Playwright's `page.evaluate`.
 */

import { IceServerSource, sendJoinReport, VoiceClient, type PeerSignal, type VoiceJoinReport, type VoiceSignaling } from "../../../web/src/voice/index";

type Handler = (data: never) => void;

/** Tests stay on this machine: peers learn only loopback candidates (host or relayed). */
function onLoopback(candidateLine: string): boolean {
  const address = candidateLine.replace(/^a=/, "").split(" ")[4] ?? "";
  return address.startsWith("127.") || address === "::1";
}

function loopbackOnly(signal: PeerSignal): PeerSignal | null {
  if (signal.candidate) {
    const line = signal.candidate.candidate ?? "";
    return line === "" || onLoopback(line) ? signal : null;
  }
  if (signal.description?.sdp) {
    const sdp = signal.description.sdp
      .split("\r\n")
      .filter((line) => !line.startsWith("a=candidate:") || onLoopback(line))
      .join("\r\n");
    return { ...signal, description: { ...signal.description, sdp } };
  }
  return signal;
}

class HarnessSocket implements VoiceSignaling {
  private ws: WebSocket | null = null;
  private handlers = new Map<string, Set<Handler>>();
  private closedOnPurpose = false;
  selfId = "";
  onReconnected: () => void = () => undefined;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      ws.onopen = () => ws.send(JSON.stringify({ type: "hello", data: { protocolVersion: "1.0.0", token: this.token } }));
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; data: Record<string, unknown> };
        if (message.type === "welcome") {
          this.selfId = String((message.data.you as { participantId: string }).participantId);
          resolve();
        }
        for (const handler of this.handlers.get(message.type) ?? []) (handler as (data: unknown) => void)(message.data);
      };
      ws.onclose = () => {
        if (this.ws !== ws) return;
        this.ws = null;
        reject(new Error("closed before welcome"));
        if (!this.closedOnPurpose) setTimeout(() => void this.reconnect(), 200);
      };
    });
  }

  private async reconnect(): Promise<void> {
    try {
      await this.open();
      this.onReconnected();
    } catch {
      // open() schedules the next try from onclose.
    }
  }

  /** Drop the connection the way a network cut does; it comes back by itself. */
  drop(): void {
    this.ws?.close();
  }

  close(): void {
    this.closedOnPurpose = true;
    this.ws?.close();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  send(type: string, data: unknown): void {
    if (type === "voice:signal") {
      const { targetId, signal } = data as { targetId: string; signal: PeerSignal };
      const kept = loopbackOnly(signal);
      if (!kept) return;
      data = { targetId, signal: kept };
    }
    if (type === "voice:join") {
      timeline.joinSentAt = Date.now();
      timeline.connectedAt = {};
    }
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type, data }));
  }

  on(type: string, handler: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }
}

interface StartOptions {
  code: string;
  token: string;
  relayOnly?: boolean;
  connectTimeoutMs?: number;
  mode?: "push_to_talk" | "voice_activity";
}

/** Epoch ms of our `voice:join` and of each peer first reaching `connected` since (benchmarks). */
const timeline: { joinSentAt: number | null; connectedAt: Record<string, number> } = { joinSentAt: null, connectedAt: {} };

let socket: HarnessSocket | null = null;
let client: VoiceClient | null = null;
const reports: VoiceJoinReport[] = [];
const errors: string[] = [];

async function start(options: StartOptions): Promise<string> {
  const url = `${location.origin.replace(/^http/, "ws")}/ws/rooms/${options.code}`;
  socket = new HarnessSocket(url, options.token);
  await socket.open();
  const token = options.token;
  client = new VoiceClient({
    selfId: socket.selfId,
    signaling: socket,
    iceServers: new IceServerSource(async () => token),
    // Voice activity at threshold 0 sends everything: the fake microphone beeps once a second.
    settings: { mode: options.mode ?? "voice_activity", vadThreshold: 0, relayOnly: options.relayOnly ?? false },
    connectTimeoutMs: options.connectTimeoutMs ?? 8_000,
    qualityIntervalMs: 500,
    onReport: (report) => {
      reports.push(report);
      void sendJoinReport(report, token);
    },
  });
  client.mesh.on("error", (error) => errors.push(`${error.code}:${error.peerId ?? ""}`));
  client.mesh.on("peer", (peer) => {
    if (peer.state === "connected" && !(peer.peerId in timeline.connectedAt)) timeline.connectedAt[peer.peerId] = Date.now();
  });
  client.mesh.on("peerLeft", (peerId) => delete timeline.connectedAt[peerId]);
  const current = client;
  socket.onReconnected = () => current.rejoin();
  await client.join();
  return socket.selfId;
}

async function stats(): Promise<Record<string, { state: string; bytesReceived: number; localType: string | null; connectionState: string }>> {
  const out: Record<string, { state: string; bytesReceived: number; localType: string | null; connectionState: string }> = {};
  if (!client) return out;
  for (const peer of client.mesh.peers()) {
    const pc = client.mesh.connectionOf(peer.peerId);
    let bytesReceived = 0;
    let localType: string | null = null;
    if (pc) {
      const report = await pc.getStats();
      const byId = new Map<string, Record<string, unknown>>();
      report.forEach((entry: Record<string, unknown>) => byId.set(String(entry.id), entry));
      for (const entry of byId.values()) {
        if (entry.type === "inbound-rtp" && entry.kind === "audio") bytesReceived += Number(entry.bytesReceived ?? 0);
        if (entry.type === "transport" && typeof entry.selectedCandidatePairId === "string") {
          const pair = byId.get(entry.selectedCandidatePairId);
          const local = pair ? byId.get(String(pair.localCandidateId)) : undefined;
          localType = local ? String(local.candidateType) : null;
        }
      }
    }
    out[peer.peerId] = { state: peer.state, bytesReceived, localType, connectionState: pc?.connectionState ?? "none" };
  }
  return out;
}

function leave(): void {
  client?.leave();
  socket?.close();
  client = null;
  socket = null;
}

(window as unknown as { voiceHarness: unknown }).voiceHarness = {
  start,
  stats,
  leave,
  dropSocket: () => socket?.drop(),
  socketConnected: () => socket?.connected ?? false,
  snapshot: () => client?.snapshot(),
  reports: () => reports,
  errors: () => errors,
  timeline: () => timeline,
  setRelayOnly: (relayOnly: boolean) => client?.setRelayOnly(relayOnly),
};
