import { describe, expect, it, vi } from "vitest";
import { HttpClient } from "./http";
import { ApiError, describeError, fieldErrors } from "./problem";

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });
}

describe("HttpClient", () => {
  it("sends the bearer token and same-origin credentials", async () => {
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => respond(200, { id: "u1", username: "ada" }));
    const client = new HttpClient({ getAccessToken: () => "tok", refresh: async () => null }, fetchImpl);
    await expect(client.me()).resolves.toEqual({ id: "u1", username: "ada" });
    const [url, init] = fetchImpl.mock.calls[0]!;
    expect(url).toBe("/api/v1/auth/me");
    expect(init?.credentials).toBe("same-origin");
    expect((init?.headers as Record<string, string>).Authorization).toBe("Bearer tok");
  });

  it("refreshes once after a 401 and retries with the new token", async () => {
    let token = "old";
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) =>
      (init?.headers as Record<string, string>).Authorization === "Bearer new" ? respond(200, { ok: true }) : respond(401, { code: "unauthorized", status: 401 }),
    );
    const refresh = vi.fn(async () => (token = "new"));
    const client = new HttpClient({ getAccessToken: () => token, refresh }, fetchImpl);
    await expect(client.getRoom("K7M2P9QX")).resolves.toEqual({ ok: true });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
  });

  it("turns problem+json into an ApiError a person can read", async () => {
    const fetchImpl = vi.fn(async () => respond(429, { code: "rate_limited", status: 429, title: "Too many requests" }, { "Retry-After": "120" }));
    const client = new HttpClient({ getAccessToken: () => null, refresh: async () => null }, fetchImpl);
    const error = await client.login("ada", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).retryAfterS).toBe(120);
    expect(describeError(error)).toBe("Too many attempts. Try again in 2 minutes.");
  });

  it("explains a network failure", async () => {
    const client = new HttpClient({ getAccessToken: () => null, refresh: async () => null }, async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = await client.guest().catch((e: unknown) => e);
    expect(describeError(error)).toMatch(/Can't reach the server/);
  });
});

describe("validation problems", () => {
  it("puts each field's message under that field, whatever the server's spelling", () => {
    expect(
      fieldErrors({
        status: 422,
        code: "validation_error",
        errors: [
          { loc: ["body", "password"], msg: "String should have at least 8 characters" },
          { field: "email", message: "Not an email" },
          { name: "username", detail: "Bad characters" },
        ],
      }),
    ).toEqual({ password: "String should have at least 8 characters", email: "Not an email", username: "Bad characters" });
  });
});
