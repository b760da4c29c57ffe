/** Who may do what in a room, as the server enforces it (CONTRACT.md §1 playbackControl). Pure. */
import type { Participant, RoomInfo } from "../api/protocol";

export function isOwner(room: RoomInfo | null, participant: Pick<Participant, "userId" | "role"> | null): boolean {
  if (!room || !participant) return false;
  return participant.role === "owner" || participant.userId === room.ownerId;
}

export function canControlPlayback(room: RoomInfo | null, me: Participant | null): boolean {
  if (!room || !me) return false;
  if (isOwner(room, me)) return true;
  // A temporary host drives playback whatever the policy, until the grant ends.
  if (me.host === true) return true;
  if (room.playbackControl === "all") return true;
  if (room.playbackControl === "selected") return me.canControl === true;
  return false;
}
