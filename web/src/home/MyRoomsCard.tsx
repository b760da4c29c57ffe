/**
 * "My rooms" on the home page: the rooms you own and the ones you joined lately,
 * with how many people are in each right now (refreshed while the page is open).
 * Opening one takes you back in through its link.
 */
import { useEffect, useState } from "react";
import type { MyRoom, MyRooms } from "../api/types";
import { roomPath } from "../app/routes";
import { api, useSession } from "../store/session";
import { Link } from "../ui/Link";

/** Counts are live: ask again this often while the page is visible. */
export const MY_ROOMS_REFRESH_MS = 15_000;

function RoomRow({ room }: { room: MyRoom }) {
  const here = room.participantCount;
  return (
    <li>
      <Link
        href={roomPath(room.code)}
        className="flex items-center gap-3 rounded-2xl border border-white/10 bg-white/5 px-3 py-2.5 transition hover:bg-white/10 focus-visible:bg-white/10"
        data-testid="my-room"
        data-code={room.code}
      >
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium">{room.name}</span>
          <span className="block font-mono text-xs text-muted">
            {room.code}
            {room.hasPassword ? " · password" : ""}
          </span>
        </span>
        <span className={`shrink-0 rounded-full px-2.5 py-0.5 text-xs ${here > 0 ? "bg-emerald-400/15 text-emerald-200" : "bg-white/5 text-muted"}`} data-testid="my-room-count">
          {here > 0 ? `${here} watching` : "empty"} · {room.maxParticipants} seats
        </span>
      </Link>
    </li>
  );
}

export function MyRoomsCard() {
  const signedIn = useSession((s) => s.status === "authenticated");
  const [rooms, setRooms] = useState<MyRooms | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    let stopped = false;
    const load = () => {
      if (document.visibilityState === "hidden") return;
      api
        .myRooms()
        .then((found) => !stopped && setRooms(found))
        .catch(() => {
          // The list is a convenience: the rest of the page works without it.
        });
    };
    load();
    const timer = setInterval(load, MY_ROOMS_REFRESH_MS);
    document.addEventListener("visibilitychange", load);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", load);
    };
  }, [signedIn]);

  if (!signedIn || !rooms || (rooms.owned.length === 0 && rooms.recent.length === 0)) return null;
  return (
    <section aria-labelledby="my-rooms-title" className="glass rise mb-6 p-6 sm:p-8" data-testid="my-rooms">
      <h2 id="my-rooms-title" className="text-xl font-semibold">
        My rooms
      </h2>
      <div className="mt-4 grid gap-6 md:grid-cols-2">
        {rooms.owned.length > 0 && (
          <div>
            <h3 className="label">Yours</h3>
            <ul className="space-y-2" data-testid="my-rooms-owned">
              {rooms.owned.map((room) => (
                <RoomRow key={room.code} room={room} />
              ))}
            </ul>
          </div>
        )}
        {rooms.recent.length > 0 && (
          <div>
            <h3 className="label">Joined lately</h3>
            <ul className="space-y-2" data-testid="my-rooms-recent">
              {rooms.recent.map((room) => (
                <RoomRow key={room.code} room={room} />
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
