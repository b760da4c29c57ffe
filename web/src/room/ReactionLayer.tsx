/**
 * Reactions over the video: what floats now, and the replays of the room's
 * earlier reactions as playback passes their moment (when this viewer keeps
 * replays on).
 */
import { useEffect, useRef } from "react";
import { useRoomStore } from "../store/room";
import { floatReaction } from "./floatReaction";
import { QUICK_REACTIONS, reactionsToReplay, timelineMarks } from "./reactions";
import type { RoomSession } from "./roomSession";
import { useViewPrefs } from "./viewPrefs";

const REPLAY_POLL_MS = 250;

export function ReactionLayer({ session }: { session: RoomSession }) {
  const floating = useRoomStore((s) => s.floating);
  const replay = useViewPrefs((s) => s.replayReactions);
  const previous = useRef<number | null>(null);

  useEffect(() => {
    previous.current = null;
    if (!replay) return;
    const timer = setInterval(() => {
      const { reactions, playback } = useRoomStore.getState();
      const current = playback?.isPlaying ? session.engine.expectedMs() : null;
      for (const reaction of reactionsToReplay(reactions, previous.current, current, session.engine.serverNow())) floatReaction(reaction, true);
      previous.current = current;
    }, REPLAY_POLL_MS);
    return () => clearInterval(timer);
  }, [replay, session]);

  return (
    <div className="pointer-events-none absolute inset-0 overflow-hidden" aria-hidden="true" data-testid="reaction-layer">
      {floating.map((f) => (
        <span
          key={f.key}
          className={`float-up absolute bottom-[8%] flex flex-col items-center ${f.replay ? "opacity-70" : ""}`}
          style={{ left: `${f.leftPercent}%` }}
          data-testid={f.replay ? "reaction-replayed" : "reaction-floating"}
          data-emoji={f.emoji}
        >
          <span className="text-4xl drop-shadow-[0_2px_8px_rgba(0,0,0,0.6)] @md:text-5xl">{f.emoji}</span>
          <span className="mt-0.5 rounded-full bg-black/50 px-1.5 text-[0.65rem] text-white/90">{f.username}</span>
        </span>
      ))}
    </div>
  );
}

/** The quick reactions, and this viewer's switch for replays. */
export function ReactionBar({ session }: { session: RoomSession }) {
  const hasSource = useRoomStore((s) => Boolean(s.playback?.sourceType));
  const replay = useViewPrefs((s) => s.replayReactions);
  if (!hasSource) return null;
  return (
    <div className="mt-2 flex flex-wrap items-center gap-1" role="group" aria-label="Reactions" data-testid="reaction-bar">
      {QUICK_REACTIONS.map((emoji) => (
        <button key={emoji} type="button" className="btn-icon size-10 text-xl" aria-label={`React ${emoji}`} onClick={() => void session.sendReaction(emoji)} data-testid={`react-${emoji}`}>
          {emoji}
        </button>
      ))}
      <label className="ml-auto flex items-center gap-2 text-xs text-muted">
        <input type="checkbox" className="accent-sky-300" checked={replay} onChange={(e) => useViewPrefs.setState({ replayReactions: e.target.checked })} data-testid="replay-reactions" />
        Replay reactions
      </label>
    </div>
  );
}

/** Where the room reacted, as marks along the seek bar. */
export function ReactionTimeline({ durationMs }: { durationMs: number | null }) {
  const reactions = useRoomStore((s) => s.reactions);
  const marks = timelineMarks(reactions, durationMs);
  if (!marks.length) return null;
  return (
    <div className="relative mx-[3.25rem] h-5 sm:mx-[4.25rem]" aria-label={`${reactions.length} reactions along the video`} role="img" data-testid="reaction-timeline">
      {marks.map((mark) => (
        <span key={mark.leftPercent} className="absolute top-0 -translate-x-1/2 text-sm leading-5" style={{ left: `${mark.leftPercent}%` }} title={`${mark.count} × ${mark.emoji}`} data-testid="reaction-mark">
          {mark.emoji}
        </span>
      ))}
    </div>
  );
}
