import { useState, type FormEvent } from "react";
import { ApiError, describeError, fieldErrors } from "../api/problem";
import { navigate } from "../app/navigation";
import { register } from "../store/session";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";
import { Link } from "../ui/Link";
import { AuthLayout } from "./AuthLayout";
import { validateRegistration } from "./validation";

export function RegisterPage({ next }: { next: string | null }) {
  const [email, setEmail] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateRegistration({ email, username, password });
    setFields(local);
    setError(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await register(email.trim(), username.trim(), password);
      navigate(next ?? "/", { replace: true });
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.status === 422) setFields(fieldErrors(err.problem));
        if (err.code === "email_taken") setFields({ email: describeError(err) });
        if (err.code === "username_taken") setFields({ username: describeError(err) });
      }
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const loginHref = next ? `/login?next=${encodeURIComponent(next)}` : "/login";
  return (
    <AuthLayout title="Create your account" subtitle="An account lets you create rooms and keep friends.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} data-testid="register-email" />
        <Field
          label="Username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={fields.username}
          hint="3–32 letters, digits or underscores."
          data-testid="register-username"
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
          hint="At least 8 characters."
          data-testid="register-password"
        />
        {error && <Alert>{error}</Alert>}
        <button type="submit" className="btn btn-primary w-full" disabled={busy} data-testid="register-submit">
          {busy ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p className="mt-5 text-center text-sm text-muted">
        Already have an account?{" "}
        <Link href={loginHref} className="font-semibold text-accent underline-offset-4 hover:underline">
          Sign in
        </Link>
      </p>
    </AuthLayout>
  );
}
