import { useState, type FormEvent } from "react";
import { validateSource } from "../sync/sourcePolicy";
import type { RoomSession } from "./roomSession";

/** Paste a link; it is checked against the source policy before anything is sent. */
export function SourceForm({ session }: { session: RoomSession }) {
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<{ message: string; suggestion: string } | null>(null);
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
    setProblem(null);
    setWarning(result.warning ?? null);
    setBusy(true);
    const ok = await session.setSource(result.request);
    setBusy(false);
    if (ok) setValue("");
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
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? "source-problem" : undefined}
          data-testid="source-input"
        />
        <button type="submit" className="btn btn-primary" disabled={busy || !value.trim()} data-testid="source-submit">
          {busy ? "Setting…" : "Play for everyone"}
        </button>
      </div>
      {problem && (
        <p id="source-problem" className="field-error" role="alert" data-testid="source-error">
          {problem.message} <span className="text-rose-100">{problem.suggestion}</span>
        </p>
      )}
      {warning && <p className="mt-1.5 text-sm text-muted">{warning}</p>}
    </form>
  );
}
