/**
 * The room WebSocket client (CONTRACT.md §2). No React: it owns one socket at a
 * time, the hello/welcome handshake, heartbeats, request/ack bookkeeping, and
 * reconnection with backoff and resume (`lastSeq`, `lastMessageId`). Listeners
 * receive every server frame; the owner decides what they mean.
 */
import { backoffDelayMs } from "./backoff";
import {
  CloseCode,
  PROTOCOL_VERSION,
  type ClientNotices,
  type ClientRequests,
  type ErrorData,
  type HelloData,
  type ServerMessage,
  type WelcomeData,
} from "./protocol";

/** The part of the browser WebSocket this client uses (a fake implements it in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** Why the client stopped for good: the UI explains each. */
export type FatalReason =
  | "unauthorized"
  | "forbidden"
  | "wrong_password"
  | "kicked"
  | "banned"
  /** The room's privacy preset (docs/protocol.md "Who may join"). */
  | "friends_only"
  | "invitation_required"
  | "guests_not_allowed"
  | "room_not_found"
  | "room_closed"
  | "room_full"
  | "incompatible"
  | "replaced";

export interface RoomSocketOptions {
  url: string;
  /** The bearer token for hello; called before every (re)connect so it can refresh. */
  getToken(forceRefresh: boolean): Promise<string | null>;
  password?: string;
  protocolVersion?: string;
  createSocket?: (url: string) => WebSocketLike;
  random?: () => number;
}

/** `presence:heartbeat` period fixed by the contract (owner is away after 15 s without one). */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A request nobody answered is failed after this long so the UI never hangs. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** No welcome this long after the socket opened: drop it and try again. */
export const HELLO_TIMEOUT_MS = 12_000;
/**
 * Half-open connections (a laptop that slept, a NAT that forgot us) send no
 * close event. After 20 s of silence the client pings (the server answers
 * pings at once, by contract); 10 s more of silence and it reconnects.
 */
export const SILENCE_PROBE_MS = 20_000;
export const SILENCE_LIMIT_MS = 30_000;
/** Spread over this much past the server's `retryAfter` so a room's members do not return at once. */
export const RETRY_AFTER_JITTER_MS = 500;
/**
 * When the browser says the network is back, an open socket may be one that died
 * while it was gone (its close event comes only with a TCP timeout). It is asked
 * at once and given this long to answer before the client reconnects.
 */
export const NETWORK_BACK_GRACE_MS = 4_000;
/** Close code the client uses for a connection it gave up on (never sent by servers). */
const CLIENT_GAVE_UP = 4000;

const OPEN = 1;

export class RequestError extends Error {
  constructor(readonly data: ErrorData) {
    super(data.message ?? data.code);
    this.name = "RequestError";
  }
  get code(): string {
    return this.data.code;
  }
}

type Listener<T> = (value: T) => void;

interface Pending {
  resolve(data: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class RoomSocket {
  state: SocketState = "idle";
  reconnectAttempts = 0;
  fatal: FatalReason | null = null;
  /** Highest sequence number seen (welcome state or sync:command), sent on resume. */
  lastSeq: number | null = null;
  /** Newest chat message id seen, sent on resume so history is not repeated. */
  lastMessageId: string | null = null;

  private socket: WebSocketLike | null = null;
  private password: string | undefined;
  private readonly messageListeners = new Set<Listener<ServerMessage>>();
  private readonly stateListeners = new Set<Listener<SocketState>>();
  private readonly pending = new Map<string, Pending>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private helloTimer: ReturnType<typeof setTimeout> | null = null;
  private lastHeardAt = 0;
  private framesHeard = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private lastError: ErrorData | null = null;
  private triedRefresh = false;
  private stopped = false;

  constructor(private readonly options: RoomSocketOptions) {
    this.password = options.password;
  }

  onMessage(listener: Listener<ServerMessage>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: Listener<SocketState>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  setPassword(password: string | undefined): void {
    this.password = password;
  }

  connect(): void {
    this.stopped = false;
    this.fatal = null;
    void this.open(false);
  }

  /** Leave the room: no reconnect. */
  close(): void {
    this.stopped = true;
    this.clearTimers();
    this.failPending(new Error("closed"));
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(CloseCode.Normal, "leaving");
    }
    this.setState("closed");
  }

  /** A request the server acknowledges (`ack`) or refuses (`error`). */
  request<K extends keyof ClientRequests>(type: K, data: ClientRequests[K]): Promise<Record<string, unknown>> {
    const socket = this.socket;
    if (!socket || this.state !== "open") return Promise.reject(new RequestError({ code: "not_connected", message: "Not connected" }));
    const id = `c${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError({ code: "timeout", message: "The server did not answer" }));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ type, id, data }));
    });
  }

  /** A frame that expects no answer (pings, heartbeats, reports). Dropped when not connected. */
  notify<K extends keyof ClientNotices>(type: K, data: ClientNotices[K]): boolean {
    if (!this.socket || this.state !== "open" || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify({ type, data }));
    return true;
  }

  // ------------------------------------------------------------------ internals

  private async open(forceRefresh: boolean): Promise<void> {
    if (this.stopped) return;
    this.setState(this.reconnectAttempts > 0 ? "reconnecting" : "connecting");
    const token = await this.options.getToken(forceRefresh);
    if (this.stopped) return;
    if (!token) return this.stop("unauthorized");
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
    const socket = create(this.options.url);
    this.socket = socket;
    this.lastError = null;
    socket.onopen = () => {
      this.helloTimer = setTimeout(() => this.abandon(socket), HELLO_TIMEOUT_MS);
      const hello: HelloData = { protocolVersion: this.options.protocolVersion ?? PROTOCOL_VERSION, token };
      if (this.password) hello.password = this.password;
      if (this.lastSeq !== null) hello.lastSeq = this.lastSeq;
      if (this.lastMessageId !== null) hello.lastMessageId = this.lastMessageId;
      socket.send(JSON.stringify({ type: "hello", id: "hello", data: hello }));
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => {
      // The close event that follows carries the code; nothing to do here.
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClose(event.code, event.reason ?? "");
    };
  }

  private receive(raw: unknown): void {
    this.lastHeardAt = Date.now();
    this.framesHeard += 1;
    if (typeof raw !== "string") return;
    let message: ServerMessage;
    try {
      message = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    if (!message || typeof message.type !== "string") return;
    switch (message.type) {
      case "welcome":
        this.onWelcome(message.data);
        break;
      case "ack":
        this.settle(message.re, (p) => p.resolve(message.data ?? {}));
        break;
      case "error":
        this.lastError = message.data;
        if (message.re) this.settle(message.re, (p) => p.reject(new RequestError(message.data)));
        break;
      case "sync:command":
        this.lastSeq = Math.max(this.lastSeq ?? 0, message.data.sequenceNumber);
        break;
      case "chat:message":
        if (message.data.id) this.lastMessageId = message.data.id;
        break;
    }
    for (const listener of this.messageListeners) listener(message);
  }

  private onWelcome(welcome: WelcomeData): void {
    if (welcome.compatible === false) {
      this.stop("incompatible");
      return;
    }
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    this.reconnectAttempts = 0;
    this.triedRefresh = false;
    this.lastSeq = Math.max(this.lastSeq ?? 0, welcome.state.sequenceNumber);
    const newest = [...(welcome.chat ?? [])].reverse().find((m) => m.id);
    if (newest?.id) this.lastMessageId = newest.id;
    this.setState("open");
    this.startHeartbeat();
  }

  private handleClose(code: number, reason: string): void {
    this.clearTimers();
    this.failPending(new RequestError({ code: "disconnected", message: "Connection lost" }));
    if (this.stopped) return;
    const fatal = this.fatalReasonFor(code, reason);
    if (fatal === "unauthorized" && !this.triedRefresh) {
      // The access token probably expired: refresh once and try again at once.
      this.triedRefresh = true;
      void this.open(true);
      return;
    }
    if (fatal) return this.stop(fatal);
    this.scheduleReconnect(code === CloseCode.TryAgainLater ? this.lastError?.retryAfter ?? null : null);
  }

  /** Why a 4003 happened comes from the last `error` frame, or else the close reason text. */
  private fatalReasonFor(code: number, reason: string): FatalReason | null {
    const errorCode = this.lastError?.code ?? reason.toLowerCase().match(/wrong_password|password_required|banned|kicked/)?.[0];
    switch (code) {
      case CloseCode.Unauthorized:
        return "unauthorized";
      case CloseCode.Forbidden:
        if (errorCode === "wrong_password" || errorCode === "password_required") return "wrong_password";
        if (errorCode === "banned") return "banned";
        if (errorCode === "kicked") return "kicked";
        if (errorCode === "friends_only" || errorCode === "invitation_required" || errorCode === "guests_not_allowed") return errorCode;
        return "forbidden";
      case CloseCode.NotFound:
        // The owner closed it (while we were in, or before this visit).
        return reason === "room_closed" ? "room_closed" : "room_not_found";
      case CloseCode.Full:
        return "room_full";
      case CloseCode.Incompatible:
        return "incompatible";
      case CloseCode.Replaced:
        // The same account joined from another tab or device and took this seat:
        // reconnecting would take it back and the two would fight forever.
        return "replaced";
      default:
        return null;
    }
  }

  /**
   * 1013 comes with the server's `retryAfter` (seconds): never sooner than that, and
   * no later either when the backoff has grown past it (a room whose server died
   * can be taken over after a few seconds; waiting out a long backoff on top of
   * the server's own estimate only prolongs the outage). A little jitter keeps the
   * room's members from all returning in the same millisecond.
   */
  private scheduleReconnect(retryAfterS: number | null = null): void {
    const random = this.options.random ?? Math.random;
    const delay =
      retryAfterS && retryAfterS > 0
        ? retryAfterS * 1000 + random() * RETRY_AFTER_JITTER_MS
        : backoffDelayMs(this.reconnectAttempts, this.options.random);
    this.reconnectAttempts += 1;
    this.setState("reconnecting");
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.open(false);
    }, delay);
  }

  private stop(reason: FatalReason): void {
    this.fatal = reason;
    this.stopped = true;
    this.clearTimers();
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close(CloseCode.Normal);
      this.socket = null;
    }
    this.setState("closed");
  }

  /** Heartbeats every 5 s; the same timer watches for a silent (half-open) connection. */
  private startHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.lastHeardAt = Date.now();
    this.notify("presence:heartbeat", {});
    this.heartbeat = setInterval(() => {
      const silentFor = Date.now() - this.lastHeardAt;
      if (silentFor >= SILENCE_LIMIT_MS && this.socket) return this.abandon(this.socket);
      this.notify("presence:heartbeat", {});
      if (silentFor >= SILENCE_PROBE_MS) this.notify("time:ping", { t0: Date.now() });
    }, HEARTBEAT_INTERVAL_MS);
  }

  /** Gives up on a socket that stopped answering, then reconnects like after any drop. */
  private abandon(socket: WebSocketLike): void {
    if (this.socket !== socket) return;
    this.socket = null;
    socket.onclose = null;
    socket.close(CLIENT_GAVE_UP, "no answer");
    this.handleClose(CLIENT_GAVE_UP, "");
  }

  private clearTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.helloTimer) clearTimeout(this.helloTimer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.heartbeat = null;
    this.reconnectTimer = null;
    this.helloTimer = null;
    this.probeTimer = null;
  }

  /**
   * The network is back (the browser's `online` event): skip the rest of the
   * backoff, or, when the socket still looks open, make sure it is alive: it is
   * pinged, and replaced unless something arrives within `NETWORK_BACK_GRACE_MS`.
   */
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.state === "open" && this.socket) return this.probe(this.socket);
    if (this.state !== "reconnecting" || !this.reconnectTimer) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    void this.open(false);
  }

  private probe(socket: WebSocketLike): void {
    if (this.probeTimer) return;
    const heardBefore = this.framesHeard;
    this.notify("time:ping", { t0: Date.now() });
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      if (this.framesHeard === heardBefore) this.abandon(socket);
    }, NETWORK_BACK_GRACE_MS);
  }

  private settle(id: string, action: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    action(pending);
  }

  private failPending(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  private setState(state: SocketState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** `ws(s)://<host>/ws/rooms/<code>` for the page's own origin. */
export function roomSocketUrl(location: { protocol: string; host: string }, code: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/rooms/${encodeURIComponent(code)}`;
}
