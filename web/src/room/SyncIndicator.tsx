import { useRoomStore } from "../store/room";
import { syncLevel } from "../sync/playback";
import type { RoomSession } from "./roomSession";
import { useTicker } from "./useTicker";

const LOOK = {
  synced: { dot: "bg-ok", label: "In sync" },
  drifting: { dot: "bg-warn", label: "Slightly off" },
  desynced: { dot: "bg-bad", label: "Out of sync" },
} as const;

/** Spec 15.1.1: green < 150 ms, yellow < 500 ms, red beyond, with a Resync button. */
export function SyncIndicator({ session }: { session: RoomSession }) {
  useTicker(500);
  const playing = useRoomStore((s) => s.playback?.isPlaying ?? false);
  const drift = session.engine.driftMs;
  if (drift === null) return null;
  const level = syncLevel(drift);
  const look = LOOK[level];
  return (
    <div className="flex items-center gap-2" data-testid="sync-indicator" data-level={level}>
      <span className="flex items-center gap-2 rounded-full border border-white/15 bg-black/30 px-2.5 py-1.5 text-xs font-medium sm:px-3" title={`${look.label}: drift ${Math.round(drift)} ms`}>
        <span className={`size-2.5 rounded-full ${look.dot}`} aria-hidden="true" />
        {/* On a phone the dot alone says it; the words stay for screen readers. */}
        <span className="sr-only sm:not-sr-only">{look.label}</span>
        {playing && <span className="hidden font-mono text-muted 2xl:inline">{Math.round(drift) > 0 ? "+" : ""}{Math.round(drift)} ms</span>}
      </span>
      {level === "desynced" && (
        <button type="button" className="btn btn-glass min-h-9 px-3 py-1 text-xs" onClick={() => session.resync()} data-testid="resync">
          Resync
        </button>
      )}
    </div>
  );
}
