/**
 * The friends screen: your status, find people by username, requests both
 * ways, friends with what they are watching (and a Join button when the
 * room's privacy allows), and the people you blocked.
 */
import { useEffect, useState, type FormEvent } from "react";
import { navigate } from "../app/navigation";
import { Link } from "../ui/Link";
import { roomPath } from "../app/routes";
import { describeError as failure } from "../api/problem";
import type { FriendEntry, UserFound } from "../api/social";
import { chooseStatus, refreshFriends, social, useSocial } from "../store/social";
import { useSession } from "../store/session";
import { activityLine, canJoin, CHOSEN_LABEL, sortFriends, STATUS_LABEL, type ChosenStatus, type SeenStatus } from "./presence";

const DOT: Record<SeenStatus, string> = {
  online: "bg-emerald-400",
  away: "bg-amber-300",
  busy: "bg-rose-400",
  offline: "bg-slate-500",
};

export function StatusDot({ status }: { status: SeenStatus }) {
  return <span aria-hidden className={`inline-block size-2.5 shrink-0 rounded-full ${DOT[status]}`} />;
}

export function FriendsPage() {
  const { status, user } = useSession();
  const signedIn = status === "authenticated" && user && !user.guest;
  useEffect(() => {
    if (signedIn) void refreshFriends();
  }, [signedIn]);

  if (status === "loading") return <p className="p-8 text-center text-muted">Loading…</p>;
  if (!signedIn) {
    return (
      <main id="main" className="mx-auto w-full max-w-3xl px-4 py-10 sm:px-6">
        <section className="glass p-6 sm:p-8">
          <h1 className="text-2xl font-semibold">Friends</h1>
          <p className="mt-2 text-muted">Sign up or sign in to keep friends, see who is watching, and invite them to your rooms.</p>
          <div className="mt-5 flex gap-3">
            <Link className="btn btn-primary" href="/register?next=/friends">Sign up</Link>
            <Link className="btn btn-glass" href="/login?next=/friends">Sign in</Link>
          </div>
        </section>
      </main>
    );
  }
  return (
    <main id="main" className="mx-auto grid w-full max-w-5xl gap-6 px-4 pb-16 pt-4 sm:px-6 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-6">
        <FriendList />
        <Requests />
      </div>
      <div className="space-y-6">
        <StatusChooser />
        <section className="glass p-5">
          <h2 className="font-semibold">Your evenings</h2>
          <p className="mt-1 text-sm text-muted">What you watched, scheduled rooms and room templates.</p>
          <Link className="btn btn-glass mt-3" href="/history" data-testid="nav-history">
            History and schedule
          </Link>
        </section>
        <FindPeople />
        <Blocked />
      </div>
    </main>
  );
}

function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      await refreshFriends();
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, run };
}

function StatusChooser() {
  const chosen = useSocial((s) => s.status);
  const connection = useSocial((s) => s.connection);
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="status-title" className="glass p-5">
      <h2 id="status-title" className="font-semibold">Your status</h2>
      <p className="mt-1 text-sm text-muted">Invisible: you appear offline to everyone, and nobody sees what you watch.</p>
      <div role="radiogroup" aria-labelledby="status-title" className="mt-3 flex flex-wrap gap-2">
        {(Object.keys(CHOSEN_LABEL) as ChosenStatus[]).map((option) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={chosen === option}
            disabled={connection !== "open"}
            className={`btn ${chosen === option ? "btn-primary" : "btn-glass"}`}
            data-testid={`status-${option}`}
            onClick={() => {
              setError(null);
              chooseStatus(option).catch(() => setError("Could not change your status; try again."));
            }}
          >
            {CHOSEN_LABEL[option]}
          </button>
        ))}
      </div>
      {error && <p className="field-error">{error}</p>}
    </section>
  );
}

function FindPeople() {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<UserFound[] | null>(null);
  const { error, busy, run } = useAction();
  const [searchError, setSearchError] = useState<string | null>(null);

  async function search(event: FormEvent) {
    event.preventDefault();
    if (!query.trim()) return;
    setSearchError(null);
    try {
      setFound(await social.search(query.trim()));
    } catch (e) {
      setSearchError(failure(e));
    }
  }

  async function add(person: UserFound) {
    await run(async () => {
      await social.request(person.username);
      setFound((list) => list?.map((p) => (p.userId === person.userId ? { ...p, relation: "outgoing" } : p)) ?? null);
    });
  }

  return (
    <section aria-labelledby="find-title" className="glass p-5">
      <h2 id="find-title" className="font-semibold">Find people</h2>
      <form onSubmit={search} className="mt-3 flex gap-2" role="search">
        <label className="sr-only" htmlFor="find-username">Username</label>
        <input
          id="find-username"
          className="field"
          placeholder="Username"
          autoComplete="off"
          spellCheck={false}
          value={query}
          maxLength={64}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="find-input"
        />
        <button type="submit" className="btn btn-glass" data-testid="find-submit">Search</button>
      </form>
      {(searchError || error) && <p className="field-error" role="alert">{searchError ?? error}</p>}
      {found && (
        <ul className="mt-3 space-y-2" data-testid="find-results">
          {found.length === 0 && <li className="text-sm text-muted">Nobody by that name.</li>}
          {found.map((person) => (
            <li key={person.userId} className="flex items-center justify-between gap-2">
              <span className="truncate font-medium">{person.username}</span>
              {person.relation === "none" ? (
                <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void add(person)} data-testid={`add-${person.username}`}>
                  Add friend
                </button>
              ) : (
                <span className="text-sm text-muted">
                  {{ friend: "Friend", incoming: "Asked you", outgoing: "Request sent", blocked: "Blocked" }[person.relation]}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FriendList() {
  const friends = useSocial((s) => s.friends);
  const lists = useSocial((s) => s.lists);
  const { error, busy, run } = useAction();
  const sorted = sortFriends(Object.values(friends));
  return (
    <section aria-labelledby="friends-title" className="glass p-5 sm:p-6">
      <h1 id="friends-title" className="text-2xl font-semibold">Friends</h1>
      {error && <p className="field-error" role="alert">{error}</p>}
      {lists && sorted.length === 0 && <p className="mt-3 text-muted">No friends yet: find someone by their username.</p>}
      <ul className="mt-4 divide-y divide-white/10" data-testid="friend-list">
        {sorted.map((friend) => {
          const seen = (friend.status ?? "offline") as SeenStatus;
          const line = activityLine(friend.activity);
          return (
            <li key={friend.userId} className="flex flex-wrap items-center gap-x-3 gap-y-2 py-3" data-testid={`friend-${friend.username}`}>
              <StatusDot status={seen} />
              <div className="min-w-0 flex-1 basis-40">
                <p className="truncate font-medium">{friend.username}</p>
                <p className="truncate text-sm text-muted" data-testid="friend-presence">
                  {STATUS_LABEL[seen]}
                  {line ? ` · ${line}` : ""}
                </p>
              </div>
              <div className="flex w-full flex-wrap justify-end gap-2 sm:w-auto">
                {friend.activity && canJoin(friend.activity, null) && (
                  <button type="button" className="btn btn-primary" onClick={() => navigate(roomPath(friend.activity!.roomCode))} data-testid="join-friend">
                    Join
                  </button>
                )}
                <button type="button" className="btn btn-glass" disabled={busy} onClick={() => void run(() => social.remove(friend.userId))}>
                  Remove
                </button>
                <button type="button" className="btn btn-glass" disabled={busy} onClick={() => void run(() => social.block(friend.userId))}>
                  Block
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function PersonRow({ person, children }: { person: FriendEntry; children: React.ReactNode }) {
  return (
    <li className="flex items-center justify-between gap-2 py-2" data-testid={`person-${person.username}`}>
      <span className="truncate font-medium">{person.username}</span>
      <div className="flex gap-2">{children}</div>
    </li>
  );
}

function Requests() {
  const lists = useSocial((s) => s.lists);
  const { error, busy, run } = useAction();
  if (!lists || (lists.incoming.length === 0 && lists.outgoing.length === 0)) return null;
  return (
    <section aria-labelledby="requests-title" className="glass p-5 sm:p-6">
      <h2 id="requests-title" className="text-lg font-semibold">Requests</h2>
      {error && <p className="field-error" role="alert">{error}</p>}
      {lists.incoming.length > 0 && (
        <ul className="mt-2" data-testid="incoming">
          {lists.incoming.map((person) => (
            <PersonRow key={person.userId} person={person}>
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run(() => social.accept(person.userId))} data-testid="accept-request">
                Accept
              </button>
              <button type="button" className="btn btn-glass" disabled={busy} onClick={() => void run(() => social.remove(person.userId))} data-testid="decline-request">
                Decline
              </button>
            </PersonRow>
          ))}
        </ul>
      )}
      {lists.outgoing.length > 0 && (
        <>
          <h3 className="mt-4 text-sm font-medium text-muted">Sent</h3>
          <ul data-testid="outgoing">
            {lists.outgoing.map((person) => (
              <PersonRow key={person.userId} person={person}>
                <button type="button" className="btn btn-glass" disabled={busy} onClick={() => void run(() => social.remove(person.userId))} data-testid="cancel-request">
                  Cancel
                </button>
              </PersonRow>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Blocked() {
  const lists = useSocial((s) => s.lists);
  const { error, busy, run } = useAction();
  if (!lists?.blocked?.length) return null;
  return (
    <section aria-labelledby="blocked-title" className="glass p-5">
      <h2 id="blocked-title" className="font-semibold">Blocked</h2>
      {error && <p className="field-error" role="alert">{error}</p>}
      <ul className="mt-2">
        {lists.blocked.map((person) => (
          <PersonRow key={person.userId} person={person}>
            <button type="button" className="btn btn-glass" disabled={busy} onClick={() => void run(() => social.unblock(person.userId))}>
              Unblock
            </button>
          </PersonRow>
        ))}
      </ul>
    </section>
  );
}
