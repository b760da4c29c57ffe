import { describe, expect, it, vi } from "vitest";
import { IceServerSource } from "./iceServers";

function source(ttl = 100, ok = true) {
  let now = 0;
  const fetchImpl = vi.fn(async (_url: string, _init?: { headers?: Record<string, string> }) => ({
    ok,
    status: ok ? 200 : 401,
    json: async () => ({ iceServers: [{ urls: ["turn:127.0.0.1:3478"], username: `${now}:u`, credential: "c" }], ttl, relayAvailable: true }),
  }));
  const servers = new IceServerSource(async () => "token-1", fetchImpl, () => now);
  return { servers, fetchImpl, advance: (ms: number) => (now += ms) };
}

describe("IceServerSource", () => {
  it("sends the bearer token and keeps the answer until 80 % of its lifetime", async () => {
    const { servers, fetchImpl, advance } = source(100);
    const first = await servers.get();
    expect(fetchImpl).toHaveBeenCalledWith("/api/v1/voice/ice-servers", { headers: { Authorization: "Bearer token-1" } });
    expect(first.relayAvailable).toBe(true);
    advance(79_000);
    await servers.get();
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    advance(2_000);
    await servers.get();
    expect(fetchImpl).toHaveBeenCalledTimes(2);
  });

  it("fetches fresh credentials on demand (a full reconnection)", async () => {
    const { servers, fetchImpl } = source();
    await servers.get();
    await servers.get(true);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
  });

  it("asks again after an answer without credentials (seated, not yet in the call: ttl 0)", async () => {
    const { servers, fetchImpl } = source(0);
    await servers.get();
    await servers.get();
    expect(fetchImpl).toHaveBeenCalledTimes(2);
  });

  it("turns a refusal into a clear error", async () => {
    const { servers } = source(100, false);
    await expect(servers.get()).rejects.toMatchObject({ code: "ice_servers_unavailable" });
  });
});
