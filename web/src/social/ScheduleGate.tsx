/**
 * Before a scheduled room opens, its link shows a countdown instead of the room;
 * at the start time the room opens by itself. The owner may open it early.
 */
import { useEffect, useState, type ReactNode } from "react";
import { eveningsApi, type Schedule } from "../api/evenings";
import { api, useSession } from "../store/session";
import { countdownText } from "./countdown";

const evenings = eveningsApi(api);

export function ScheduleGate({ code, children }: { code: string; children: ReactNode }) {
  const [schedule, setSchedule] = useState<Schedule | null | undefined>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const user = useSession((s) => s.user);

  useEffect(() => {
    let current = true;
    evenings.scheduleOf(code).then(
      (found) => current && setSchedule(found),
      () => current && setSchedule(null),
    );
    return () => {
      current = false;
    };
  }, [code]);

  const waiting = schedule ? schedule.startsAt > now : false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [waiting]);

  if (schedule === undefined) return <p className="p-8 text-center text-muted">Opening the room…</p>;
  if (!schedule || !waiting) return <>{children}</>;
  const starts = new Date(schedule.startsAt);
  return (
    <main id="main" className="mx-auto flex min-h-dvh w-full max-w-xl flex-col justify-center px-4 py-10">
      <section className="glass rise p-6 text-center sm:p-10" data-testid="schedule-countdown">
        <p className="text-sm font-semibold uppercase tracking-[0.2em] text-accent">Scheduled</p>
        <h1 className="mt-3 text-3xl font-bold tracking-tight">{schedule.roomName}</h1>
        <p className="mt-2 text-muted">
          Opens {starts.toLocaleDateString(undefined, { weekday: "long", month: "long", day: "numeric" })} at{" "}
          {starts.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}
        </p>
        <p className="mt-6 font-mono text-5xl font-semibold tabular-nums sm:text-6xl" aria-live="off" data-testid="countdown-left">
          {countdownText(schedule.startsAt - now)}
        </p>
        <p className="mt-6 text-sm text-muted">Keep this page open: the room opens by itself. You'll get a reminder 10 minutes before.</p>
        {user && user.id === schedule.ownerId && (
          <button
            type="button"
            className="btn btn-glass mt-6"
            data-testid="open-now"
            onClick={() => void evenings.unschedule(code).then(() => setSchedule(null))}
          >
            Open now
          </button>
        )}
      </section>
    </main>
  );
}
