import { describe, expect, it } from "vitest";
import { labelFromUrl, plainCueText, trackFromLink, withTrack } from "./subtitles";

describe("subtitle links", () => {
  it("turns a .vtt address into a track named after its file", () => {
    expect(trackFromLink(" https://cdn.example.org/films/Night%20Film.en.VTT?sig=1 ")).toEqual({
      track: { url: "https://cdn.example.org/films/Night%20Film.en.VTT?sig=1", label: "Night Film.en" },
    });
  });

  it("says why other links cannot be subtitles", () => {
    expect(trackFromLink("night.vtt")).toEqual({ problem: expect.stringContaining("full address") });
    expect(trackFromLink("ftp://x.test/a.vtt")).toEqual({ problem: expect.stringContaining("https://") });
    expect(trackFromLink("https://x.test/a.srt")).toEqual({ problem: expect.stringContaining(".vtt") });
    expect(trackFromLink("javascript:alert(1)//a.vtt")).toEqual({ problem: expect.stringContaining("https://") });
  });

  it("adds a track once, at the end", () => {
    const a = { url: "https://x.test/a.vtt", label: "A" };
    const b = { url: "https://x.test/b.vtt", label: "B" };
    expect(withTrack([a, b], { ...a, label: "A2" })).toEqual([b, { ...a, label: "A2" }]);
    expect(labelFromUrl("https://x.test/")).toBe("Subtitles");
  });
});

describe("cue text", () => {
  it("drops WebVTT markup and decodes its escapes", () => {
    expect(plainCueText("<v Bob><i>Fish</i> &amp; chips</v> &lt;3<00:00:01.000>")).toBe("Fish & chips <3");
    expect(plainCueText("<c.yellow>two</c>\nlines")).toBe("two\nlines");
  });

  it("keeps text that only looks like markup once decoded as text", () => {
    expect(plainCueText("&lt;script&gt;alert(1)&lt;/script&gt;")).toBe("<script>alert(1)</script>");
  });
});
