import { useRoomStore } from "../store/room";

export function ConnectionBanner() {
  const socketState = useRoomStore((s) => s.socketState);
  const attempts = useRoomStore((s) => s.reconnectAttempts);
  if (socketState !== "reconnecting" && socketState !== "connecting") return null;
  return (
    <div role="status" className="sticky top-0 z-30 border-b border-amber-200/30 bg-amber-400/20 px-4 py-2 text-center text-sm text-amber-50 backdrop-blur" data-testid="disconnected-banner">
      {socketState === "connecting" ? "Connecting…" : `Connection lost. Reconnecting${attempts > 1 ? ` (attempt ${attempts})` : ""}…`}
    </div>
  );
}
