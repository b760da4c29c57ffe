import { useState, type FormEvent } from "react";
import { validateSource } from "../sync/sourcePolicy";
import type { RoomSession } from "./roomSession";
import { trackFromLink } from "./subtitles";
import { UploadButton } from "./UploadButton";

/** Paste a link; it is checked against the source policy before anything is sent. */
export function SourceForm({ session }: { session: RoomSession }) {
  const [value, setValue] = useState("");
  const [subtitleLink, setSubtitleLink] = useState("");
  const [problem, setProblem] = useState<{ message: string; suggestion: string; field?: "subtitles" } | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateSource(value, window.location.protocol);
    if (!result.isSupported) {
      setProblem({ message: result.message, suggestion: result.suggestion });
      setWarning(null);
      return;
    }
    let subtitles: { url: string; label: string }[] = [];
    if (subtitleLink.trim()) {
      if (result.request.sourceType === "youtube") {
        setProblem({ message: "YouTube videos bring their own captions.", suggestion: "Leave the subtitles field empty for them.", field: "subtitles" });
        return;
      }
      const track = trackFromLink(subtitleLink);
      if ("problem" in track) {
        setProblem({ message: track.problem, suggestion: "Or leave the subtitles field empty.", field: "subtitles" });
        return;
      }
      subtitles = [track.track];
    }
    setProblem(null);
    setWarning(result.warning ?? null);
    setBusy(true);
    const ok = await session.setSource({ ...result.request, subtitles });
    setBusy(false);
    if (ok) {
      setValue("");
      setSubtitleLink("");
    }
  }

  return (
    <form onSubmit={submit} className="glass-strong mt-3 p-3 sm:p-4" noValidate>
      <label htmlFor="source-url" className="label">
        Play a video
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id="source-url"
          className="field"
          type="url"
          inputMode="url"
          placeholder="YouTube link, or a direct .mp4 / .m3u8 URL"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setProblem(null);
          }}
          aria-invalid={problem && !problem.field ? true : undefined}
          aria-describedby={problem && !problem.field ? "source-problem" : undefined}
          data-testid="source-input"
        />
        <button type="submit" className="btn btn-primary" disabled={busy || !value.trim()} data-testid="source-submit">
          {busy ? "Setting…" : "Play for everyone"}
        </button>
      </div>
      <input
        className="field mt-2 py-2.5 text-sm"
        type="url"
        inputMode="url"
        aria-label="Subtitles for this video (optional .vtt link)"
        placeholder="Subtitles (optional): https://…/film.en.vtt"
        aria-invalid={problem?.field === "subtitles" ? true : undefined}
        aria-describedby={problem?.field === "subtitles" ? "source-problem" : undefined}
        value={subtitleLink}
        onChange={(e) => {
          setSubtitleLink(e.target.value);
          setProblem(null);
        }}
        data-testid="source-subtitles"
      />
      {problem && (
        <p id="source-problem" className="field-error" role="alert" data-testid="source-error">
          {problem.message} <span className="text-rose-100">{problem.suggestion}</span>
        </p>
      )}
      {warning && <p className="mt-1.5 text-sm text-muted">{warning}</p>}
      <UploadButton session={session} />
    </form>
  );
}
