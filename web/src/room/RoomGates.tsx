/** The screens before and after a room: sign-in gate, password prompt, loading, and why it ended. */
import { useState, type FormEvent } from "react";
import { describeError } from "../api/problem";
import { continueAsGuest } from "../store/session";
import { useRoomStore, type RoomViewState } from "../store/room";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";
import { Link } from "../ui/Link";
import { Logo } from "../ui/Logo";
import type { RoomSession } from "./roomSession";

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center px-4 py-10">
      <Link href="/" className="mb-6 flex items-center gap-2 self-center text-lg font-semibold">
        <Logo /> SyncWatch
      </Link>
      <div className="glass rise p-6 sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        <div className="mt-4">{children}</div>
      </div>
    </main>
  );
}

export function LoadingScreen({ text }: { text: string }) {
  return (
    <Card title="Just a moment">
      <p className="text-muted" role="status">
        {text}
      </p>
    </Card>
  );
}

export function AuthGate({ code }: { code: string }) {
  const [nickname, setNickname] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const next = encodeURIComponent(`/r/${code}`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await continueAsGuest(nickname);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <Card title="You're invited to watch together">
      <p className="text-muted">Join as a guest, or sign in to chat and create rooms of your own.</p>
      <form onSubmit={submit} className="mt-5 space-y-3" noValidate>
        <Field label="Nickname (optional)" maxLength={32} value={nickname} onChange={(e) => setNickname(e.target.value)} data-testid="gate-nickname" />
        {error && <Alert>{error}</Alert>}
        <button type="submit" className="btn btn-primary w-full" disabled={busy} data-testid="gate-guest">
          Join as guest
        </button>
      </form>
      <div className="mt-4 flex gap-2">
        <Link href={`/login?next=${next}`} className="btn btn-glass flex-1" data-testid="gate-login">
          Sign in
        </Link>
        <Link href={`/register?next=${next}`} className="btn btn-glass flex-1">
          Sign up
        </Link>
      </div>
    </Card>
  );
}

export function PasswordPrompt({ session }: { session: RoomSession }) {
  const error = useRoomStore((s) => s.passwordError);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!password) return;
    setBusy(true);
    await session.submitPassword(password);
    setBusy(false);
  }

  return (
    <Card title="This room has a password">
      <p className="text-muted">Ask the person who invited you for it.</p>
      <form onSubmit={submit} className="mt-5 space-y-4" noValidate>
        <Field
          label="Room password"
          type="password"
          autoComplete="off"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error ?? undefined}
          data-testid="room-password-input"
        />
        <button type="submit" className="btn btn-primary w-full" disabled={busy || !password} data-testid="room-password-submit">
          {busy ? "Checking…" : "Join room"}
        </button>
      </form>
    </Card>
  );
}

const ENDINGS: Record<NonNullable<RoomViewState["fatal"]>, { title: string; text: string }> = {
  room_not_found: { title: "Room not found", text: "This room doesn't exist, or it has expired. Ask for a new invite link." },
  room_closed: { title: "This room was closed", text: "The room was closed by its owner. Ask them for a new invite link." },
  room_full: { title: "This room is full", text: "All seats are taken. Try again when someone leaves." },
  kicked: { title: "You were removed", text: "The owner removed you from this room." },
  banned: { title: "You can't join this room", text: "The owner banned you from this room." },
  friends_only: { title: "Friends only", text: "Only the owner's friends can join this room. Ask the owner to add you as a friend or to invite you." },
  invitation_required: { title: "This room is private", text: "Only people the owner invited can join. Ask the owner for an invitation." },
  guests_not_allowed: { title: "Sign in to join", text: "This room doesn't admit guests. Sign in or create an account, then open the link again." },
  forbidden: { title: "You can't join this room", text: "You were removed from this room or aren't allowed in." },
  unauthorized: { title: "Please sign in again", text: "Your session ended. Sign in or continue as a guest to rejoin." },
  wrong_password: { title: "Wrong password", text: "That password isn't right." },
  incompatible: { title: "SyncWatch was updated", text: "This page is out of date. Reload to get the new version and rejoin." },
  replaced: { title: "Opened somewhere else", text: "You joined this room from another tab or device, so this page stepped back. Rejoin here to move back." },
  rate_limited: { title: "Too many attempts", text: "Wait a while before trying again." },
  error: { title: "Something went wrong", text: "The room could not be opened." },
};

export function EndedScreen({ code }: { code: string }) {
  const fatal = useRoomStore((s) => s.fatal) ?? "error";
  const detail = useRoomStore((s) => s.fatalDetail);
  return <Ending code={code} fatal={fatal} detail={detail} />;
}

/** Why this visit ends here, with what can be done next. */
export function Ending({ code, fatal, detail = null }: { code: string; fatal: NonNullable<RoomViewState["fatal"]>; detail?: string | null }) {
  const ending = ENDINGS[fatal];
  return (
    <Card title={ending.title}>
      <p className="text-muted" data-testid="room-ended" data-reason={fatal}>
        {detail ?? ending.text}
      </p>
      <div className="mt-6 flex flex-wrap gap-2">
        {fatal === "incompatible" && (
          <button type="button" className="btn btn-primary" onClick={() => window.location.reload()} data-testid="reload">
            Reload
          </button>
        )}
        {(fatal === "unauthorized" || fatal === "guests_not_allowed") && (
          <Link href={`/login?next=${encodeURIComponent(`/r/${code}`)}`} className="btn btn-primary">
            Sign in
          </Link>
        )}
        {fatal === "replaced" && (
          <button type="button" className="btn btn-primary" onClick={() => window.location.reload()} data-testid="rejoin-here">
            Rejoin here
          </button>
        )}
        {fatal === "room_full" && (
          <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
            Try again
          </button>
        )}
        <Link href="/" className="btn btn-glass">
          Go home
        </Link>
      </div>
    </Card>
  );
}
