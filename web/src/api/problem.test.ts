import { describe, expect, it } from "vitest";
import { toProblem } from "./problem";

describe("problems from the server", () => {
  it("keep the reason a closed room's 404 gives, so the page can say the owner closed it", () => {
    const problem = toProblem(404, { type: "urn:syncwatch:problem:room_not_found", status: 404, code: "room_not_found", reason: "closed_by_owner" });
    expect(problem).toMatchObject({ status: 404, code: "room_not_found", reason: "closed_by_owner" });
    expect(toProblem(404, { code: "room_not_found" }).reason).toBeUndefined();
  });
});
