import { logout, useSession } from "../store/session";
import { navigate } from "../app/navigation";
import { Link } from "./Link";
import { Logo } from "./Logo";
import { AccountIcon, FriendsIcon } from "./icons";
import { NotificationBell } from "../social/NotificationBell";

export function Header() {
  const { status, user } = useSession();
  return (
    <header className="mx-auto flex w-full max-w-6xl items-center justify-between gap-4 px-4 py-4 sm:px-6">
      <Link href="/" className="flex items-center gap-2.5 text-lg font-semibold tracking-tight">
        <Logo />
        {/* On a phone the logo alone: the account's buttons need the width. */}
        <span className="max-sm:sr-only">SyncWatch</span>
      </Link>
      <nav aria-label="Account" className="flex items-center gap-1.5 sm:gap-2">
        {status === "authenticated" && user ? (
          <>
            {!user.guest && (
              <>
                <Link href="/friends" className="btn btn-glass max-sm:size-11 max-sm:px-0" data-testid="nav-friends" aria-label="Friends">
                  <span className="sm:hidden">
                    <FriendsIcon />
                  </span>
                  <span className="max-sm:hidden">Friends</span>
                </Link>
                <NotificationBell />
              </>
            )}
            {user.guest ? (
              <span className="hidden text-sm text-muted sm:inline" data-testid="signed-in-as">
                Guest <strong className="text-ink">{user.username}</strong>
              </span>
            ) : (
              <Link href="/account" className="btn btn-glass max-sm:size-11 max-sm:px-0 sm:max-w-[11rem]" data-testid="nav-account" aria-label={`Your account (${user.username})`}>
                {/* A phone has room for an icon only: the header must fit 390 px. */}
                <span className="sm:hidden">
                  <AccountIcon />
                </span>
                <span className="truncate max-sm:hidden" data-testid="signed-in-as">
                  {user.username}
                </span>
              </Link>
            )}
            <button
              type="button"
              className="btn btn-glass"
              onClick={() => void logout().then(() => navigate("/"))}
              data-testid="logout"
            >
              Sign out
            </button>
          </>
        ) : status === "anonymous" ? (
          <>
            <Link href="/login" className="btn btn-glass" data-testid="nav-login">
              Sign in
            </Link>
            <Link href="/register" className="btn btn-primary" data-testid="nav-register">
              Sign up
            </Link>
          </>
        ) : null}
      </nav>
    </header>
  );
}
