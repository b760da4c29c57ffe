import { useState, type FormEvent } from "react";
import { ApiError, describeError, fieldErrors } from "../api/problem";
import type { PlaybackControl, Room } from "../api/types";
import { api } from "../store/session";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";
import { initialSchedule, ScheduleFields, scheduleNewRoom, scheduleProblem, type ScheduleChoice } from "../social/ScheduleFields";
import type { Privacy } from "../api/protocol";
import { PrivacyPicker } from "../room/moderation/AccessSettings";

const POLICIES: { value: PlaybackControl; label: string }[] = [
  { value: "owner_only", label: "Only me" },
  { value: "all", label: "Everyone" },
  { value: "selected", label: "People I choose" },
];

export function CreateRoomForm({ onCreated }: { onCreated(room: Room): void }) {
  const [name, setName] = useState("");
  const [seats, setSeats] = useState(5);
  const [password, setPassword] = useState("");
  const [policy, setPolicy] = useState<PlaybackControl>("owner_only");
  const [privacy, setPrivacy] = useState<Privacy>("public");
  const [guestsAllowed, setGuestsAllowed] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [schedule, setSchedule] = useState<ScheduleChoice>(() => initialSchedule());
  const [scheduleError, setScheduleError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = scheduleProblem(schedule);
    setScheduleError(problem);
    if (problem) return;
    setBusy(true);
    setError(undefined);
    setFields({});
    try {
      const room = await api.createRoom({
        ...(name.trim() ? { name: name.trim() } : {}),
        maxParticipants: seats,
        ...(password ? { password } : {}),
        playbackControl: policy,
        privacy,
        guestsAllowed: guestsAllowed && (privacy === "public" || privacy === "anonymous"),
      });
      await scheduleNewRoom(room.code, schedule);
      onCreated(room);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setFields(fieldErrors(err.problem));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Field label="Room name (optional)" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} error={fields.name} data-testid="room-name" />
      <fieldset>
        <legend className="label">Seats</legend>
        <div className="flex gap-2" role="radiogroup">
          {[2, 3, 4, 5].map((n) => (
            <label key={n} className="flex-1">
              <input type="radio" name="seats" value={n} checked={seats === n} onChange={() => setSeats(n)} className="peer sr-only" />
              <span className="btn btn-glass w-full peer-checked:border-sky-300 peer-checked:bg-sky-300/25 peer-focus-visible:outline-3 peer-focus-visible:outline-sky-300">
                {n}
              </span>
            </label>
          ))}
        </div>
        {fields.maxParticipants && <p className="field-error">{fields.maxParticipants}</p>}
      </fieldset>
      <Field
        label="Password (optional)"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fields.password}
        data-testid="room-password"
      />
      <div>
        <label htmlFor="policy" className="label">
          Who can control playback
        </label>
        <select id="policy" className="field" value={policy} onChange={(e) => setPolicy(e.target.value as PlaybackControl)} data-testid="room-policy">
          {POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <ScheduleFields value={schedule} onChange={setSchedule} error={scheduleError} />
      <PrivacyPicker
        privacy={privacy}
        guestsAllowed={guestsAllowed}
        onChange={(change) => {
          if (change.privacy) setPrivacy(change.privacy);
          if (change.guestsAllowed !== undefined) setGuestsAllowed(change.guestsAllowed);
        }}
      />
      {error && <Alert>{error}</Alert>}
      <button type="submit" className="btn btn-primary w-full" disabled={busy} data-testid="create-room">
        {busy ? "Creating…" : "Create room"}
      </button>
    </form>
  );
}
