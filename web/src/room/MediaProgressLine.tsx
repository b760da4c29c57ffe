import { useRoomStore } from "../store/room";

/** "holiday.mp4 — preparing 42 %": an upload for this room being transcoded, seen by everyone. */
export function MediaProgressLine() {
  const progress = useRoomStore((s) => s.mediaProgress);
  if (!progress) return null;
  const percent = Math.max(0, Math.min(100, Math.round(progress.progress)));
  return (
    <div className="glass mt-3 flex items-center gap-3 px-4 py-2 text-sm" role="status" aria-live="polite" data-testid="media-progress">
      <span className="truncate">{progress.filename}</span>
      <span className="text-muted">{progress.playable ? "playable, still preparing" : "preparing"}</span>
      <progress className="h-2 flex-1" max={100} value={percent} aria-label="Processing progress" />
      <span className="w-10 text-right font-mono text-xs">{percent}%</span>
    </div>
  );
}
