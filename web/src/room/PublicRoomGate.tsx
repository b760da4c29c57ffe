/**
 * The first thing someone without a session sees of a room link: the room's
 * public facts (GET /rooms/{code} needs no sign-in) decide whether there is
 * anything to join before they type a nickname or a password. A full room, a
 * room closed by its owner or a link that leads nowhere says so at once.
 */
import { useEffect, useState } from "react";
import { ApiError } from "../api/problem";
import type { Room } from "../api/types";
import { api } from "../store/session";
import type { RoomViewState } from "../store/room";
import { AuthGate, Ending, LoadingScreen } from "./RoomGates";
import { joinRefusal } from "./roomSession";

type Verdict = { kind: "checking" } | { kind: "open"; room: Room | null } | { kind: "ended"; fatal: NonNullable<RoomViewState["fatal"]> };

/** Whether a newcomer can join `room` now (a person already in it is never "new"). */
export function hasFreeSeat(room: Pick<Room, "maxParticipants" | "participantCount">): boolean {
  return (room.participantCount ?? 0) < room.maxParticipants;
}

export function PublicRoomGate({ code }: { code: string }) {
  const [verdict, setVerdict] = useState<Verdict>({ kind: "checking" });

  useEffect(() => {
    let cancelled = false;
    api.getRoom(code).then(
      (room) => !cancelled && setVerdict(hasFreeSeat(room) ? { kind: "open", room } : { kind: "ended", fatal: "room_full" }),
      (error: unknown) => {
        if (cancelled) return;
        const refusal = error instanceof ApiError ? joinRefusal(error) : null;
        // Offline or a server hiccup: let them try; joining will tell them more.
        setVerdict(refusal ? { kind: "ended", fatal: refusal } : { kind: "open", room: null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [code]);

  if (verdict.kind === "checking") return <LoadingScreen text="Looking for the room…" />;
  if (verdict.kind === "ended") return <Ending code={code} fatal={verdict.fatal} />;
  return <AuthGate code={code} />;
}
