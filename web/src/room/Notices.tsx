import { useRoomStore } from "../store/room";

export function Notices() {
  const notices = useRoomStore((s) => s.notices);
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-4 z-40 flex flex-col items-center gap-2 px-4" aria-live="polite">
      {notices.map((n) => (
        <p key={n.id} role={n.tone === "error" ? "alert" : "status"} className={`glass-strong rise px-4 py-2 text-sm ${n.tone === "error" ? "text-rose-100" : ""}`} data-testid="notice">
          {n.text}
        </p>
      ))}
    </div>
  );
}
