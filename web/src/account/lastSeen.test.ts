import { describe, expect, it } from "vitest";
import { exportFileName, lastSeen, resetToken } from "./lastSeen";

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

describe("lastSeen", () => {
  it("says how long ago in words a person uses", () => {
    expect(lastSeen(NOW - 20_000, NOW)).toBe("just now");
    expect(lastSeen(NOW - 60_000, NOW)).toBe("a minute ago");
    expect(lastSeen(NOW - 5 * 60_000, NOW)).toBe("5 minutes ago");
    expect(lastSeen(NOW - 3 * 3_600_000, NOW)).toBe("3 hours ago");
    expect(lastSeen(NOW - 26 * 3_600_000, NOW)).toBe("yesterday");
    expect(lastSeen(NOW - 9 * 86_400_000, NOW)).toBe("9 days ago");
  });

  it("treats a clock slightly ahead of ours as now", () => {
    expect(lastSeen(NOW + 5_000, NOW)).toBe("just now");
  });
});

describe("exportFileName", () => {
  it("names the download after the account and the day", () => {
    expect(exportFileName("ann_2", NOW)).toBe("syncwatch-ann_2-2026-12-06.json");
    expect(exportFileName("../x", NOW)).toBe("syncwatch-___x-2026-12-06.json");
  });
});

describe("resetToken", () => {
  it("reads the token from the link's fragment", () => {
    const token = "a".repeat(43);
    expect(resetToken(`#token=${token}`)).toBe(token);
    expect(resetToken("")).toBeNull();
    expect(resetToken("#token=short")).toBeNull();
    expect(resetToken("#token=<script>alert(1)</script>aaaaaaaaaaaaaaaa")).toBeNull();
  });
});
