/**
 * "Waiting for Bob…" on the picture itself while the room waits for buffering:
 * the paused picture is where everyone looks (and all they see in fullscreen),
 * and the notice under the controls can be below the fold on a laptop.
 */
import { useRoomStore } from "../store/room";
import { waitingFor } from "./together";

export function WaitingOverlay() {
  const waiting = useRoomStore((s) => s.waiting);
  const participants = useRoomStore((s) => s.participants);
  const me = useRoomStore((s) => s.you?.participantId ?? null);
  // Only while the room waits or is about to resume; being left out is said under the controls.
  if (!waiting || (!waiting.waitingFor.length && !waiting.resumesAt)) return null;
  const text = waitingFor(waiting, participants, me);
  if (!text) return null;
  return (
    <div className="pointer-events-none absolute inset-x-0 top-3 flex justify-center px-3" aria-hidden="true">
      <p className="glass-strong max-w-full truncate px-4 py-1.5 text-sm" data-testid="stage-waiting">
        {text}
      </p>
    </div>
  );
}
