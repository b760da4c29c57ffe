import { describe, expect, it } from "vitest";
import { checkUploadFile, MAX_UPLOAD_BYTES, videoIdFromLocation } from "./upload";

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
});
