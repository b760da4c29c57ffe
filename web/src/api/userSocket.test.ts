import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeWebSocket } from "../test/fakeWebSocket";
import { USER_HEARTBEAT_MS, USER_SILENCE_LIMIT_MS, UserSocket } from "./userSocket";

const welcome = {
  type: "welcome",
  data: { protocolVersion: "1.0.0", serverTime: 1, you: { userId: "u1", username: "ann" }, friends: [], status: "busy", unreadNotifications: 3 },
};

function open(token: string | null = "t1") {
  const socket = new UserSocket({ url: "ws://x/ws/me", getToken: async () => token, createSocket: (url) => new FakeWebSocket(url), random: () => 0 });
  socket.connect();
  return socket;
}

async function flush() {
  await vi.advanceTimersByTimeAsync(0);
}

describe("the /ws/me client", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.instances = [];
  });
  afterEach(() => vi.useRealTimers());

  it("says hello with the token and is open after the welcome", async () => {
    const socket = open();
    await flush();
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    expect(ws.sentOfType("hello")[0]?.data).toEqual({ protocolVersion: "1.0.0", token: "t1" });
    ws.serverSend(welcome);
    expect(socket.state).toBe("open");
    expect(socket.welcome?.unreadNotifications).toBe(3);
  });

  it("settles a request with its ack or error", async () => {
    const socket = open();
    await flush();
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    ws.serverSend(welcome);
    const ok = socket.request("presence:set", { status: "invisible" });
    const sent = ws.sentOfType("presence:set")[0]!;
    ws.serverSend({ type: "ack", re: sent.id });
    await expect(ok).resolves.toBeUndefined();
    const refused = socket.request("room:invite", { userId: "u2", roomCode: "ABCDEFGH" });
    const invite = ws.sentOfType("room:invite")[0]!;
    ws.serverSend({ type: "error", re: invite.id, data: { code: "forbidden", message: "You can only invite friends." } });
    await expect(refused).rejects.toMatchObject({ code: "forbidden" });
  });

  it("reconnects after a drop and after a silent connection", async () => {
    const socket = open();
    await flush();
    const first = FakeWebSocket.latest();
    first.serverOpen();
    first.serverSend(welcome);
    first.serverClose(1006);
    expect(socket.state).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(1_000);
    const second = FakeWebSocket.latest();
    expect(second).not.toBe(first);
    second.serverOpen();
    second.serverSend(welcome);
    expect(socket.state).toBe("open");
    // Pings keep it alive; nothing heard for a minute means it is gone.
    await vi.advanceTimersByTimeAsync(USER_HEARTBEAT_MS);
    expect(second.sentOfType("time:ping")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(USER_SILENCE_LIMIT_MS);
    expect(second.closedWith).toBe(4000);
  });

  it("stops for good when signed out", async () => {
    const socket = open();
    await flush();
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    ws.serverSend(welcome);
    socket.close();
    expect(socket.state).toBe("closed");
    expect(ws.closedWith).toBe(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
