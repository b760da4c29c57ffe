import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, useSession } from "../store/session";
import { useRoomStore } from "../store/room";
import { useVoiceStore } from "../store/voice";
import { FakeWebSocket } from "../test/fakeWebSocket";
import { welcome } from "../test/fixtures";
import { RoomSession } from "./roomSession";
import { FakeVoiceClient } from "./voice/fakeVoiceClient";

const room = welcome().room;

async function joined(session: RoomSession, data = welcome()) {
  await session.open();
  await vi.advanceTimersByTimeAsync(0);
  const ws = FakeWebSocket.latest();
  ws.serverOpen();
  ws.serverSend({ type: "welcome", data });
  return ws;
}

function newSession() {
  return new RoomSession("K7M2P9QX", {
    now: () => Date.now(),
    createSocket: (url) => new FakeWebSocket(url),
    voice: { createClient: (options) => new FakeVoiceClient(options), storage: null, report: () => undefined },
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.instances = [];
  FakeVoiceClient.instances = [];
  vi.stubGlobal("window", { location: { protocol: "https:", host: "watch.example" } });
  useSession.setState({ status: "authenticated", user: { id: "u-me", username: "me" }, accessToken: "tok", expiresAt: Date.now() + 600_000 });
  vi.spyOn(api, "getRoom").mockResolvedValue({ ...room, ownerId: "u-owner", createdAt: 1_700_000_000_000, expiresAt: 1_700_086_400_000 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("RoomSession voice", () => {
  it("carries voice signaling over the room socket, both ways", async () => {
    const session = newSession();
    const ws = await joined(session);
    await session.joinVoice();
    const client = FakeVoiceClient.latest();
    expect(client.options.selfId).toBe("p-me");
    const peers: string[][] = [];
    client.options.signaling.on("voice:peers", ({ peers: list }) => peers.push(list));
    ws.serverSend({ type: "voice:peers", data: { peers: ["u-bob"] } });
    expect(peers).toEqual([["u-bob"]]);
    client.options.signaling.send("voice:signal", { targetId: "u-bob", signal: { connectionId: "c1", candidate: { candidate: "" } } });
    expect(ws.sentOfType("voice:signal")[0]).toEqual({ type: "voice:signal", data: { targetId: "u-bob", signal: { connectionId: "c1", candidate: { candidate: "" } } } });
    session.leave();
  });

  it("rejoins the call after the room socket reconnected, not on the first welcome", async () => {
    const session = newSession();
    const first = await joined(session);
    await session.joinVoice();
    const client = FakeVoiceClient.latest();
    expect(client.calls).not.toContain("rejoin");
    first.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    const second = FakeWebSocket.latest();
    second.serverOpen();
    second.serverSend({ type: "welcome", data: welcome() });
    expect(client.calls.filter((call) => call === "rejoin")).toHaveLength(1);
    session.leave();
  });

  it("leaves voice when the person leaves the room or is removed from it", async () => {
    const session = newSession();
    const ws = await joined(session);
    await session.joinVoice();
    ws.serverClose(4004);
    expect(FakeVoiceClient.latest().calls).toContain("leave");
    expect(useVoiceStore.getState().status).toBe("idle");

    const again = newSession();
    await joined(again);
    await again.joinVoice();
    again.leave();
    expect(FakeVoiceClient.latest().calls.at(-1)).toBe("leave");
  });

  it("follows the room's relay-only privacy setting from the welcome and from room:settings", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ room: { ...room, voiceRelayOnly: true } }));
    expect(useVoiceStore.getState().roomRelayOnly).toBe(true);
    await session.joinVoice();
    expect(FakeVoiceClient.latest().options.settings?.relayOnly).toBe(true);
    ws.serverSend({ type: "room:settings", data: { playbackControl: "all", autoHandover: true, voiceRelayOnly: false } });
    await vi.advanceTimersByTimeAsync(0);
    expect(useVoiceStore.getState().roomRelayOnly).toBe(false);
    expect(FakeVoiceClient.latest().calls).toContain("relayOnly:false");
    expect(useRoomStore.getState().room).toMatchObject({ playbackControl: "all", voiceRelayOnly: false });
    session.leave();
  });

  it("sends the owner's relay-only switch as room:settings", async () => {
    const session = newSession();
    const ws = await joined(session);
    const result = session.setVoiceRelayOnly(true);
    const frame = ws.sentOfType("room:settings")[0]!;
    expect(frame.data).toEqual({ voiceRelayOnly: true });
    ws.serverSend({ type: "ack", re: frame.id, data: {} });
    await expect(result).resolves.toBe(true);
    session.leave();
  });
});
