import { useRoomStore } from "../store/room";

/** What the page knows of its connection: offline (the browser says so at once), or reconnecting. */
export function ConnectionBanner() {
  const socketState = useRoomStore((s) => s.socketState);
  const attempts = useRoomStore((s) => s.reconnectAttempts);
  const offline = useRoomStore((s) => s.browserOffline);
  if (!offline && socketState !== "reconnecting" && socketState !== "connecting") return null;
  const text = offline
    ? "You're offline. The video keeps playing here; you'll be back in the room as soon as the network returns."
    : socketState === "connecting"
      ? "Connecting…"
      : `Connection lost. Reconnecting${attempts > 1 ? ` (attempt ${attempts})` : ""}…`;
  return (
    <div role="status" className="sticky top-0 z-30 border-b border-amber-200/30 bg-amber-400/20 px-4 py-2 text-center text-sm text-amber-50 backdrop-blur" data-testid="disconnected-banner" data-offline={offline || undefined}>
      {text}
    </div>
  );
}
