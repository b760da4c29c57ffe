import { describe, expect, it } from "vitest";
import { validateRegistration } from "./validation";

describe("registration rules", () => {
  it("accepts a valid account", () => {
    expect(validateRegistration({ email: "ada@example.org", username: "ada_l", password: "12345678" })).toEqual({});
  });
  it("explains each wrong field", () => {
    const errors = validateRegistration({ email: "nope", username: "a!", password: "short" });
    expect(Object.keys(errors).sort()).toEqual(["email", "password", "username"]);
  });
});
