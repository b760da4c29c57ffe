/**
 * One visit to one room: the glue between the socket, the sync engine, the
 * clock and the room store. Plain TypeScript (no React): components call its
 * methods and read the store; it writes the store.
 */
import { normalizeParticipants } from "../api/normalize";
import { ApiError, describeProblem, formatWait } from "../api/problem";
import { randomKey } from "../api/randomKey";
import type { ClientRequests, MediaFailureReason, ServerMessage, SourceRequest, SubtitleTrack } from "../api/protocol";
import { RequestError, RoomSocket, roomSocketUrl, type FatalReason, type WebSocketLike } from "../api/roomSocket";
import { api, freshAccessToken, refreshSession } from "../store/session";
import { initialRoomState, pushNotice, useRoomStore, type RoomViewState } from "../store/room";
import { performanceClock, type LocalClock } from "../sync/clock";
import { ClockEstimator, ClockSync } from "../sync/clockEstimator";
import type { PlayerAdapter } from "../sync/player";
import { clampToDuration } from "../sync/playback";
import { SyncEngine } from "../sync/syncEngine";
import { mergeChat } from "./chatLog";
import { floatReaction } from "./floatReaction";
import { RoomModeration } from "./moderation/moderation";
import type { RoomMessageTransport } from "./voice/roomVoiceSignaling";
import { VoiceSession, type VoiceSessionDeps } from "./voice/voiceSession";

/** How long the result of a ready check or a vote stays on screen. */
export const OUTCOME_SHOWN_MS = 6_000;

/** Telemetry period for `sync:report` (feeds syncwatch_playback_drift_ms). */
export const REPORT_INTERVAL_MS = 5_000;
/** How often the page looks whether its player knows a length the room doesn't yet. */
export const DURATION_CHECK_MS = 500;

export interface RoomSessionDeps {
  now?: LocalClock;
  createSocket?: (url: string) => WebSocketLike;
  voice?: Partial<Omit<VoiceSessionDeps, "transport">>;
}

const REQUEST_ERRORS: Record<string, string> = {
  forbidden: "You don't have playback control in this room.",
  conflict: "Someone else changed playback at the same moment. Try again.",
  rate_limited: "You're going a bit fast. Wait a moment and try again.",
  not_connected: "Not connected right now. Reconnecting…",
  disconnected: "The connection dropped before the server answered.",
  timeout: "The server didn't answer in time.",
  offline: "You're offline. Try again once the network is back.",
  not_owner: "Only the room owner can do that.",
  not_found: "That has already ended.",
  bad_message: "The server didn't understand that request.",
};

export function describeRequestError(error: unknown): string {
  if (error instanceof RequestError) {
    if (error.data.suggestion) return `${error.data.message ?? "That didn't work."} ${error.data.suggestion}`;
    // A conflict without `currentSeq` is not a playback race: the server says what it was
    // ("A vote is already open", "The video is already playing").
    if (error.code === "conflict" && error.data.currentSeq == null && error.data.message) return error.data.message;
    return REQUEST_ERRORS[error.code] ?? error.data.message ?? "That didn't work.";
  }
  return "That didn't work.";
}

/** A join refusal that ends the visit (full, closed, gone, banned), or null. */
/** Why joining waits, in plain words, for the refusals the socket retries by itself. */
export function waitingNoteFor(error: ApiError): string | null {
  const retry = error.retryAfterS ? ` Trying again in ${formatWait(error.retryAfterS)}, by itself.` : " Trying again by itself.";
  if (error.code === "overloaded") return `This server is busy right now and takes no more rooms for the moment.${retry}`;
  if (error.code === "room_unavailable") return `This room is restarting after a problem on the server.${retry}`;
  return null;
}

export function joinRefusal(error: ApiError): FatalReason | null {
  if (error.code === "room_full") return "room_full";
  if (error.code === "banned") return "banned";
  // The room's privacy preset (docs/protocol.md "Who may join").
  if (error.code === "friends_only" || error.code === "invitation_required" || error.code === "guests_not_allowed") return error.code;
  if (error.problem.reason === "closed_by_owner") return "room_closed";
  if (error.code === "room_not_found" || error.status === 404) return "room_not_found";
  return null;
}

export class RoomSession {
  readonly clock = new ClockEstimator();
  readonly engine: SyncEngine;
  socket: RoomSocket | null = null;
  /** What this person's play/pause presses still on their way ask for (`togglePlay`). */
  private intendedPlaying: boolean | null = null;
  private togglesInFlight = 0;
  /** This person's own playback requests on their way (`guards`). */
  private ownRequestsInFlight = 0;
  /** The play, Replay or 3·2·1 this person sent, until it is answered (`startPlayback`). */
  private startInFlight: Promise<boolean> | null = null;
  private clockSync: ClockSync | null = null;
  private reportTimer: ReturnType<typeof setInterval> | null = null;
  private durationTimer: ReturnType<typeof setInterval> | null = null;
  /** The source whose length this page already reported. */
  private reportedDurationOf: string | null = null;
  private readonly now: LocalClock;
  private password: string | undefined;
  private closed = false;
  private readonly onOnline = () => {
    useRoomStore.setState({ browserOffline: false });
    this.socket?.reconnectNow();
  };
  private readonly onOffline = () => useRoomStore.setState({ browserOffline: true });
  private readonly messageListeners = new Set<(message: ServerMessage) => void>();
  /** A welcome was seen on an earlier socket: the next one is a reconnect. */
  private welcomed = false;
  /** Room frames in and notices out, stable across reconnects (the socket itself is replaced). */
  readonly transport: RoomMessageTransport = {
    notify: (type, data) => this.socket?.notify(type, data) ?? false,
    onMessage: (listener) => {
      this.messageListeners.add(listener);
      return () => this.messageListeners.delete(listener);
    },
  };
  readonly voice: VoiceSession;
  /** Mutes, reports, the room-wide voice mute, who may join, the automod (room/moderation). */
  readonly moderation: RoomModeration;

  constructor(
    readonly code: string,
    private readonly deps: RoomSessionDeps = {},
  ) {
    this.now = deps.now ?? performanceClock;
    this.engine = new SyncEngine({
      clock: this.clock,
      now: this.now,
      onState: (state) => useRoomStore.setState({ playback: state }),
      onNeedsGesture: (needed) => useRoomStore.setState({ needsGesture: needed }),
    });
    useRoomStore.setState(initialRoomState(code));
    this.voice = new VoiceSession({ getToken: freshAccessToken, ...deps.voice, transport: this.transport });
    this.moderation = new RoomModeration(
      this.transport,
      (type, data) => this.run(() => this.socket!.request(type, data)),
      (voice) => this.voice.setModeration(voice),
    );
  }

  // ------------------------------------------------------------------ joining

  /**
   * Pre-flight, before anyone types anything: the join check says whether the
   * room exists (or was closed), has a free seat, and whether this person
   * still needs its password (someone the room admitted before comes back
   * without it, after a reload or a browser restart).
   */
  async open(): Promise<void> {
    try {
      await api.joinRoom(this.code);
      if (this.closed) return;
      this.connect();
    } catch (error) {
      if (this.closed) return;
      if (error instanceof ApiError) {
        if (error.code === "wrong_password") return useRoomStore.setState({ phase: "needs_password" });
        const refusal = joinRefusal(error);
        if (refusal) return this.end(refusal, refusal === "banned" ? (error.problem.detail ?? null) : null);
        // Too many joins, or wrong room codes from this address (docs/protocol.md "Who may join").
        if (error.code === "rate_limited") return this.end("rate_limited", describeProblem(error.problem, error.retryAfterS));
        // The socket waits for the server's `retryAfter` before it tries: say why meanwhile.
        useRoomStore.setState({ waitingNote: waitingNoteFor(error) });
      }
      // Anything else (server busy, offline): the socket will tell us more.
      this.connect();
    }
  }

  /** Checks the password over HTTP first: clear errors (wrong, rate limited) before the socket. */
  async submitPassword(password: string): Promise<void> {
    useRoomStore.setState({ passwordError: null });
    try {
      await api.joinRoom(this.code, password);
      this.connect(password);
    } catch (error) {
      if (!(error instanceof ApiError)) return useRoomStore.setState({ passwordError: describeProblem({ status: 0, code: "network_error" }) });
      if (error.code === "wrong_password") return useRoomStore.setState({ passwordError: "That password isn't right." });
      const refusal = joinRefusal(error);
      if (refusal) return this.end(refusal);
      useRoomStore.setState({ passwordError: describeProblem(error.problem, error.retryAfterS) });
    }
  }

  connect(password?: string): void {
    if (this.closed) return;
    this.password = password ?? this.password;
    useRoomStore.setState({ phase: "connecting", fatal: null, passwordError: null });
    this.socket?.close();
    const socket = new RoomSocket({
      url: roomSocketUrl(window.location, this.code),
      getToken: (force) => (force ? refreshSession() : freshAccessToken()),
      ...(this.password ? { password: this.password } : {}),
      ...(this.deps.createSocket ? { createSocket: this.deps.createSocket } : {}),
    });
    this.socket = socket;
    socket.onState((state) => {
      useRoomStore.setState({ socketState: state, reconnectAttempts: socket.reconnectAttempts });
      if (state !== "open") this.clockSync?.stop();
      if (state === "closed" && socket.fatal) this.onFatal(socket.fatal);
    });
    socket.onMessage((message) => this.onMessage(message));
    this.clockSync = new ClockSync(this.clock, (t0) => socket.notify("time:ping", { t0 }), this.now);
    this.engine.start();
    this.startReports();
    window.addEventListener?.("online", this.onOnline);
    window.addEventListener?.("offline", this.onOffline);
    if (typeof navigator !== "undefined" && navigator.onLine === false) this.onOffline();
    socket.connect();
  }

  leave(): void {
    this.closed = true;
    this.voice.leave();
    this.moderation.dispose();
    window.removeEventListener?.("online", this.onOnline);
    window.removeEventListener?.("offline", this.onOffline);
    this.socket?.close();
    this.clockSync?.stop();
    this.engine.stop();
    if (this.reportTimer) clearInterval(this.reportTimer);
    if (this.durationTimer) clearInterval(this.durationTimer);
  }

  // ------------------------------------------------------------------ server frames

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case "welcome": {
        const w = message.data;
        this.clock.seed(w.serverTime, this.now());
        this.engine.reset(w.state);
        useRoomStore.setState((s) => ({
          phase: "joined",
          waitingNote: null,
          you: w.you,
          room: w.room,
          participants: normalizeParticipants(w.participants),
          chat: mergeChat(s.chat, w.chat ?? []),
          playback: w.state,
          subtitles: w.subtitles ?? [],
          readyCheck: w.readyCheck ?? null,
          vote: w.vote ?? null,
          reactions: w.reactions ?? [],
        }));
        this.clockSync?.start();
        void this.voice.setRoomRelayOnly(w.room.voiceRelayOnly === true);
        if (this.welcomed) this.voice.rejoin();
        this.welcomed = true;
        break;
      }
      case "room:settings": {
        const settings = message.data;
        useRoomStore.setState((s) => ({
          room: s.room
            ? {
                ...s.room,
                playbackControl: settings.playbackControl,
                autoHandover: settings.autoHandover,
                voiceRelayOnly: settings.voiceRelayOnly === true,
                ...(settings.privacy ? { privacy: settings.privacy } : {}),
                ...(settings.guestsAllowed !== undefined ? { guestsAllowed: settings.guestsAllowed } : {}),
                ...(settings.automod !== undefined ? { automod: settings.automod } : {}),
                ...(settings.voiceMutedForAll !== undefined ? { voiceMutedForAll: settings.voiceMutedForAll } : {}),
                ...(settings.name ? { name: settings.name } : {}),
                ...(settings.maxParticipants ? { maxParticipants: settings.maxParticipants } : {}),
                ...(typeof settings.hasPassword === "boolean" ? { hasPassword: settings.hasPassword } : {}),
                ...(settings.bufferWaitMs !== undefined ? { bufferWaitMs: settings.bufferWaitMs } : {}),
                ...(settings.idleCloseMinutes !== undefined ? { idleCloseMinutes: settings.idleCloseMinutes } : {}),
                guestsMayChat: settings.guestsMayChat === true,
              }
            : s.room,
        }));
        void this.voice.setRoomRelayOnly(settings.voiceRelayOnly === true);
        break;
      }
      case "room:subtitles":
        useRoomStore.setState({ subtitles: message.data.subtitles });
        break;
      case "time:pong":
        this.clockSync?.onPong(message.data.t0, message.data.t1, message.data.t2);
        break;
      case "sync:command":
        this.engine.receive(message.data);
        // Another video: its own reactions (none known yet; a rejoin brings the stored ones).
        if (message.data.type === "SET_SOURCE") useRoomStore.setState({ reactions: [], floating: [] });
        break;
      case "sync:duration":
        this.engine.learnDuration(message.data.sourceId, message.data.durationMs);
        break;
      case "room:idle":
        useRoomStore.setState({ idleClosesAt: message.data.closesAt });
        break;
      case "room:waiting":
        useRoomStore.setState({ waiting: message.data.waitingFor.length || message.data.leftOut?.length ? message.data : null });
        break;
      case "reaction:new": {
        const reaction = message.data;
        useRoomStore.setState((s) => ({ reactions: s.reactions.some((r) => r.id === reaction.id) ? s.reactions : [...s.reactions, reaction] }));
        floatReaction(reaction, false);
        break;
      }
      case "room:participants":
        useRoomStore.setState((s) => {
          const participants = normalizeParticipants(message.data.participants);
          const mine = participants.find((p) => p.participantId === s.you?.participantId);
          const owner = participants.find((p) => p.userId === s.room?.ownerId);
          return {
            participants,
            you: s.you && mine ? { ...s.you, role: mine.role } : s.you,
            // The owner is back (present and heartbeating): the "away" notice is stale.
            ownerAway: s.ownerAway && !(owner && owner.away === false),
          };
        });
        break;
      case "chat:message":
        useRoomStore.setState((s) => ({ chat: mergeChat(s.chat, [message.data]) }));
        break;
      case "room:owner_away":
        useRoomStore.setState({ ownerAway: true });
        break;
      case "room:owner_changed":
        useRoomStore.setState((s) => ({
          ownerAway: false,
          handover: message.data,
          room: s.room ? { ...s.room, ownerId: message.data.newOwnerId } : s.room,
        }));
        break;
      case "room:offer_ownership":
        useRoomStore.setState({ ownershipOffered: true });
        break;
      case "countdown:start":
        useRoomStore.setState({ countdown: message.data });
        break;
      case "media:progress": {
        const progress = message.data;
        if (progress.status === "processing") {
          useRoomStore.setState({ mediaProgress: progress });
        } else {
          useRoomStore.setState({ mediaProgress: null });
          if (progress.status === "ready") pushNotice(`${progress.filename} is ready to play.`);
          else pushNotice(`${progress.filename} could not be prepared${progress.error ? ` (${progress.error.replace(/_/g, " ")})` : ""}.`, "error");
        }
        break;
      }
      case "room:ready_check":
        this.showOutcome("readyCheck", message.data, message.data.status === "open");
        break;
      case "room:vote":
        this.showOutcome("vote", message.data, message.data.status === "open");
        break;
      case "error":
        if (!message.re) pushNotice(message.data.message ?? REQUEST_ERRORS[message.data.code] ?? "The server reported a problem.", "error");
        break;
    }
    for (const listener of this.messageListeners) listener(message);
  }

  /** An open question stays; an ended one is shown for a moment (its result), then cleared. */
  private showOutcome<K extends "readyCheck" | "vote">(key: K, value: RoomViewState[K], open: boolean): void {
    useRoomStore.setState({ [key]: value } as Pick<RoomViewState, K>);
    if (open) return;
    setTimeout(() => {
      if (useRoomStore.getState()[key] === value) useRoomStore.setState({ [key]: null } as Pick<RoomViewState, K>);
    }, OUTCOME_SHOWN_MS);
  }

  private onFatal(reason: FatalReason): void {
    this.voice.leave();
    this.clockSync?.stop();
    this.engine.stop();
    if (reason === "wrong_password") {
      useRoomStore.setState({ phase: "needs_password", passwordError: this.password ? "That password isn't right." : null });
      return;
    }
    this.end(reason);
  }

  private end(reason: FatalReason | "rate_limited" | "error", detail: string | null = null): void {
    useRoomStore.setState({ phase: "ended", fatal: reason, fatalDetail: detail });
  }

  /**
   * The room learns a URL or YouTube video's length from the first member whose
   * player knows it (an upload's comes from the server's probe): it then stops
   * everyone at the end.
   */
  reportDuration(): void {
    const state = this.engine.state;
    const length = this.engine.attachedPlayer?.durationMs() ?? null;
    if (!state?.sourceId || state.durationMs || length === null || !Number.isFinite(length) || length <= 0) return;
    if (this.reportedDurationOf === state.sourceId) return;
    this.reportedDurationOf = state.sourceId;
    this.socket?.request("sync:duration", { sourceId: state.sourceId, durationMs: Math.round(length) }).catch(() => {
      // Another video meanwhile, or no connection: the next check tries again if needed.
      this.reportedDurationOf = null;
    });
  }

  private startReports(): void {
    if (this.durationTimer) clearInterval(this.durationTimer);
    this.durationTimer = setInterval(() => this.reportDuration(), DURATION_CHECK_MS);
    if (this.reportTimer) clearInterval(this.reportTimer);
    this.reportTimer = setInterval(() => {
      const drift = this.engine.driftMs;
      const stats = this.engine.stats();
      if (drift === null || stats.mediaTimeMs === null || !this.clock.hasEstimate) return;
      this.socket?.notify("sync:report", {
        mediaTimeMs: stats.mediaTimeMs,
        atServerTime: Math.round(this.engine.serverNow()),
        driftMs: Math.round(drift),
        rttMs: Math.round(this.clock.lastBurstRttMs),
      });
    }, REPORT_INTERVAL_MS);
  }

  // ------------------------------------------------------------------ actions

  /**
   * `expectedSeq` means "unless playback changed since the last command I saw". While one of
   * this person's own playback requests is on its way, the number it will take is not known
   * yet: the next request goes without, so a quick second action (a click on the timeline,
   * a speed picked twice, Replay pressed twice) is not refused as a conflict of this
   * person's own making and reported as "someone else changed playback".
   */
  private guards() {
    const seq = this.socket?.lastSeq;
    const known = this.ownRequestsInFlight === 0 && seq !== null && seq !== undefined;
    return { ...(known ? { expectedSeq: seq } : {}), idempotencyKey: randomKey() };
  }

  /** Send one of this person's playback requests, counted while on its way (`guards`). */
  private own(send: () => Promise<unknown>): Promise<boolean> {
    this.ownRequestsInFlight += 1;
    return this.run(send).finally(() => {
      this.ownRequestsInFlight -= 1;
    });
  }

  /**
   * Send a request and report its failure. Nothing is sent while the browser says it is
   * offline: the socket may still look open, and a frame written then waits in the
   * connection and reaches the room when the network returns, seconds or minutes later
   * (a pause landing long after it was pressed), or after the request already timed out
   * here and was reported as failed (a chat line sent again, twice).
   */
  private async run(action: () => Promise<unknown>): Promise<boolean> {
    if (useRoomStore.getState().browserOffline) {
      pushNotice(REQUEST_ERRORS.offline!, "error");
      return false;
    }
    try {
      await action();
      return true;
    } catch (error) {
      pushNotice(describeRequestError(error), "error");
      return false;
    }
  }

  /**
   * Play (Replay at the end). A second press while the first is on its way waits for
   * that one: sent again, it would carry the same `expectedSeq` and meet a `conflict`
   * ("someone else changed playback") caused by this person's own first press. Once the
   * room's latest command plays (it may not have taken effect yet), there is nothing to ask.
   */
  play(): Promise<boolean> {
    const guards = this.guards();
    return this.startPlayback(() => this.socket!.request("sync:play", guards));
  }

  /** Send a request that starts playback, unless one is on its way or the room already plays. */
  private startPlayback(send: () => Promise<unknown>): Promise<boolean> {
    if (this.startInFlight) return this.startInFlight;
    if (this.engine.latestState?.isPlaying) return Promise.resolve(true);
    const request = this.own(send).finally(() => {
      this.startInFlight = null;
    });
    this.startInFlight = request;
    return request;
  }
  /**
   * Play or pause, from what this person last asked for while their presses are on
   * their way, else from the last command received (a command takes effect a little
   * after it arrives), so three quick presses mean play, pause, play. Presses after the first in such a
   * run carry no `expectedSeq`: they follow this person's own, not someone else's.
   */
  togglePlay() {
    const playing = this.intendedPlaying ?? this.engine.latestState?.isPlaying ?? false;
    const guards = this.guards();
    this.intendedPlaying = !playing;
    this.togglesInFlight += 1;
    const type = playing ? "sync:pause" : "sync:play";
    return this.own(() => this.socket!.request(type, guards)).finally(() => {
      this.togglesInFlight -= 1;
      if (this.togglesInFlight === 0) this.intendedPlaying = null;
    });
  }
  pause() {
    const guards = this.guards();
    return this.own(() => this.socket!.request("sync:pause", guards));
  }
  seekTo(positionMs: number) {
    const state = this.engine.state;
    const target = state ? clampToDuration(state, positionMs) : Math.max(0, positionMs);
    const request = { ...this.guards(), targetMediaTimeMs: Math.round(target) };
    return this.own(() => this.socket!.request("sync:seek", request));
  }
  /**
   * A relative seek: the server adds `deltaMs` to where its latest command has the
   * room, so N quick presses move N steps even before the first one comes back.
   * No `expectedSeq`: the presses are meant to stack, not to conflict.
   */
  seekBy(deltaMs: number) {
    return this.own(() => this.socket!.request("sync:seek", { idempotencyKey: randomKey(), deltaMs }));
  }
  setRate(rate: number) {
    const request = { ...this.guards(), rate };
    return this.own(() => this.socket!.request("sync:rate", request));
  }
  setSource(source: SourceRequest) {
    const request = { ...this.guards(), ...source };
    return this.own(() => this.socket!.request("sync:source", request));
  }
  /** Replace the current source's subtitle tracks (for everyone). */
  setSubtitles(subtitles: SubtitleTrack[]) {
    const sourceId = useRoomStore.getState().playback?.sourceId ?? undefined;
    return this.run(() => this.socket!.request("sync:subtitles", { subtitles, ...(sourceId ? { sourceId } : {}) }));
  }
  sendChat(content: string) {
    return this.run(() => this.socket!.request("chat:message", { content }));
  }
  kick(participantId: string) {
    return this.run(() => this.socket!.request("room:kick", { participantId }));
  }
  ban(participantId: string) {
    return this.run(() => this.socket!.request("room:ban", { participantId }));
  }
  grantControl(participantId: string) {
    return this.run(() => this.socket!.request("room:grant_control", { participantId }));
  }
  revokeControl(participantId: string) {
    return this.run(() => this.socket!.request("room:revoke_control", { participantId }));
  }
  transferOwnership(participantId: string) {
    return this.run(() => this.socket!.request("room:transfer_ownership", { participantId }));
  }
  async reclaimOwnership() {
    const ok = await this.run(() => this.socket!.request("room:reclaim_ownership", {}));
    if (ok) useRoomStore.setState({ ownershipOffered: false });
    return ok;
  }
  /** Owner only: change the room's settings live (send only what changes); everyone sees them. */
  changeSettings(changes: ClientRequests["room:settings"]) {
    return this.run(() => this.socket!.request("room:settings", changes));
  }
  /** Owner only: make the whole room's voice relay-only (privacy), or allow direct connections again. */
  setVoiceRelayOnly(voiceRelayOnly: boolean) {
    return this.run(() => this.socket!.request("room:settings", { voiceRelayOnly }));
  }
  /** Join the room's voice call as this room member. */
  joinVoice(): Promise<void> {
    const you = useRoomStore.getState().you;
    return you ? this.voice.join(you.participantId) : Promise.resolve();
  }
  /** Owner: ask everyone "Ready?"; play now anyway; or drop the question. */
  readyCheck(action: "start" | "start_anyway" | "cancel" = "start") {
    return this.run(() => this.socket!.request("room:ready_check", { action }));
  }
  answerReady(ready = true) {
    return this.run(() => this.socket!.request("room:ready", { ready }));
  }
  startVote(action: "pause" | "resume") {
    return this.run(() => this.socket!.request("room:vote_start", { action }));
  }
  castVote(voteId: string, yes: boolean) {
    return this.run(() => this.socket!.request("room:vote", { voteId, yes }));
  }
  /** Owner: lend playback control for `durationMs`, or until taken back. */
  grantHost(participantId: string, durationMs?: number) {
    return this.run(() => this.socket!.request("room:host", { participantId, ...(durationMs ? { durationMs } : {}) }));
  }
  endHost(participantId: string) {
    return this.run(() => this.socket!.request("room:host_end", { participantId }));
  }
  /** Owner: how long a member's stall lasts before the room waits for them (0: never). */
  setBufferWait(bufferWaitMs: number) {
    return this.run(() => this.socket!.request("room:settings", { bufferWaitMs }));
  }
  /** Owner: close the room after this many idle minutes (0: never). */
  setIdleClose(idleCloseMinutes: number) {
    return this.run(() => this.socket!.request("room:settings", { idleCloseMinutes }));
  }
  /** Answer the idle warning: keep the room open. */
  async stillHere() {
    const ok = await this.run(() => this.socket!.request("room:still_here", {}));
    if (ok) useRoomStore.setState({ idleClosesAt: null });
    return ok;
  }
  /** This page's player stalled or buffered again (the room may wait for it); false when not sent. */
  reportBuffering(stalled: boolean): boolean {
    return this.socket?.notify("sync:buffering", { stalled }) ?? false;
  }
  sendReaction(emoji: string) {
    return this.run(() => this.socket!.request("reaction:send", { emoji }));
  }
  /** Tell the room this page could not play the current source (it posts a line, once per reason). */
  async reportMediaFailure(sourceId: string, reason: MediaFailureReason): Promise<void> {
    try {
      await this.socket?.request("media:failed", { sourceId, reason });
    } catch {
      // The page already shows the failure; the room hearing of it is a courtesy.
    }
  }
  /**
   * The owner's 3·2·1: a countdown on every screen, then PLAY. Like `play`, a second press
   * while the first is on its way, or once the room's latest command plays, asks for
   * nothing more (a countdown while playing would only put the numbers over the picture).
   */
  startCountdown(durationMs = 3_000): Promise<boolean> {
    return this.startPlayback(() => this.socket!.request("room:countdown", { durationMs }));
  }

  /** The Resync button: fresh clock samples and an immediate hard alignment. */
  resync(): void {
    this.clockSync?.burstNow();
    this.engine.resync();
  }

  attachPlayer(player: PlayerAdapter): void {
    this.engine.attach(player);
  }
  detachPlayer(): void {
    this.engine.detach();
  }
  userGesture(): void {
    this.engine.userGesture();
  }
}
