import { describe, expect, it } from "vitest";
import { countdownText, fromLocalInput, toLocalInput } from "./countdown";

describe("the scheduled room's countdown", () => {
  it("reads minutes and seconds in the last hour, hours before that", () => {
    expect(countdownText(9_000)).toBe("0:09");
    expect(countdownText(754_000)).toBe("12:34");
    expect(countdownText(2 * 3600_000 + 5 * 60_000)).toBe("2 h 05 min");
    expect(countdownText(50 * 3600_000)).toBe("2 d 2 h");
    expect(countdownText(-5)).toBe("0:00");
  });

  it("round-trips a local date and time", () => {
    const ms = new Date(2030, 4, 6, 20, 30).getTime();
    expect(toLocalInput(ms)).toBe("2030-05-06T20:30");
    expect(fromLocalInput("2030-05-06T20:30")).toBe(ms);
    expect(fromLocalInput("")).toBeNull();
  });
});
