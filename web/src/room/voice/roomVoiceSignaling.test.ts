import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../api/protocol";
import { roomVoiceSignaling, type RoomMessageTransport } from "./roomVoiceSignaling";

function fakeTransport(open = true) {
  const sent: { type: string; data: unknown }[] = [];
  const listeners = new Set<(message: ServerMessage) => void>();
  const transport: RoomMessageTransport = {
    notify: (type, data) => {
      if (open) sent.push({ type, data });
      return open;
    },
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const deliver = (message: ServerMessage) => listeners.forEach((listener) => listener(message));
  return { transport, sent, deliver, listeners };
}

const signal = { connectionId: "c-1", description: { type: "offer" as const, sdp: "v=0" } };

describe("roomVoiceSignaling", () => {
  it("sends voice frames as room notices", () => {
    const { transport, sent } = fakeTransport();
    const signaling = roomVoiceSignaling(transport);
    signaling.send("voice:join", {});
    signaling.send("voice:signal", { targetId: "u-bob", signal });
    expect(sent).toEqual([
      { type: "voice:join", data: {} },
      { type: "voice:signal", data: { targetId: "u-bob", signal } },
    ]);
  });

  it("hands each handler only the frames of its type", () => {
    const { transport, deliver } = fakeTransport();
    const signaling = roomVoiceSignaling(transport);
    const joined: string[] = [];
    const signals: unknown[] = [];
    signaling.on("voice:peer:joined", ({ peerId }) => joined.push(peerId));
    signaling.on("voice:signal", (data) => signals.push(data));
    deliver({ type: "voice:peer:joined", data: { peerId: "u-bob" } });
    deliver({ type: "voice:peer:left", data: { peerId: "u-bob" } });
    deliver({ type: "chat:message", data: { id: "m1", userId: "u", username: "u", content: "hi", createdAt: 1 } });
    deliver({ type: "voice:signal", data: { fromId: "u-bob", signal } });
    expect(joined).toEqual(["u-bob"]);
    expect(signals).toEqual([{ fromId: "u-bob", signal }]);
  });

  it("stops delivering after unsubscribing", () => {
    const { transport, deliver, listeners } = fakeTransport();
    const peers: string[][] = [];
    const off = roomVoiceSignaling(transport).on("voice:peers", (data) => peers.push(data.peers));
    deliver({ type: "voice:peers", data: { peers: ["u-a"] } });
    off();
    deliver({ type: "voice:peers", data: { peers: ["u-b"] } });
    expect(peers).toEqual([["u-a"]]);
    expect(listeners.size).toBe(0);
  });

  it("drops frames quietly while the socket is down", () => {
    const { transport, sent } = fakeTransport(false);
    expect(() => roomVoiceSignaling(transport).send("voice:leave", {})).not.toThrow();
    expect(sent).toEqual([]);
  });
});
