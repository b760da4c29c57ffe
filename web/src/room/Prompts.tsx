import { useRoomStore } from "../store/room";
import type { RoomSession } from "./roomSession";

/** Owner away, automatic handover, and the offer to take the room back. */
export function Prompts({ session }: { session: RoomSession }) {
  const { ownerAway, handover, ownershipOffered, participants, you, room } = useRoomStore();
  const nameOf = (userId: string) => participants.find((p) => p.userId === userId)?.username ?? "Someone";
  const iAmOwner = room?.ownerId === you?.userId;
  return (
    <div className="mt-3 space-y-2 empty:hidden" aria-live="polite">
      {ownerAway && !iAmOwner && (
        <div className="glass-strong px-4 py-3 text-sm" data-testid="owner-away">
          The owner seems to be away. If they don't come back soon, control passes to the next person.
        </div>
      )}
      {handover && (
        <div className="glass-strong flex items-center gap-3 px-4 py-3 text-sm" data-testid="handover">
          <span className="flex-1">
            {handover.newOwnerId === you?.userId ? "The owner was away, so you're now in charge of this room." : `${nameOf(handover.newOwnerId)} is now the room owner.`}
          </span>
          <button type="button" className="btn btn-glass min-h-9 py-1" onClick={() => useRoomStore.setState({ handover: null })}>
            OK
          </button>
        </div>
      )}
      {ownershipOffered && (
        <div className="glass-strong flex flex-wrap items-center gap-3 px-4 py-3 text-sm" data-testid="offer-ownership">
          <span className="flex-1">Welcome back! Someone looked after your room while you were away. Take it back?</span>
          <button type="button" className="btn btn-primary min-h-9 py-1" onClick={() => void session.reclaimOwnership()} data-testid="reclaim-ownership">
            Take it back
          </button>
          <button type="button" className="btn btn-glass min-h-9 py-1" onClick={() => useRoomStore.setState({ ownershipOffered: false })}>
            Leave it
          </button>
        </div>
      )}
    </div>
  );
}
