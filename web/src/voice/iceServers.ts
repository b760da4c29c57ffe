/**
 * `GET /api/v1/voice/ice-servers`, cached until shortly before the TURN
 * credentials expire (they carry their expiry; the server's `ttl` says when).
 * TURN credentials come only once this person is in the room's call: before
 * `voice:join` the answer says whether a relay exists (`relayAvailable`) with
 * `ttl: 0`, so the first connection after the join asks again and gets them.
 */

import { VoiceError } from "./errors";

export interface IceConfiguration {
  iceServers: RTCIceServer[];
  ttl: number;
  relayAvailable: boolean;
}

export type FetchLike = (input: string, init?: { headers?: Record<string, string> }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Refresh once this share of the lifetime is used, so a reconnection never carries stale credentials. */
const REFRESH_AT_SHARE = 0.8;

export class IceServerSource {
  private cached: { value: IceConfiguration; fetchedAtMs: number } | null = null;

  constructor(
    private readonly getToken: () => Promise<string | null>,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
    private readonly now: () => number = () => Date.now(),
    private readonly url = "/api/v1/voice/ice-servers",
  ) {}

  /** The configuration, from the cache unless stale or `fresh` is asked for. */
  async get(fresh = false): Promise<IceConfiguration> {
    const cached = this.cached;
    if (!fresh && cached && this.now() - cached.fetchedAtMs < cached.value.ttl * 1000 * REFRESH_AT_SHARE) return cached.value;
    const token = await this.getToken();
    let response;
    try {
      response = await this.fetchImpl(this.url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    } catch {
      throw new VoiceError("ice_servers_unavailable");
    }
    if (!response.ok) throw new VoiceError("ice_servers_unavailable");
    const body = (await response.json()) as Partial<IceConfiguration>;
    const value: IceConfiguration = {
      iceServers: Array.isArray(body.iceServers) ? body.iceServers : [],
      ttl: typeof body.ttl === "number" ? body.ttl : 0,
      relayAvailable: body.relayAvailable === true,
    };
    this.cached = { value, fetchedAtMs: this.now() };
    return value;
  }
}

export interface VoiceJoinReport {
  peers: number;
  connected: number;
  relayed: number;
  joinMs: number | null;
  iceFailures: string[];
}

/** `POST /api/v1/voice/reports`: telemetry only, so failures are swallowed. */
export async function sendJoinReport(
  report: VoiceJoinReport,
  token: string | null,
  fetchImpl: (input: string, init: RequestInit) => Promise<unknown> = (input, init) => fetch(input, init),
): Promise<void> {
  try {
    await fetchImpl("/api/v1/voice/reports", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(report),
      keepalive: true,
    });
  } catch {
    // Telemetry must never disturb the call.
  }
}
