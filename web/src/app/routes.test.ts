import { describe, expect, it } from "vitest";
import { inviteLink, parseRoomInput, parseRoute, safeNext } from "./routes";

describe("routes", () => {
  it("maps the public paths to screens", () => {
    expect(parseRoute("/")).toEqual({ name: "home" });
    expect(parseRoute("/login", "?next=/r/ABCD2345")).toEqual({ name: "login", next: "/r/ABCD2345" });
    expect(parseRoute("/register/")).toEqual({ name: "register", next: null });
    expect(parseRoute("/r/ABCD2345")).toEqual({ name: "room", code: "ABCD2345" });
    expect(parseRoute("/r/../../etc").name).toBe("not_found");
    expect(parseRoute("/account")).toEqual({ name: "account" });
    expect(parseRoute("/reset-password")).toEqual({ name: "reset_password" });
  });

  it("never redirects off-site after login", () => {
    expect(safeNext("https://evil.example/")).toBeNull();
    expect(safeNext("//evil.example/")).toBeNull();
    expect(safeNext("/r/ABCD2345")).toBe("/r/ABCD2345");
  });

  it("accepts a bare code, an invite link or a path in the join box", () => {
    const link = inviteLink("https://watch.example", "K7M2P9QX");
    expect(link).toBe("https://watch.example/r/K7M2P9QX");
    expect(parseRoomInput(link)).toBe("K7M2P9QX");
    expect(parseRoomInput("  K7M2P9QX ")).toBe("K7M2P9QX");
    expect(parseRoomInput("watch.example/r/K7M2P9QX")).toBe("K7M2P9QX");
    expect(parseRoomInput("https://watch.example/about")).toBeNull();
    expect(parseRoomInput("")).toBeNull();
  });
});
