import { useState, type FormEvent } from "react";
import { describeError } from "../api/problem";
import { AuthLayout } from "../auth/AuthLayout";
import { api } from "../store/session";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";
import { Link } from "../ui/Link";
import { resetToken } from "./lastSeen";
import { newPasswordProblem } from "./passwordRules";

/** The page a one-time reset link (`syncwatch admin reset-password`) opens. */
export function ResetPasswordPage() {
  const [token] = useState(() => resetToken(window.location.hash));
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = newPasswordProblem(password, again);
    if (problem) return setError(problem);
    if (!token) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.resetPassword(token, password);
      // The token is spent: keep it out of the history and the address bar.
      window.history.replaceState(null, "", "/reset-password");
      setDone(true);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  if (!token) {
    return (
      <AuthLayout title="Reset your password" subtitle="This page opens from a reset link.">
        <Alert>This link is incomplete. Ask the operator of this SyncWatch for a new reset link.</Alert>
      </AuthLayout>
    );
  }
  if (done) {
    return (
      <AuthLayout title="Password reset" subtitle="Every session of your account was signed out.">
        <Alert tone="ok">
          <span data-testid="reset-done">Your new password is set.</span>
        </Alert>
        <Link href="/login" className="btn btn-primary mt-5 w-full" data-testid="reset-sign-in">
          Sign in
        </Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Reset your password" subtitle="Choose a new password. The link works once, for 30 minutes.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="New password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} hint="At least 8 characters." data-testid="reset-password" />
        <Field label="New password again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="reset-again" />
        {error && <Alert>{error}</Alert>}
        <button type="submit" className="btn btn-primary w-full" disabled={busy} data-testid="reset-submit">
          {busy ? "Saving…" : "Set new password"}
        </button>
      </form>
    </AuthLayout>
  );
}
