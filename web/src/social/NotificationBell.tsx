/**
 * The notification centre in the header: a bell with the unread count (kept on
 * the server, so it survives a reload), and a panel listing friend requests,
 * invitations and reminders. Opening it marks everything read.
 */
import { useEffect, useRef } from "react";
import { navigate } from "../app/navigation";
import { roomPath } from "../app/routes";
import type { Notification } from "../api/social";
import { Popover } from "../ui/Popover";
import { markAllRead, refreshNotifications, useSocial } from "../store/social";

function describe(n: Notification): string {
  switch (n.kind) {
    case "friend_request":
      return `${n.fromUsername} wants to be friends`;
    case "friend_accepted":
      return `${n.fromUsername} accepted your friend request`;
    case "room_invitation":
      return `${n.fromUsername} invited you to ${n.roomName}${n.startsAt ? ` on ${startTime(n.startsAt)}` : ""}`;
    case "reminder":
      return n.startsAt && n.startsAt - n.createdAt > 60_000 ? `${n.roomName} starts in 10 minutes` : `${n.roomName} is starting now`;
  }
}

export function startTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
}

function ago(ms: number): string {
  const minutes = Math.round((Date.now() - ms) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `${hours} h ago` : new Date(ms).toLocaleDateString();
}

export function NotificationBell() {
  const unread = useSocial((s) => s.unread);
  const notifications = useSocial((s) => s.notifications);
  return (
    <Popover
      testId="notifications"
      ariaLabel={unread ? `Notifications, ${unread} unread` : "Notifications"}
      buttonClassName="btn-icon relative"
      label={
        <>
          <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          {unread > 0 && (
            <span className="absolute -right-1 -top-1 min-w-5 rounded-full bg-rose-400 px-1.5 text-xs font-bold leading-5 text-slate-950" data-testid="unread-count">
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </>
      }
    >
      {(close) => (
        <NotificationPanel
          notifications={notifications}
          onOpen={() => {
            void refreshNotifications().then(() => (useSocial.getState().unread ? markAllRead() : undefined));
          }}
          close={close}
        />
      )}
    </Popover>
  );
}

function NotificationPanel({ notifications, onOpen, close }: { notifications: Notification[]; onOpen: () => void; close: () => void }) {
  // Opening the panel is reading it.
  useOnce(onOpen);
  return (
    <div className="p-4">
      <h2 className="font-semibold">Notifications</h2>
      {notifications.length === 0 && <p className="mt-2 text-sm text-muted">Nothing yet.</p>}
      <ul className="mt-2 max-h-[60vh] space-y-1 overflow-y-auto" data-testid="notification-list">
        {notifications.map((n) => {
          const room = n.roomCode;
          return (
            <li key={n.id} className={`rounded-xl px-3 py-2 ${n.read ? "" : "bg-white/10"}`}>
              <p className="text-sm">{describe(n)}</p>
              <div className="mt-1 flex items-center justify-between gap-2">
                <span className="text-xs text-muted">{ago(n.createdAt)}</span>
                {room && (n.kind === "room_invitation" || n.kind === "reminder") && (
                  <button
                    type="button"
                    className="text-sm font-semibold text-accent hover:underline"
                    onClick={() => {
                      close();
                      navigate(roomPath(room));
                    }}
                  >
                    Open room
                  </button>
                )}
                {n.kind === "friend_request" && (
                  <button
                    type="button"
                    className="text-sm font-semibold text-accent hover:underline"
                    onClick={() => {
                      close();
                      navigate("/friends");
                    }}
                  >
                    See request
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function useOnce(effect: () => void): void {
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    effect();
  }, [effect]);
}
