import { beforeEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../api/protocol";
import { useVoiceStore, VOICE_SETTINGS_KEY } from "../../store/voice";
import { VoiceError } from "../../voice";
import { FakeVoiceClient } from "./fakeVoiceClient";
import { VoiceSession } from "./voiceSession";

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

function newSession(storage = memoryStorage()) {
  const sent: string[] = [];
  const session = new VoiceSession({
    transport: { notify: (type) => (sent.push(type), true), onMessage: (_listener: (message: ServerMessage) => void) => () => undefined },
    getToken: async () => "tok",
    createClient: (options) => new FakeVoiceClient(options),
    storage,
    report: () => undefined,
  });
  return { session, storage, sent };
}

beforeEach(() => {
  FakeVoiceClient.instances = [];
  FakeVoiceClient.nextJoinError = null;
});

describe("VoiceSession", () => {
  it("joins the call and shows the client's state", async () => {
    const { session } = newSession();
    await session.join("u-me");
    expect(useVoiceStore.getState().status).toBe("in_call");
    FakeVoiceClient.latest().change({ speaking: true });
    expect(useVoiceStore.getState().snapshot?.speaking).toBe(true);
  });

  it("explains a denied microphone and stays out of the call", async () => {
    const { session } = newSession();
    FakeVoiceClient.nextJoinError = new VoiceError("microphone_denied");
    await session.join("u-me");
    const state = useVoiceStore.getState();
    expect(state.status).toBe("idle");
    expect(state.problem?.code).toBe("microphone_denied");
    expect(state.problem?.message).toMatch(/denied/i);
    expect(session.inCall).toBe(false);
  });

  it("shows a failed peer connection once, and not again after it was dismissed", async () => {
    const { session } = newSession();
    await session.join("u-me");
    const client = FakeVoiceClient.latest();
    client.change({ error: new VoiceError("connection_failed", "u-bob") });
    expect(useVoiceStore.getState().problem).toMatchObject({ code: "connection_failed", peerId: "u-bob" });
    session.dismissProblem();
    client.change({ speaking: true });
    expect(useVoiceStore.getState().problem).toBeNull();
  });

  it("remembers settings changed outside a call and starts the next call with them", async () => {
    const { session, storage } = newSession();
    session.setMode("push_to_talk");
    session.setVadThreshold(0.4);
    await session.setProcessing({ noiseSuppression: false });
    expect(JSON.parse(storage.items.get(VOICE_SETTINGS_KEY)!)).toMatchObject({ mode: "push_to_talk", vadThreshold: 0.4 });
    await session.join("u-me");
    expect(FakeVoiceClient.latest().options.settings).toMatchObject({ mode: "push_to_talk", vadThreshold: 0.4, processing: { noiseSuppression: false, echoCancellation: true } });
    // A new visit reads them back.
    newSession(storage);
    expect(useVoiceStore.getState().settings.mode).toBe("push_to_talk");
  });

  it("applies settings to the running call", async () => {
    const { session } = newSession();
    await session.join("u-me");
    session.setMode("push_to_talk");
    session.setPeerVolume("u-bob", 1.5);
    session.setPeerMuted("u-bob", true);
    expect(FakeVoiceClient.latest().calls).toEqual(expect.arrayContaining(["mode:push_to_talk", "volume:u-bob:1.5", "muted:u-bob:true"]));
  });

  it("binds push-to-talk to the next key or button pressed", async () => {
    const { session } = newSession();
    session.setMode("push_to_talk");
    await session.join("u-me");
    const capturing = session.capturePTTBinding();
    expect(useVoiceStore.getState().capturingBinding).toBe(true);
    await capturing;
    expect(useVoiceStore.getState().capturingBinding).toBe(false);
    expect(useVoiceStore.getState().settings.pttBinding).toEqual({ kind: "mouse", button: 3 });
  });

  it("goes relay-only when the room requires it, whatever the person chose", async () => {
    const { session } = newSession();
    await session.join("u-me");
    await session.setRoomRelayOnly(true);
    expect(FakeVoiceClient.latest().calls).toContain("relayOnly:true");
    expect(useVoiceStore.getState().settings.relayOnly).toBe(false);
    // Later calls start relay-only straight away.
    session.leave();
    await session.join("u-me");
    expect(FakeVoiceClient.latest().options.settings?.relayOnly).toBe(true);
  });

  it("leaves the call when the room requires a relay this server does not have", async () => {
    const { session } = newSession();
    await session.join("u-me");
    const client = FakeVoiceClient.latest();
    client.relayAvailable = false;
    await session.setRoomRelayOnly(true);
    expect(client.calls).toContain("leave");
    expect(useVoiceStore.getState()).toMatchObject({ status: "idle", problem: { code: "relay_unavailable" } });
  });

  it("keeps the person's relay-only choice off when no relay is available", async () => {
    const { session } = newSession();
    await session.join("u-me");
    FakeVoiceClient.latest().relayAvailable = false;
    await session.setUserRelayOnly(true);
    expect(useVoiceStore.getState().settings.relayOnly).toBe(false);
    expect(useVoiceStore.getState().problem?.code).toBe("relay_unavailable");
    expect(useVoiceStore.getState().status).toBe("in_call");
  });

  it("rejoins the call it is in, and does nothing without one", async () => {
    const { session } = newSession();
    expect(() => session.rejoin()).not.toThrow();
    await session.join("u-me");
    session.rejoin();
    expect(FakeVoiceClient.latest().calls.filter((call) => call === "rejoin")).toHaveLength(1);
    session.leave();
    session.rejoin();
    expect(FakeVoiceClient.latest().calls.filter((call) => call === "rejoin")).toHaveLength(1);
  });

  it("does not stay in the call when left while the microphone was opening", async () => {
    const { session } = newSession();
    const joining = session.join("u-me");
    session.leave();
    await joining;
    expect(FakeVoiceClient.latest().calls.at(-1)).toBe("leave");
    expect(FakeVoiceClient.latest().state.inCall).toBe(false);
    expect(useVoiceStore.getState().status).toBe("idle");
  });
});
