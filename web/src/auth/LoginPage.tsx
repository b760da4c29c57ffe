import { useState, type FormEvent } from "react";
import { describeError } from "../api/problem";
import { navigate } from "../app/navigation";
import { login } from "../store/session";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";
import { Link } from "../ui/Link";
import { AuthLayout } from "./AuthLayout";

export function LoginPage({ next }: { next: string | null }) {
  const [loginName, setLoginName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!loginName.trim() || !password) {
      setError("Enter your email or username and your password.");
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await login(loginName.trim(), password);
      navigate(next ?? "/", { replace: true });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const registerHref = next ? `/register?next=${encodeURIComponent(next)}` : "/register";
  return (
    <AuthLayout title="Welcome back" subtitle="Sign in with your email or username.">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Email or username" autoComplete="username" value={loginName} onChange={(e) => setLoginName(e.target.value)} data-testid="login-name" />
        <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
        {error && <Alert>{error}</Alert>}
        <button type="submit" className="btn btn-primary w-full" disabled={busy} data-testid="login-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="mt-5 text-center text-sm text-muted">
        New here?{" "}
        <Link href={registerHref} className="font-semibold text-accent underline-offset-4 hover:underline">
          Create an account
        </Link>
      </p>
    </AuthLayout>
  );
}
