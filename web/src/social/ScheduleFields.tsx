/**
 * "Start later" in the create-room form: a date and time, and which friends to
 * invite. The form schedules the room right after creating it (`scheduleNewRoom`).
 */
import { eveningsApi } from "../api/evenings";
import { api } from "../store/session";
import { useSocial } from "../store/social";
import { fromLocalInput, toLocalInput } from "./countdown";
import { sortFriends } from "./presence";

export interface ScheduleChoice {
  later: boolean;
  /** `datetime-local` value. */
  at: string;
  invite: string[];
}

export function initialSchedule(now = Date.now()): ScheduleChoice {
  // The next full hour at least 30 minutes away.
  const next = new Date(now + 30 * 60_000);
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return { later: false, at: toLocalInput(next.getTime()), invite: [] };
}

/** Returns a message when the choice can't be scheduled, or null. */
export function scheduleProblem(choice: ScheduleChoice, now = Date.now()): string | null {
  if (!choice.later) return null;
  const at = fromLocalInput(choice.at);
  if (at === null) return "Pick a date and time.";
  if (at < now + 60_000) return "Pick a time at least a minute from now.";
  if (at > now + 30 * 24 * 3600_000) return "Pick a time within 30 days.";
  return null;
}

export async function scheduleNewRoom(code: string, choice: ScheduleChoice): Promise<void> {
  const at = fromLocalInput(choice.at);
  if (!choice.later || at === null) return;
  await eveningsApi(api).schedule(code, at, choice.invite);
}

export function ScheduleFields({ value, onChange, error }: { value: ScheduleChoice; onChange(next: ScheduleChoice): void; error?: string | null }) {
  const friends = sortFriends(Object.values(useSocial((s) => s.friends)));
  return (
    <fieldset className="space-y-3">
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={value.later} onChange={(e) => onChange({ ...value, later: e.target.checked })} className="size-4 accent-sky-300" data-testid="start-later" />
        Start later
      </label>
      {value.later && (
        <>
          <div>
            <label htmlFor="starts-at" className="label">Opens at</label>
            <input
              id="starts-at"
              type="datetime-local"
              className="field"
              value={value.at}
              aria-invalid={Boolean(error)}
              onChange={(e) => onChange({ ...value, at: e.target.value })}
              data-testid="starts-at"
            />
            {error && <p className="field-error">{error}</p>}
          </div>
          {friends.length > 0 && (
            <div>
              <p className="label">Invite friends (they get reminders 10 minutes before and at the start)</p>
              <div className="flex flex-wrap gap-2">
                {friends.map((friend) => {
                  const chosen = value.invite.includes(friend.userId);
                  return (
                    <label key={friend.userId} className={`btn ${chosen ? "btn-primary" : "btn-glass"} cursor-pointer`}>
                      <input
                        type="checkbox"
                        className="sr-only"
                        checked={chosen}
                        data-testid={`schedule-invite-${friend.username}`}
                        onChange={() =>
                          onChange({ ...value, invite: chosen ? value.invite.filter((id) => id !== friend.userId) : [...value.invite, friend.userId] })
                        }
                      />
                      {friend.username}
                    </label>
                  );
                })}
              </div>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
