import { useState, type FormEvent } from "react";
import { ApiError, describeError, fieldErrors } from "../api/problem";
import { api } from "../store/session";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";
import { newPasswordProblem } from "./passwordRules";

/** Change the password; every other session is signed out (the server says how many). */
export function PasswordCard() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const [done, setDone] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    setError(undefined);
    const problem = newPasswordProblem(next, again);
    setFieldError(problem ?? undefined);
    if (!current) return setError("Enter your current password.");
    if (problem) return;
    setBusy(true);
    try {
      const { signedOut } = await api.changePassword(current, next);
      setCurrent("");
      setNext("");
      setAgain("");
      setDone(
        signedOut === 0
          ? "Password changed."
          : `Password changed. ${signedOut === 1 ? "1 other session was" : `${signedOut} other sessions were`} signed out.`,
      );
    } catch (err) {
      if (err instanceof ApiError && err.problem.code === "validation_error") {
        setFieldError(fieldErrors(err.problem).newPassword ?? describeError(err));
      } else {
        setError(describeError(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="glass p-5 sm:p-6" aria-labelledby="password-title">
      <h2 id="password-title" className="text-lg font-semibold">
        Password
      </h2>
      <p className="mt-1 text-sm text-muted">Changing it signs you out everywhere else.</p>
      <form onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-3" noValidate>
        <Field label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="password-current" />
        <Field label="New password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} error={fieldError} hint="At least 8 characters." data-testid="password-new" />
        <Field label="New password again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="password-again" />
        <div className="sm:col-span-3 flex flex-col gap-3">
          {error && <Alert>{error}</Alert>}
          {done && (
            <Alert tone="ok">
              <span data-testid="password-changed">{done}</span>
            </Alert>
          )}
          <button type="submit" className="btn btn-primary self-start" disabled={busy} data-testid="password-submit">
            {busy ? "Changing…" : "Change password"}
          </button>
        </div>
      </form>
    </section>
  );
}
