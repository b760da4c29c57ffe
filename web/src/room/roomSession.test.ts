import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/problem";
import type { ChatMessage } from "../api/protocol";
import { api, useSession } from "../store/session";
import { useRoomStore } from "../store/room";
import { FakeWebSocket } from "../test/fakeWebSocket";
import { playbackState, welcome } from "../test/fixtures";
import { SimulatedPlayer } from "../test/simulatedPlayer";
import { DURATION_CHECK_MS, REPORT_INTERVAL_MS, RoomSession } from "./roomSession";

const refusal = (status: number, code: string, extra: Record<string, unknown> = {}) => new ApiError({ status, code, ...extra });

const line = (id: string): ChatMessage => ({ id, userId: "u-owner", username: "ada", content: `line ${id}`, createdAt: 1 });
const room = welcome().room;

async function joined(session: RoomSession, data = welcome()) {
  await session.open();
  await vi.advanceTimersByTimeAsync(0);
  const ws = FakeWebSocket.latest();
  ws.serverOpen();
  ws.serverSend({ type: "welcome", data });
  return ws;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.instances = [];
  vi.stubGlobal("window", { location: { protocol: "https:", host: "watch.example" } });
  useSession.setState({ status: "authenticated", user: { id: "u-me", username: "me" }, accessToken: "tok", expiresAt: Date.now() + 600_000 });
  vi.spyOn(api, "getRoom").mockResolvedValue({ ...room, ownerId: "u-owner", createdAt: 1_700_000_000_000, expiresAt: 1_700_086_400_000 });
  vi.spyOn(api, "joinRoom").mockResolvedValue({ room: { ...room, ownerId: "u-owner", createdAt: 1_700_000_000_000, expiresAt: 1_700_086_400_000 }, participantId: "u-me" });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const CLIP = "https://cdn.example/a.mp4";

/** The PLAY numbered `seq` that this person asked for, taking effect at `atServerTime`. */
function myPlay(seq: number, atServerTime: number) {
  const state = playbackState({ sequenceNumber: seq, isPlaying: true, sourceType: "url", sourceId: CLIP });
  return { type: "sync:command", data: { type: "PLAY", sequenceNumber: seq, atServerTime, issuedBy: "u-me", state } };
}

function newSession() {
  return new RoomSession("K7M2P9QX", { now: () => Date.now(), createSocket: (url) => new FakeWebSocket(url) });
}

describe("RoomSession", () => {
  it("shows everyone an upload's processing progress, then says it is ready", async () => {
    const session = newSession();
    const ws = await joined(session);
    const progress = { videoId: "v1", filename: "holiday.mp4", playable: false, progress: 42 };
    ws.serverSend({ type: "media:progress", data: { ...progress, status: "processing" } });
    expect(useRoomStore.getState().mediaProgress).toMatchObject({ filename: "holiday.mp4", progress: 42 });
    ws.serverSend({ type: "media:progress", data: { ...progress, status: "ready", progress: 100, playable: true } });
    expect(useRoomStore.getState().mediaProgress).toBeNull();
    expect(useRoomStore.getState().notices.map((n) => n.text)).toContain("holiday.mp4 is ready to play.");
    session.leave();
  });

  it("keeps the room's subtitle list from the welcome and every room:subtitles, and sends changes", async () => {
    const session = newSession();
    const english = { url: "https://cdn.example/a.en.vtt", label: "English", language: "en" };
    const ws = await joined(session, welcome({ state: playbackState({ sourceType: "url", sourceId: "https://cdn.example/a.mp4" }), subtitles: [english] }));
    expect(useRoomStore.getState().subtitles).toEqual([english]);
    const german = { url: "https://cdn.example/a.de.vtt", label: "Deutsch" };
    void session.setSubtitles([english, german]);
    const [request] = ws.sentOfType("sync:subtitles");
    expect(request!.data).toEqual({ subtitles: [english, german], sourceId: "https://cdn.example/a.mp4" });
    ws.serverSend({ type: "room:subtitles", data: { sourceId: "https://cdn.example/a.mp4", subtitles: [english, german] } });
    expect(useRoomStore.getState().subtitles.map((t) => t.label)).toEqual(["English", "Deutsch"]);
    session.leave();
  });

  it("joins: hello with the token, welcome fills the room screen", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ participants: [{ participantId: "p-me", userId: "u-me", username: "me", role: "participant" }], chat: [line("m1")] }));
    expect(ws.url).toBe("wss://watch.example/ws/rooms/K7M2P9QX");
    expect(ws.sentOfType("hello")[0]!.data).toMatchObject({ token: "tok" });
    const s = useRoomStore.getState();
    expect(s.phase).toBe("joined");
    expect(s.participants).toHaveLength(1);
    expect(s.chat.map((m) => m.id)).toEqual(["m1"]);
    session.leave();
  });

  it("resumes after a drop without duplicating chat lines", async () => {
    const session = newSession();
    const first = await joined(session, welcome({ chat: [line("m1"), line("m2")], state: playbackState({ sequenceNumber: 7 }) }));
    first.serverSend({ type: "chat:message", data: line("m3") });
    first.serverClose(1006);
    expect(useRoomStore.getState().socketState).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(1_000);
    const second = FakeWebSocket.latest();
    second.serverOpen();
    expect(second.sentOfType("hello")[0]!.data).toMatchObject({ lastSeq: 7, lastMessageId: "m3" });
    // A server that resends some history anyway must not double the lines.
    second.serverSend({ type: "welcome", data: welcome({ chat: [line("m2"), line("m3"), line("m4")], state: playbackState({ sequenceNumber: 7 }) }) });
    expect(useRoomStore.getState().chat.map((m) => m.id)).toEqual(["m1", "m2", "m3", "m4"]);
    expect(useRoomStore.getState().socketState).toBe("open");
    session.leave();
  });

  it("asks for the password again when the server refuses it", async () => {
    vi.spyOn(api, "joinRoom")
      .mockRejectedValueOnce(refusal(403, "wrong_password"))
      .mockResolvedValue({ room: { ...room, ownerId: "u-owner", hasPassword: true, createdAt: 1_700_000_000_000, expiresAt: 1_700_086_400_000 }, participantId: "p" });
    const session = newSession();
    await session.open();
    expect(useRoomStore.getState().phase).toBe("needs_password");
    await session.submitPassword("letmein");
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    expect(ws.sentOfType("hello")[0]!.data).toMatchObject({ password: "letmein" });
    ws.serverSend({ type: "error", re: "hello", data: { code: "wrong_password" } });
    ws.serverClose(4003);
    expect(useRoomStore.getState()).toMatchObject({ phase: "needs_password", passwordError: "That password isn't right." });
    session.leave();
  });

  it("goes straight in, without the password, when the room admitted this person before", async () => {
    const session = newSession();
    await session.open();
    expect(api.joinRoom).toHaveBeenCalledWith("K7M2P9QX");
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    expect(ws.sentOfType("hello")[0]!.data).not.toHaveProperty("password");
    expect(useRoomStore.getState().phase).toBe("connecting");
    session.leave();
  });

  it.each([
    [refusal(409, "room_full"), "room_full"],
    [refusal(404, "room_not_found", { reason: "closed_by_owner" }), "room_closed"],
    [refusal(404, "room_not_found"), "room_not_found"],
  ])("says why before anyone types a password: %s", async (error, fatal) => {
    vi.spyOn(api, "joinRoom").mockRejectedValue(error);
    const session = newSession();
    await session.open();
    expect(useRoomStore.getState()).toMatchObject({ phase: "ended", fatal });
    expect(FakeWebSocket.instances).toHaveLength(0);
    session.leave();
  });

  it.each([
    [new ApiError({ status: 503, code: "overloaded" }, 30), "This server is busy right now and takes no more rooms for the moment. Trying again in 30 seconds, by itself."],
    [new ApiError({ status: 503, code: "room_unavailable" }, 4), "This room is restarting after a problem on the server. Trying again in 4 seconds, by itself."],
  ])("says why joining waits while the server asks to come back later: %s", async (error, note) => {
    vi.spyOn(api, "joinRoom").mockRejectedValue(error);
    const session = newSession();
    await session.open();
    expect(useRoomStore.getState()).toMatchObject({ phase: "connecting", waitingNote: note });
    await vi.advanceTimersByTimeAsync(0);
    const ws = FakeWebSocket.latest();
    ws.serverOpen();
    ws.serverSend({ type: "welcome", data: welcome() });
    expect(useRoomStore.getState()).toMatchObject({ phase: "joined", waitingNote: null });
    session.leave();
  });

  it("tells members the owner closed the room", async () => {
    const session = newSession();
    const ws = await joined(session);
    ws.serverClose(4004, "room_closed");
    expect(useRoomStore.getState()).toMatchObject({ phase: "ended", fatal: "room_closed" });
    session.leave();
  });

  it("sends ±5 s as relative seeks without expectedSeq, so quick presses add up", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) }));
    void session.seekBy(-5_000);
    void session.seekBy(-5_000);
    const seeks = ws.sentOfType("sync:seek").map((f) => f.data);
    expect(seeks).toEqual([
      { deltaMs: -5_000, idempotencyKey: expect.any(String) },
      { deltaMs: -5_000, idempotencyKey: expect.any(String) },
    ]);
    session.leave();
  });

  it("takes three quick presses of play/pause as play, pause, play", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12, isPlaying: false, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) }));
    void session.togglePlay();
    void session.togglePlay();
    void session.togglePlay();
    const sent = ws.sent.filter((f) => f.type === "sync:play" || f.type === "sync:pause");
    expect(sent.map((f) => f.type)).toEqual(["sync:play", "sync:pause", "sync:play"]);
    expect(sent[0]!.data).toMatchObject({ expectedSeq: 12 });
    expect(sent[1]!.data).not.toHaveProperty("expectedSeq");
    session.leave();
  });

  it("pauses on the next press once play is acknowledged, before it takes effect", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12, isPlaying: false, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) }));
    const pressed = session.togglePlay();
    const play = ws.sentOfType("sync:play")[0]!;
    // The command starts a little later for everyone; its ack is back at once.
    const later = Date.now() + 60_000;
    ws.serverSend(myPlay(13, later));
    ws.serverSend({ type: "ack", re: play.id, data: { sequenceNumber: 13 } });
    await pressed;
    void session.togglePlay();
    expect(ws.sentOfType("sync:pause")).toHaveLength(1);
    session.leave();
  });

  it("reports the player's length once when the room doesn't know it, and stops at the room's length", async () => {
    const session = newSession();
    const url = "https://cdn.example/a.mp4";
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 3, sourceType: "url", sourceId: url }) }));
    session.attachPlayer(new SimulatedPlayer({ durationMs: 30_000 }));
    await vi.advanceTimersByTimeAsync(DURATION_CHECK_MS * 3);
    const reports = ws.sentOfType("sync:duration");
    expect(reports.map((f) => f.data)).toEqual([{ sourceId: url, durationMs: 30_000 }]);
    ws.serverSend({ type: "sync:duration", data: { sourceId: url, durationMs: 30_000 } });
    expect(session.engine.state?.durationMs).toBe(30_000);
    expect(useRoomStore.getState().playback?.durationMs).toBe(30_000);
    session.leave();
  });

  it.each([
    [4004, "room_not_found"],
    [4009, "room_full"],
    [4010, "incompatible"],
  ])("ends on close %i with %s", async (code, reason) => {
    const session = newSession();
    const ws = await joined(session);
    ws.serverClose(code);
    expect(useRoomStore.getState()).toMatchObject({ phase: "ended", fatal: reason });
    session.leave();
  });

  it("reports drift every 5 s once it has a player and a clock estimate", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ isPlaying: true, anchorServerTimeMs: Date.now(), sequenceNumber: 1 }) }));
    // Answer the clock pings like a server 3 ms away with the same clock.
    ws.send = (raw: string) => {
      const frame = JSON.parse(raw);
      ws.sent.push(frame);
      if (frame.type === "time:ping") setTimeout(() => ws.serverSend({ type: "time:pong", data: { t0: frame.data.t0, t1: Date.now(), t2: Date.now() } }), 3);
    };
    session.attachPlayer(new SimulatedPlayer());
    await vi.advanceTimersByTimeAsync(REPORT_INTERVAL_MS * 2 + 100);
    const reports = ws.sentOfType("sync:report");
    expect(reports.length).toBe(2);
    expect(reports[0]!.data).toEqual({ mediaTimeMs: expect.any(Number), atServerTime: expect.any(Number), driftMs: expect.any(Number), rttMs: expect.any(Number) });
    session.leave();
  });

  it("sends nothing while the browser is offline and says so; back online it sends again", async () => {
    const listeners: Record<string, () => void> = {};
    vi.stubGlobal("window", {
      location: { protocol: "https:", host: "watch.example" },
      addEventListener: (type: string, listener: () => void) => void (listeners[type] = listener),
      removeEventListener: () => {},
    });
    const session = newSession();
    const ws = await joined(session);
    listeners.offline!();
    // The socket still looks open: a frame written now would reach the room whenever the network returns.
    expect(await session.pause()).toBe(false);
    expect(await session.sendChat("hello?")).toBe(false);
    expect(ws.sentOfType("sync:pause")).toEqual([]);
    expect(ws.sentOfType("chat:message")).toEqual([]);
    expect(useRoomStore.getState().notices.at(-1)?.text).toBe("You're offline. Try again once the network is back.");
    listeners.online!();
    void session.sendChat("hello?");
    expect(ws.sentOfType("chat:message")).toHaveLength(1);
    session.leave();
  });

  it("sends Replay once when it is pressed twice quickly, and says nothing about a conflict", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12, isPlaying: false, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) }));
    const first = session.play();
    const second = session.play();
    const plays = ws.sentOfType("sync:play");
    expect(plays).toHaveLength(1);
    ws.serverSend({ type: "ack", re: plays[0]!.id, data: { sequenceNumber: 13 } });
    await expect(first).resolves.toBe(true);
    await expect(second).resolves.toBe(true);
    expect(useRoomStore.getState().notices).toEqual([]);
    session.leave();
  });

  it("does not ask again for play once the room's latest command plays, before it takes effect", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12, isPlaying: false, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) }));
    const pressed = session.play();
    const play = ws.sentOfType("sync:play")[0]!;
    const later = Date.now() + 60_000;
    ws.serverSend(myPlay(13, later));
    ws.serverSend({ type: "ack", re: play.id, data: { sequenceNumber: 13 } });
    await pressed;
    await expect(session.play()).resolves.toBe(true);
    expect(ws.sentOfType("sync:play")).toHaveLength(1);
    session.leave();
  });

  it("sends a second seek or speed while this person's first is on its way without expectedSeq", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) }));
    const first = session.seekTo(30_000);
    void session.seekTo(40_000);
    void session.setRate(1.5);
    const [seek1, seek2] = ws.sentOfType("sync:seek");
    expect(seek1!.data).toMatchObject({ expectedSeq: 12, targetMediaTimeMs: 30_000 });
    expect(seek2!.data).not.toHaveProperty("expectedSeq");
    expect(ws.sentOfType("sync:rate")[0]!.data).not.toHaveProperty("expectedSeq");
    // Once everything is answered, the next request is guarded again, by the latest number.
    ws.serverSend({ type: "sync:command", data: { type: "SEEK", sequenceNumber: 13, atServerTime: Date.now(), issuedBy: "u-me", targetMediaTimeMs: 30_000, state: playbackState({ sequenceNumber: 13, anchorMediaTimeMs: 30_000, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) } });
    for (const frame of [...ws.sentOfType("sync:seek"), ...ws.sentOfType("sync:rate")]) ws.serverSend({ type: "ack", re: frame.id, data: { sequenceNumber: 13 } });
    await first;
    await vi.advanceTimersByTimeAsync(0);
    void session.setRate(2);
    expect(ws.sentOfType("sync:rate")[1]!.data).toMatchObject({ expectedSeq: 13 });
    session.leave();
  });

  it("sends 3·2·1 once when it is pressed twice quickly, and not at all once the room plays", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12, isPlaying: false, sourceType: "url", sourceId: "https://cdn.example/a.mp4" }) }));
    const first = session.startCountdown(3_000);
    void session.startCountdown(3_000);
    const countdowns = ws.sentOfType("room:countdown");
    expect(countdowns).toHaveLength(1);
    const later = Date.now() + 3_200;
    ws.serverSend(myPlay(13, later));
    ws.serverSend({ type: "ack", re: countdowns[0]!.id, data: { sequenceNumber: 13, serverStartTime: Date.now() } });
    await expect(first).resolves.toBe(true);
    await expect(session.startCountdown(3_000)).resolves.toBe(true);
    expect(ws.sentOfType("room:countdown")).toHaveLength(1);
    session.leave();
  });

  it("guards playback requests with the last sequence number and an idempotency key, and explains refusals", async () => {
    const session = newSession();
    const ws = await joined(session, welcome({ state: playbackState({ sequenceNumber: 12 }) }));
    const result = session.play();
    const frame = ws.sentOfType("sync:play")[0]!;
    expect(frame.data).toMatchObject({ expectedSeq: 12, idempotencyKey: expect.any(String) });
    ws.serverSend({ type: "error", re: frame.id, data: { code: "forbidden", message: "owner only" } });
    await expect(result).resolves.toBe(false);
    expect(useRoomStore.getState().notices.at(-1)?.text).toBe("You don't have playback control in this room.");
    session.leave();
  });
});
