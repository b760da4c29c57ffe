import { Link } from "../ui/Link";
import { useSession } from "../store/session";
import { DataCard } from "./DataCard";
import { PasswordCard } from "./PasswordCard";
import { SessionsCard } from "./SessionsCard";

/** The signed-in person's own account: password, where they are signed in, their data. */
export function AccountPage() {
  const { status, user } = useSession();
  if (status === "loading") return <p className="p-8 text-center text-muted">Loading your account…</p>;
  if (status !== "authenticated" || !user || user.guest) {
    return (
      <main id="main" className="mx-auto w-full max-w-md px-4 py-10">
        <div className="glass rise p-6">
          <h1 className="text-2xl font-bold tracking-tight">Your account</h1>
          <p className="mt-2 text-muted" data-testid="account-needs-sign-in">
            {user?.guest ? "Guests have no account to manage." : "Sign in to manage your account."}
          </p>
          <div className="mt-5 flex gap-2">
            <Link href="/login?next=/account" className="btn btn-glass">
              Sign in
            </Link>
            <Link href="/register?next=/account" className="btn btn-primary">
              Sign up
            </Link>
          </div>
        </div>
      </main>
    );
  }
  return (
    <main id="main" className="mx-auto w-full max-w-3xl px-4 pb-16 sm:px-6">
      <section className="rise py-6 sm:py-10">
        <h1 className="text-3xl font-bold tracking-tight">Your account</h1>
        <p className="mt-1 text-muted">
          Signed in as <strong className="text-ink">{user.username}</strong>
          {user.email ? <> ({user.email})</> : null}
        </p>
      </section>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
        <PasswordCard />
        <SessionsCard />
        <DataCard username={user.username} />
      </div>
    </main>
  );
}
