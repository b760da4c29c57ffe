/**
 * "Your evenings": scheduled rooms coming up, what you watched in the last 90
 * days (what, when, with whom; clearable), and your room templates.
 */
import { useEffect, useState } from "react";
import { navigate } from "../app/navigation";
import { roomPath } from "../app/routes";
import { eveningsApi, type HistoryEntry, type Schedule, type Template } from "../api/evenings";
import { describeError } from "../api/problem";
import { api, useSession } from "../store/session";
import { Link } from "../ui/Link";

const evenings = eveningsApi(api);

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function HistoryPage() {
  const { status, user } = useSession();
  const signedIn = status === "authenticated" && user && !user.guest;
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [upcoming, setUpcoming] = useState<Schedule[] | null>(null);
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    evenings.history().then(setEntries, (e) => setError(describeError(e)));
    evenings.upcoming().then(setUpcoming, (e) => setError(describeError(e)));
    evenings.templates().then(setTemplates, (e) => setError(describeError(e)));
  }, [signedIn]);

  if (status === "loading") return <p className="p-8 text-center text-muted">Loading…</p>;
  if (!signedIn) {
    return (
      <main id="main" className="mx-auto w-full max-w-3xl px-4 py-10 sm:px-6">
        <section className="glass p-6">
          <h1 className="text-2xl font-semibold">Your evenings</h1>
          <p className="mt-2 text-muted">Sign in to see what you watched, your scheduled rooms and templates.</p>
          <Link className="btn btn-primary mt-4" href="/login?next=/history">Sign in</Link>
        </section>
      </main>
    );
  }

  async function startFromTemplate(template: Template) {
    try {
      const room = await evenings.roomFromTemplate(template.id);
      navigate(roomPath(room.code));
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <main id="main" className="mx-auto grid w-full max-w-5xl gap-6 px-4 pb-16 pt-4 sm:px-6 lg:grid-cols-[1fr_20rem]">
      <section aria-labelledby="history-title" className="glass p-5 sm:p-6">
        <div className="flex items-center justify-between gap-3">
          <h1 id="history-title" className="text-2xl font-semibold">Watch history</h1>
          {entries && entries.length > 0 && (
            <button
              type="button"
              className="btn btn-glass"
              data-testid="clear-history"
              onClick={() => void evenings.clearHistory().then(() => setEntries([]), (e) => setError(describeError(e)))}
            >
              Clear
            </button>
          )}
        </div>
        {error && <p className="field-error" role="alert">{error}</p>}
        {entries && entries.length === 0 && <p className="mt-3 text-muted">Nothing yet. What you watch in rooms shows up here for 90 days.</p>}
        <ul className="mt-3 divide-y divide-white/10" data-testid="history-list">
          {entries?.map((entry) => (
            <li key={entry.id} className="py-3">
              <p className="truncate font-medium">{entry.title}</p>
              <p className="text-sm text-muted">
                {when(entry.startedAt)} in {entry.roomName}
                {entry.companions.length > 0 ? ` with ${entry.companions.join(", ")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <div className="space-y-6">
        <section aria-labelledby="upcoming-title" className="glass p-5">
          <h2 id="upcoming-title" className="font-semibold">Coming up</h2>
          {upcoming && upcoming.length === 0 && <p className="mt-1 text-sm text-muted">No scheduled rooms. Schedule one when you create a room.</p>}
          <ul className="mt-2 space-y-2" data-testid="upcoming-list">
            {upcoming?.map((s) => (
              <li key={s.roomCode} className="flex items-center justify-between gap-2">
                <div className="min-w-0">
                  <p className="truncate font-medium">{s.roomName}</p>
                  <p className="text-sm text-muted">{when(s.startsAt)}</p>
                </div>
                <Link className="btn btn-glass" href={roomPath(s.roomCode)}>Open</Link>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="templates-title" className="glass p-5">
          <h2 id="templates-title" className="font-semibold">Room templates</h2>
          {templates && templates.length === 0 && <p className="mt-1 text-sm text-muted">Save a room's settings from its menu (⋯) to reuse them.</p>}
          <ul className="mt-2 space-y-2" data-testid="template-list">
            {templates?.map((t) => (
              <li key={t.id} className="flex items-center justify-between gap-2">
                <div className="min-w-0">
                  <p className="truncate font-medium">{t.name}</p>
                  <p className="text-sm text-muted">
                    {t.settings.maxParticipants} seats · {t.settings.privacy.replace("_", " ")}
                  </p>
                </div>
                <div className="flex gap-2">
                  <button type="button" className="btn btn-primary" onClick={() => void startFromTemplate(t)} data-testid={`use-template-${t.name}`}>
                    New room
                  </button>
                  <button
                    type="button"
                    className="btn btn-glass"
                    aria-label={`Delete template ${t.name}`}
                    onClick={() => void evenings.deleteTemplate(t.id).then(() => setTemplates((all) => all?.filter((x) => x.id !== t.id) ?? null))}
                  >
                    ✕
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </main>
  );
}
