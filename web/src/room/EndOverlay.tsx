import { useRoomStore } from "../store/room";
import { isAtEnd } from "../sync/playback";
import type { RoomSession } from "./roomSession";
import { useTicker } from "./useTicker";

/**
 * The room stands at the end of its video: everyone sees it ended, and whoever
 * controls playback may start it again for everyone ("Play next" joins it once
 * rooms have a queue).
 */
export function EndOverlay({ session, canControl }: { session: RoomSession; canControl: boolean }) {
  useTicker(500);
  const playback = useRoomStore((s) => s.playback);
  if (!isAtEnd(playback ?? null, session.engine.serverNow())) return null;
  return (
    <div className="pointer-events-none absolute inset-0 grid place-items-center bg-black/45" data-testid="video-ended">
      <div className="glass-strong pointer-events-auto flex flex-col items-center gap-3 px-6 py-4 text-center">
        <p className="text-lg font-semibold">The end</p>
        {canControl ? (
          <button type="button" className="btn btn-primary" onClick={() => void session.play()} data-testid="replay-overlay">
            Replay
          </button>
        ) : (
          <p className="text-sm text-muted">Whoever controls playback can start it again.</p>
        )}
      </div>
    </div>
  );
}
