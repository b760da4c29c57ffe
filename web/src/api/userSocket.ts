/**
 * The user socket `/ws/me` client (CONTRACT.md §3): friends' presence, friend
 * requests, invitations and notifications while signed in. No React: it owns
 * one socket at a time, the hello/welcome handshake, a heartbeat that also
 * notices a half-open connection, request/ack bookkeeping and reconnection
 * with backoff. Listeners get every server frame.
 */
import { backoffDelayMs } from "./backoff";
import { CloseCode, PROTOCOL_VERSION } from "./protocol";
import type { UserServerMessage, UserWelcomeData } from "./protocol.generated";
import type { WebSocketLike } from "./roomSocket";

export type UserSocketState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export interface UserRequests {
  "room:invite": { userId: string; roomCode: string };
  "presence:set": { status: "online" | "busy" | "invisible" };
}

export interface UserSocketOptions {
  url: string;
  getToken(forceRefresh: boolean): Promise<string | null>;
  createSocket?: (url: string) => WebSocketLike;
  random?: () => number;
}

/** Slower than a room's: only to keep the connection (and proxies) awake and notice silence. */
export const USER_HEARTBEAT_MS = 25_000;
export const USER_SILENCE_LIMIT_MS = 60_000;
export const USER_REQUEST_TIMEOUT_MS = 10_000;
const OPEN = 1;

export class UserRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "UserRequestError";
  }
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class UserSocket {
  state: UserSocketState = "idle";
  welcome: UserWelcomeData | null = null;
  private socket: WebSocketLike | null = null;
  private readonly listeners = new Set<(message: UserServerMessage) => void>();
  private readonly stateListeners = new Set<(state: UserSocketState) => void>();
  private readonly pending = new Map<string, Pending>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private nextId = 1;
  private lastHeardAt = 0;
  private triedRefresh = false;
  private stopped = false;

  constructor(private readonly options: UserSocketOptions) {}

  onMessage(listener: (message: UserServerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: UserSocketState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  connect(): void {
    this.stopped = false;
    void this.open(false);
  }

  close(): void {
    this.stopped = true;
    this.clearTimers();
    this.failPending("closed");
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(CloseCode.Normal, "signed out");
    }
    this.setState("closed");
  }

  request<K extends keyof UserRequests>(type: K, data: UserRequests[K]): Promise<void> {
    const socket = this.socket;
    if (!socket || this.state !== "open") return Promise.reject(new UserRequestError("not_connected", "Not connected"));
    const id = `u${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new UserRequestError("timeout", "The server did not answer"));
      }, USER_REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ type, id, data }));
    });
  }

  /** The person did something: not away (the caller throttles). */
  active(): boolean {
    if (!this.socket || this.state !== "open" || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify({ type: "presence:active", data: {} }));
    return true;
  }

  private async open(forceRefresh: boolean): Promise<void> {
    if (this.stopped) return;
    this.setState(this.attempts > 0 ? "reconnecting" : "connecting");
    const token = await this.options.getToken(forceRefresh);
    if (this.stopped) return;
    if (!token) return this.close();
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
    const socket = create(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: "hello", data: { protocolVersion: PROTOCOL_VERSION, token } }));
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => {};
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClose(event.code);
    };
  }

  private receive(raw: unknown): void {
    this.lastHeardAt = Date.now();
    if (typeof raw !== "string") return;
    let message: UserServerMessage;
    try {
      message = JSON.parse(raw) as UserServerMessage;
    } catch {
      return;
    }
    if (!message || typeof message.type !== "string") return;
    if (message.type === "welcome") {
      this.welcome = message.data;
      this.attempts = 0;
      this.triedRefresh = false;
      this.setState("open");
      this.startHeartbeat();
    } else if (message.type === "ack" && message.re) {
      this.settle(message.re, (p) => p.resolve());
    } else if (message.type === "error" && message.re) {
      const data = message.data;
      this.settle(message.re, (p) => p.reject(new UserRequestError(data.code, data.message ?? data.code)));
    }
    for (const listener of this.listeners) listener(message);
  }

  private handleClose(code: number): void {
    this.clearTimers();
    this.failPending("disconnected");
    if (this.stopped) return;
    if (code === CloseCode.Unauthorized && !this.triedRefresh) {
      this.triedRefresh = true;
      void this.open(true);
      return;
    }
    if (code === CloseCode.Unauthorized || code === CloseCode.Forbidden || code === CloseCode.Incompatible) {
      this.close();
      return;
    }
    const delay = backoffDelayMs(this.attempts, this.options.random);
    this.attempts += 1;
    this.setState("reconnecting");
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.open(false);
    }, delay);
  }

  private startHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.lastHeardAt = Date.now();
    this.heartbeat = setInterval(() => {
      const socket = this.socket;
      if (!socket || socket.readyState !== OPEN) return;
      if (Date.now() - this.lastHeardAt >= USER_SILENCE_LIMIT_MS) {
        this.socket = null;
        socket.onclose = null;
        socket.close(4000, "no answer");
        this.handleClose(4000);
        return;
      }
      // A ping is answered at once, so a live connection is never silent for long.
      socket.send(JSON.stringify({ type: "time:ping", data: { t0: Date.now() } }));
    }, USER_HEARTBEAT_MS);
  }

  private clearTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.heartbeat = null;
    this.reconnectTimer = null;
  }

  private settle(id: string, action: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    action(pending);
  }

  private failPending(code: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new UserRequestError(code, "Connection lost"));
      this.pending.delete(id);
    }
  }

  private setState(state: UserSocketState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

export function userSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws/me`;
}
