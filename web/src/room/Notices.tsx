import { useRoomStore } from "../store/room";

/**
 * Short notices ("the video is ready", errors) over the page. Below the wide
 * layout the chat's composer is at the bottom of the screen, so they show at the
 * top there, under the header (its title and Leave button stay readable): a
 * notice must never cover what someone is typing.
 */
export function Notices() {
  const notices = useRoomStore((s) => s.notices);
  return (
    <div className="pointer-events-none fixed inset-x-0 top-16 z-40 flex flex-col items-center gap-2 px-4 lg:bottom-4 lg:top-auto" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <p key={n.id} role={n.tone === "error" ? "alert" : "status"} className={`glass-strong rise px-4 py-2 text-sm ${n.tone === "error" ? "text-rose-100" : ""}`} data-testid="notice">
          {n.text}
        </p>
      ))}
    </div>
  );
}
