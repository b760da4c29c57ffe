import { describe, expect, it } from "vitest";
import { checkUploadFile, MAX_UPLOAD_BYTES, uploadRefusal, videoIdFromLocation } from "./upload";

describe("uploads", () => {
  it("refuses what the server would refuse before sending a byte", () => {
    expect(checkUploadFile({ size: 10, type: "video/mp4", name: "a.mp4" })).toBeNull();
    expect(checkUploadFile({ size: 10, type: "", name: "holiday.MKV" })).toBeNull();
    expect(checkUploadFile({ size: MAX_UPLOAD_BYTES + 1, type: "video/mp4", name: "a.mp4" })).toMatch(/8 GB/);
    expect(checkUploadFile({ size: 10, type: "application/pdf", name: "a.pdf" })).toMatch(/video file/);
    expect(checkUploadFile({ size: 0, type: "video/mp4", name: "a.mp4" })).toMatch(/empty/);
  });

  it("reads the video id from the tus Location", () => {
    expect(videoIdFromLocation("/api/v1/videos/uploads/01HZX")).toBe("01HZX");
    expect(videoIdFromLocation("https://watch.example/api/v1/videos/uploads/abc-123/")).toBe("abc-123");
  });

  it("explains each refusal with the server's own problem", () => {
    const quota = uploadRefusal(413, JSON.stringify({ code: "quota_exceeded", detail: "You have used your 20 GB." }));
    expect(quota.problem.code).toBe("quota_exceeded");
    expect(quota.problem.detail).toBe("You have used your 20 GB.");
    expect(uploadRefusal(413, "").problem.code).toBe("too_large");
    expect(uploadRefusal(415, "not json").problem.code).toBe("unsupported_format");
    expect(uploadRefusal(429, JSON.stringify({ code: "rate_limited" })).problem.code).toBe("rate_limited");
  });
});
