/**
 * A friend's invitation as a toast: Accept joins the room, Dismiss keeps it in
 * the notification centre. Shown on every page, the room included.
 */
import { navigate } from "../app/navigation";
import { roomPath } from "../app/routes";
import { dismissToast, useSocial } from "../store/social";
import { startTime } from "./NotificationBell";

export function InvitationToasts() {
  const toasts = useSocial((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4 sm:inset-x-auto sm:right-4 sm:items-end" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} role="status" className="glass-strong pop pointer-events-auto w-full max-w-sm p-4" data-testid="invitation-toast">
          <p className="text-sm">
            <strong>{toast.fromUsername}</strong> invited you to <strong>{toast.roomName}</strong>
            {toast.startsAt ? ` on ${startTime(toast.startsAt)}` : ""}
          </p>
          <div className="mt-3 flex justify-end gap-2">
            <button type="button" className="btn btn-glass" onClick={() => dismissToast(toast.id)}>
              Dismiss
            </button>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="accept-invitation"
              onClick={() => {
                dismissToast(toast.id);
                navigate(roomPath(toast.roomCode));
              }}
            >
              Accept
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
