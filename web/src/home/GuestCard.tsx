import { useState, type FormEvent } from "react";
import { describeError } from "../api/problem";
import { continueAsGuest, useSession } from "../store/session";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";

/** Guests get a generated nickname unless they choose one; they can join but not create rooms. */
export function GuestCard() {
  const { status } = useSession();
  const [nickname, setNickname] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (status !== "anonymous") return null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await continueAsGuest(nickname);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="guest-title" className="glass rise p-6 sm:p-8 [animation-delay:160ms]">
      <h2 id="guest-title" className="text-xl font-semibold">
        Just visiting?
      </h2>
      <p className="mt-1 text-sm text-muted">Continue as a guest to join a friend's room. No account needed.</p>
      <form onSubmit={submit} className="mt-5 flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
        <div className="flex-1">
          <Field label="Nickname (optional)" maxLength={32} value={nickname} onChange={(e) => setNickname(e.target.value)} placeholder="e.g. SwiftFox" data-testid="guest-nickname" />
        </div>
        <button type="submit" className="btn btn-glass" disabled={busy} data-testid="continue-guest">
          Continue as guest
        </button>
      </form>
      {error && (
        <div className="mt-3">
          <Alert>{error}</Alert>
        </div>
      )}
    </section>
  );
}
