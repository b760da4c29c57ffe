import { describe, expect, it } from "vitest";
import { newPasswordProblem } from "./passwordRules";

describe("newPasswordProblem", () => {
  it("asks for 8 characters, typed the same twice", () => {
    expect(newPasswordProblem("short", "short")).toBe("Use at least 8 characters.");
    expect(newPasswordProblem("battery staple", "battery stapel")).toBe("The two new passwords differ.");
    expect(newPasswordProblem("battery staple", "battery staple")).toBeNull();
  });
});
