import { useEffect, useState } from "react";
import { describeError } from "../api/problem";
import type { AccountSession } from "../api/types";
import { navigate } from "../app/navigation";
import { api, logout } from "../store/session";
import { Alert } from "../ui/Alert";
import { lastSeen } from "./lastSeen";

interface Listed {
  sessions: AccountSession[];
  /** When the list was read: "last seen" is counted from here. */
  at: number;
}

async function listSessions(): Promise<Listed> {
  const sessions = await api.sessions();
  return { sessions, at: Date.now() };
}

/** Where this account is signed in, with sign-out of one session or of all the others. */
export function SessionsCard() {
  const [listed, setListed] = useState<Listed | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState<string | null>(null);
  const sessions = listed?.sessions ?? null;

  async function load() {
    try {
      setListed(await listSessions());
      setError(undefined);
    } catch (err) {
      setError(describeError(err));
    }
  }

  useEffect(() => {
    let live = true;
    listSessions().then(
      (found) => live && setListed(found),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => {
      live = false;
    };
  }, []);

  async function signOut(session: AccountSession) {
    setBusy(session.id);
    setNotice(undefined);
    try {
      if (session.current) {
        await logout();
        navigate("/");
        return;
      }
      await api.signOutSession(session.id);
      setNotice(`${session.device} was signed out.`);
      await load();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  async function signOutOthers() {
    setBusy("others");
    setNotice(undefined);
    try {
      const { signedOut } = await api.signOutOtherSessions();
      setNotice(signedOut === 1 ? "1 other session was signed out." : `${signedOut} other sessions were signed out.`);
      await load();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  const now = listed?.at ?? 0;
  const others = sessions?.filter((s) => !s.current).length ?? 0;
  return (
    <section className="glass p-5 sm:p-6" aria-labelledby="sessions-title">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="sessions-title" className="text-lg font-semibold">
            Where you're signed in
          </h2>
          <p className="mt-1 text-sm text-muted">A session you don't recognise? Sign it out and change your password.</p>
        </div>
        {others > 0 && (
          <button type="button" className="btn btn-glass" onClick={() => void signOutOthers()} disabled={busy !== null} data-testid="sessions-sign-out-others">
            Sign out all other sessions
          </button>
        )}
      </div>
      {error && (
        <div className="mt-4">
          <Alert>{error}</Alert>
        </div>
      )}
      {notice && (
        <div className="mt-4">
          <Alert tone="ok">{notice}</Alert>
        </div>
      )}
      {sessions === null && !error && <p className="mt-4 text-sm text-muted">Loading sessions…</p>}
      {sessions && (
        <ul className="mt-4 divide-y divide-white/10" data-testid="sessions">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="session">
              <div className="min-w-0">
                <p className="font-medium">
                  <span data-testid="session-device">{session.device}</span>
                  {session.current && (
                    <span className="ml-2 rounded-full bg-sky-400/20 px-2 py-0.5 text-xs font-semibold text-sky-100" data-testid="session-current">
                      This browser
                    </span>
                  )}
                </p>
                <p className="truncate text-sm text-muted" title={session.userAgent}>
                  {session.ip ? `${session.ip} · ` : ""}last seen {lastSeen(session.lastSeenAt, now)} · signed in {lastSeen(session.startedAt, now)}
                </p>
              </div>
              <button
                type="button"
                className="btn btn-glass"
                onClick={() => void signOut(session)}
                disabled={busy !== null}
                aria-label={`Sign out ${session.device}${session.current ? " (this browser)" : ""}`}
                data-testid="session-sign-out"
              >
                {busy === session.id ? "Signing out…" : "Sign out"}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
