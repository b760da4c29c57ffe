import { useState, type FormEvent } from "react";
import { navigate } from "../app/navigation";
import { parseRoomInput, roomPath } from "../app/routes";
import { Field } from "../ui/Field";

export function JoinCard() {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    const code = parseRoomInput(value);
    if (!code) {
      setError("Paste an invite link like …/r/K7M2P9QX or type the room code.");
      return;
    }
    navigate(roomPath(code));
  }

  return (
    <section aria-labelledby="join-title" className="glass rise p-6 sm:p-8 [animation-delay:80ms]">
      <h2 id="join-title" className="text-xl font-semibold">
        Join with a code or link
      </h2>
      <p className="mt-1 text-sm text-muted">Got an invite? Paste it here.</p>
      <form onSubmit={submit} className="mt-5 space-y-4" noValidate>
        <Field
          label="Invite link or room code"
          name="room"
          autoComplete="off"
          spellCheck={false}
          value={value}
          error={error}
          onChange={(e) => {
            setValue(e.target.value);
            setError(undefined);
          }}
          placeholder="https://…/r/K7M2P9QX"
          data-testid="join-input"
        />
        <button type="submit" className="btn btn-glass w-full" data-testid="join-submit">
          Join room
        </button>
      </form>
    </section>
  );
}
