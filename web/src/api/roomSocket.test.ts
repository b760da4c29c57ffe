import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../test/fakeWebSocket";
import { playbackState, welcome } from "../test/fixtures";
import { HEARTBEAT_INTERVAL_MS, HELLO_TIMEOUT_MS, NETWORK_BACK_GRACE_MS, RoomSocket, SILENCE_LIMIT_MS, SILENCE_PROBE_MS, roomSocketUrl, type SocketState } from "./roomSocket";
import { backoffDelayMs } from "./backoff";

function makeSocket(getToken = vi.fn(async (_force: boolean) => "token-1")) {
  const client = new RoomSocket({
    url: "ws://localhost/ws/rooms/K7M2P9QX",
    getToken,
    createSocket: (url) => new FakeWebSocket(url),
    random: () => 0.5,
  });
  const states: SocketState[] = [];
  client.onState((s) => states.push(s));
  return { client, getToken, states };
}

async function connected(_client: RoomSocket, data = welcome()) {
  await vi.advanceTimersByTimeAsync(0);
  const ws = FakeWebSocket.latest();
  ws.serverOpen();
  ws.serverSend({ type: "welcome", data });
  return ws;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.instances = [];
});
afterEach(() => vi.useRealTimers());

describe("RoomSocket", () => {
  it("builds the room URL from the page origin", () => {
    expect(roomSocketUrl({ protocol: "https:", host: "watch.example" }, "K7M2P9QX")).toBe("wss://watch.example/ws/rooms/K7M2P9QX");
    expect(roomSocketUrl({ protocol: "http:", host: "localhost:5173" }, "K7M2P9QX")).toBe("ws://localhost:5173/ws/rooms/K7M2P9QX");
  });

  it("says hello with the token and password, then heartbeats every 5 s", async () => {
    const { client, states } = makeSocket();
    client.setPassword("hunter22");
    client.connect();
    const ws = await connected(client);
    const hello = ws.sentOfType("hello")[0]!;
    expect(hello.data).toMatchObject({ protocolVersion: "1.0.0", token: "token-1", password: "hunter22" });
    expect("lastSeq" in hello.data).toBe(false); // a first join has nothing to resume
    expect(states).toEqual(["connecting", "open"]);
    const before = ws.sentOfType("presence:heartbeat").length;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS * 3);
    expect(ws.sentOfType("presence:heartbeat").length).toBe(before + 3);
  });

  it("reconnects after a drop with growing jittered delays and resumes where it left off", async () => {
    const { client, states } = makeSocket();
    client.connect();
    const first = await connected(client, welcome({ state: playbackState({ sequenceNumber: 4 }) }));
    first.serverSend({ type: "sync:command", data: { type: "PLAY", sequenceNumber: 5, atServerTime: 0, issuedBy: "u", state: playbackState({ sequenceNumber: 5 }) } });
    first.serverSend({ type: "chat:message", data: { id: "m-9", userId: "u", username: "ada", content: "hi", createdAt: 1 } });

    first.serverClose(1006);
    expect(states.at(-1)).toBe("reconnecting");
    // attempt 0: nominal 500 ms, jitter 0.5 → 375 ms
    await vi.advanceTimersByTimeAsync(374);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const second = FakeWebSocket.latest();
    expect(second).not.toBe(first);
    second.serverClose(1006); // fails before opening: next delay is longer
    expect(client.reconnectAttempts).toBe(2);
    await vi.advanceTimersByTimeAsync(backoffDelayMs(1, () => 0.5));
    const third = FakeWebSocket.latest();
    third.serverOpen();
    expect(third.sentOfType("hello")[0]!.data).toMatchObject({ lastSeq: 5, lastMessageId: "m-9" });
    third.serverSend({ type: "welcome", data: welcome({ state: playbackState({ sequenceNumber: 5 }) }) });
    expect(client.state).toBe("open");
    expect(client.reconnectAttempts).toBe(0);
  });

  it("reconnects when the server restarts (1012)", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    ws.serverClose(1012);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWebSocket.instances.length).toBe(2);
  });

  it("comes back after a 1013 when the server said to, however long the backoff has grown", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client, welcome({ state: playbackState({ sequenceNumber: 7 }) }));
    ws.serverClose(1006); // its server died
    for (let refusal = 0; refusal < 4; refusal += 1) {
      await vi.advanceTimersByTimeAsync(30_000);
      const refused = FakeWebSocket.latest();
      refused.serverOpen();
      // The room is still held by the dead server's lease: come back in 3 s.
      refused.serverSend({ type: "error", re: "hello", data: { code: "room_unavailable", message: "moved", retryAfter: 3 } });
      refused.serverClose(1013);
      const count = FakeWebSocket.instances.length;
      await vi.advanceTimersByTimeAsync(2_999);
      expect(FakeWebSocket.instances.length).toBe(count); // never sooner than retryAfter
      await vi.advanceTimersByTimeAsync(251); // jitter 0.5 of 500 ms
      expect(FakeWebSocket.instances.length).toBe(count + 1); // nor much later
      FakeWebSocket.latest().serverClose(1006);
    }
    expect(client.fatal).toBeNull();
    await vi.advanceTimersByTimeAsync(30_000);
    const back = FakeWebSocket.latest();
    back.serverOpen();
    expect(back.sentOfType("hello")[0]!.data).toMatchObject({ lastSeq: 7 });
  });

  it("refreshes the token once on 4001, and gives up on a second 4001", async () => {
    const { client, getToken } = makeSocket();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    FakeWebSocket.latest().serverOpen();
    FakeWebSocket.latest().serverClose(4001);
    await vi.advanceTimersByTimeAsync(0);
    expect(getToken).toHaveBeenLastCalledWith(true);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().serverOpen();
    FakeWebSocket.latest().serverClose(4001);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.fatal).toBe("unauthorized");
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it.each([
    [4003, "kicked", "kicked"],
    [4003, "wrong_password", "wrong_password"],
    [4003, undefined, "forbidden"],
    [4004, undefined, "room_not_found"],
    [4009, undefined, "room_full"],
    [4010, undefined, "incompatible"],
    [4011, undefined, "replaced"],
  ])("stops for good on close %i (error %s) with reason %s", async (code, errorCode, reason) => {
    const { client } = makeSocket();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    if (errorCode) ws.serverSend({ type: "error", re: "hello", data: { code: errorCode, message: "no" } });
    ws.serverClose(code);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.fatal).toBe(reason);
    expect(client.state).toBe("closed");
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("falls back to the close reason text to tell a ban from a kick", async () => {
    const { client } = makeSocket();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    FakeWebSocket.latest().serverOpen();
    FakeWebSocket.latest().serverClose(4003, "banned");
    expect(client.fatal).toBe("banned");
  });

  it.each(["friends_only", "invitation_required", "guests_not_allowed"] as const)("stops for good when the room's preset refuses the hello (%s)", async (code) => {
    const { client } = makeSocket();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    ws.serverSend({ type: "error", re: "hello-1", data: { code, message: "no" } });
    ws.serverClose(4003, code);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.fatal).toBe(code);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("resolves a request on its ack and rejects it on its error", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    const played = client.request("sync:play", { expectedSeq: 0 });
    const seek = client.request("sync:seek", { targetMediaTimeMs: 1000 });
    const [playFrame, seekFrame] = [ws.sentOfType("sync:play")[0]!, ws.sentOfType("sync:seek")[0]!];
    ws.serverSend({ type: "ack", re: playFrame.id, data: { sequenceNumber: 1 } });
    ws.serverSend({ type: "error", re: seekFrame.id, data: { code: "forbidden", message: "owner only" } });
    await expect(played).resolves.toEqual({ sequenceNumber: 1 });
    await expect(seek).rejects.toMatchObject({ code: "forbidden" });
  });

  it("fails pending requests when the connection drops instead of hanging", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    const pending = client.request("chat:message", { content: "hello" });
    ws.serverClose(1006);
    await expect(pending).rejects.toMatchObject({ code: "disconnected" });
  });

  it("probes a silent connection, then replaces it", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    await vi.advanceTimersByTimeAsync(SILENCE_PROBE_MS);
    expect(ws.sentOfType("time:ping").length).toBeGreaterThan(0);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(SILENCE_LIMIT_MS - SILENCE_PROBE_MS + HEARTBEAT_INTERVAL_MS);
    expect(ws.closedWith).toBe(4000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it("keeps a connection that answers", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    for (let i = 0; i < 12; i++) {
      await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS);
      if (i % 4 === 0) ws.serverSend({ type: "room:participants", data: { participants: [] } });
    }
    expect(ws.closedWith).toBeNull();
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("retries when the server never welcomes", async () => {
    const { client } = makeSocket();
    client.connect();
    await vi.advanceTimersByTimeAsync(0);
    FakeWebSocket.latest().serverOpen();
    await vi.advanceTimersByTimeAsync(HELLO_TIMEOUT_MS + 1_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it("reconnects at once when the network comes back", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(375); // attempt 1 fails too
    FakeWebSocket.latest().serverClose(1006);
    client.reconnectNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it("when the network comes back, replaces an open socket that died meanwhile", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    client.reconnectNow(); // the browser's "online" event, with the socket still looking open
    expect(ws.sentOfType("time:ping")).toHaveLength(1);
    client.reconnectNow(); // a second event asks nothing more
    expect(ws.sentOfType("time:ping")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(NETWORK_BACK_GRACE_MS);
    expect(ws.closedWith).toBe(4000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it("when the network comes back, keeps an open socket that answers", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    client.reconnectNow();
    await vi.advanceTimersByTimeAsync(100);
    ws.serverSend({ type: "time:pong", data: { t0: 0, t1: 1, t2: 1 } });
    await vi.advanceTimersByTimeAsync(NETWORK_BACK_GRACE_MS * 2);
    expect(ws.closedWith).toBeNull();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(client.state).toBe("open");
  });

  it("does not reconnect after the user leaves", async () => {
    const { client } = makeSocket();
    client.connect();
    const ws = await connected(client);
    client.close();
    expect(ws.closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
