import { describe, expect, it } from "vitest";
import { refreshDelayMs } from "./session";

describe("access token refresh timing", () => {
  it("refreshes a 15-minute token one minute before it expires", () => {
    expect(refreshDelayMs(900)).toBe(840_000);
  });
  it("keeps a fifth of a short lifetime as margin, and never hammers the server", () => {
    expect(refreshDelayMs(60)).toBe(48_000);
    expect(refreshDelayMs(2)).toBe(5_000);
  });
});
