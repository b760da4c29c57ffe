import { useEffect, useRef, useState } from "react";
import type { Participant } from "../api/protocol";
import { useRoomStore } from "../store/room";
import { canControlPlayback, isOwner } from "./permissions";
import type { RoomSession } from "./roomSession";
import { PeerListening, QualityDot, speakingRing, useParticipantVoice } from "./voice/ParticipantVoice";

function OwnerActions({ session, participant, policy }: { session: RoomSession; participant: Participant; policy: string }) {
  const [open, setOpen] = useState(false);
  const [confirmBan, setConfirmBan] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const id = participant.participantId;

  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) {
        setOpen(false);
        setConfirmBan(false);
      }
    };
    document.addEventListener("pointerdown", close);
    return () => document.removeEventListener("pointerdown", close);
  }, [open]);

  return (
    <div className="relative" ref={box}>
      <button
        type="button"
        className="btn-icon size-9 text-base"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Actions for ${participant.username}`}
        onClick={() => setOpen(!open)}
        data-testid={`participant-actions-${id}`}
      >
        ⋯
      </button>
      {open && (
        <div role="menu" className="glass-strong absolute right-0 z-20 mt-2 flex w-52 flex-col p-1.5 text-sm" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          {policy === "selected" &&
            (participant.canControl ? (
              <MenuItem onClick={() => (void session.revokeControl(id), setOpen(false))} testId="revoke-control">
                Take back playback control
              </MenuItem>
            ) : (
              <MenuItem onClick={() => (void session.grantControl(id), setOpen(false))} testId="grant-control">
                Give playback control
              </MenuItem>
            ))}
          {!participant.guest && (
            <MenuItem onClick={() => (void session.transferOwnership(id), setOpen(false))} testId="transfer-ownership">
              Make owner
            </MenuItem>
          )}
          <MenuItem onClick={() => (void session.kick(id), setOpen(false))} testId="kick">
            Remove from room
          </MenuItem>
          {confirmBan ? (
            <MenuItem danger onClick={() => (void session.ban(id), setOpen(false))} testId="ban-confirm">
              Confirm: ban {participant.username}
            </MenuItem>
          ) : (
            <MenuItem danger onClick={() => setConfirmBan(true)} testId="ban">
              Ban…
            </MenuItem>
          )}
        </div>
      )}
    </div>
  );
}

function MenuItem({ children, onClick, danger, testId }: { children: React.ReactNode; onClick(): void; danger?: boolean; testId: string }) {
  return (
    <button type="button" role="menuitem" className={`rounded-lg px-3 py-2 text-left hover:bg-white/10 ${danger ? "text-rose-300" : ""}`} onClick={onClick} data-testid={testId}>
      {children}
    </button>
  );
}

export function ParticipantsPanel({ session }: { session: RoomSession }) {
  const { participants, room, you } = useRoomStore();
  const me = participants.find((p) => p.participantId === you?.participantId) ?? null;
  const iAmOwner = isOwner(room, me ?? (you ? { userId: you.userId, role: you.role } : null));
  return (
    <section aria-labelledby="people-title" className="glass p-4">
      <h2 id="people-title" className="flex items-center justify-between text-sm font-semibold uppercase tracking-wider text-muted">
        People
        <span className="font-mono normal-case">
          {participants.length}/{room?.maxParticipants ?? "–"}
        </span>
      </h2>
      <ul className="mt-3 space-y-1.5" data-testid="participants">
        {participants.map((p) => (
          <ParticipantRow key={p.participantId} session={session} participant={p} mine={p.participantId === you?.participantId} iAmOwner={iAmOwner} />
        ))}
      </ul>
    </section>
  );
}

function ParticipantRow({ session, participant: p, mine, iAmOwner }: { session: RoomSession; participant: Participant; mine: boolean; iAmOwner: boolean }) {
  const room = useRoomStore((s) => s.room);
  const voice = useParticipantVoice(p.participantId, mine);
  const owner = isOwner(room, p);
  const control = canControlPlayback(room, p);
  return (
    <li className={`flex items-center gap-3 rounded-xl px-2 py-1.5 ${p.away ? "opacity-60" : ""}`} data-testid="participant" data-participant-id={p.participantId}>
      <span
        aria-hidden="true"
        className={`grid size-9 shrink-0 place-items-center rounded-full bg-gradient-to-br from-sky-300/40 to-violet-300/40 font-semibold uppercase transition-shadow duration-150 motion-reduce:transition-none ${speakingRing(voice.speaking)}`}
        data-testid="voice-speaking"
        data-speaking={voice.speaking}
      >
        {p.username.slice(0, 1)}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex items-center gap-2">
          <span className="truncate font-medium">
            {p.username}
            {mine && <span className="text-muted"> (you)</span>}
          </span>
          {voice.peer && <QualityDot peer={voice.peer} name={p.username} />}
          {voice.inCall && <span className="sr-only">{voice.speaking ? ", speaking" : ", in voice"}</span>}
        </span>
        <span className="flex flex-wrap gap-1.5 text-xs text-muted">
          {owner && <span className="rounded-full bg-amber-300/20 px-2 text-amber-100" data-testid="owner-badge">Owner</span>}
          {!owner && control && room?.playbackControl !== "all" && <span className="rounded-full bg-sky-300/20 px-2 text-sky-100">Can control</span>}
          {p.guest && <span>Guest</span>}
          {p.away && <span data-testid="away-badge">Away</span>}
          {voice.inCall && <span className="rounded-full bg-emerald-300/15 px-2 text-emerald-100">Voice</span>}
        </span>
        {voice.peer && <PeerListening voice={session.voice} peer={voice.peer} name={p.username} />}
      </span>
      {iAmOwner && !mine && room && <OwnerActions session={session} participant={p} policy={room.playbackControl} />}
    </li>
  );
}
