/**
 * In the room's owner menu: save this room's settings (seats, playback control,
 * handover, privacy, guests) as a named template, to create rooms from later.
 */
import { useState, type FormEvent } from "react";
import { eveningsApi } from "../api/evenings";
import { describeError } from "../api/problem";
import { api } from "../store/session";

export function SaveAsTemplate({ code, roomName }: { code: string; roomName: string }) {
  const [name, setName] = useState(roomName);
  const [state, setState] = useState<"idle" | "saving" | "saved">("idle");
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setState("saving");
    setError(null);
    try {
      await eveningsApi(api).saveTemplate(name.trim() || roomName, code);
      setState("saved");
    } catch (e) {
      setError(describeError(e));
      setState("idle");
    }
  }

  return (
    <form onSubmit={save} className="space-y-2" data-testid="save-template">
      <label htmlFor="template-name" className="label">Save settings as a template</label>
      <div className="flex gap-2">
        <input id="template-name" className="field py-2" maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn btn-glass" disabled={state === "saving"}>
          {state === "saved" ? "Saved" : "Save"}
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}
