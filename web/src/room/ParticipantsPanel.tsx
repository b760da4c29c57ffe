import { useEffect, useRef, useState } from "react";
import type { Participant } from "../api/protocol";
import { useRoomStore } from "../store/room";
import { canControlPlayback, isOwner } from "./permissions";
import type { RoomSession } from "./roomSession";
import { useViewPrefs } from "./viewPrefs";
import { ModerationBadges, OwnerModerationItems, ReportForm, VoiceFloor } from "./moderation/PeopleModeration";
import { PeerListening, QualityDot, speakingRing, useParticipantVoice } from "./voice/ParticipantVoice";

/** One person's menu: the owner's controls, or for anyone else, reporting them. */
function PersonActions({ session, participant, policy, iAmOwner }: { session: RoomSession; participant: Participant; policy: string; iAmOwner: boolean }) {
  const [open, setOpenState] = useState(false);
  const [confirmBan, setConfirmBan] = useState(false);
  const [reporting, setReporting] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const id = participant.participantId;
  const setOpen = (next: boolean) => {
    setOpenState(next);
    if (!next) setReporting(false);
  };

  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) {
        setOpenState(false);
        setConfirmBan(false);
        setReporting(false);
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
      {open && reporting && (
        <div className="glass-strong absolute right-0 z-20 mt-2 w-64 p-1.5 text-sm" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          <ReportForm session={session} participant={participant} done={() => setOpen(false)} />
        </div>
      )}
      {open && !reporting && !iAmOwner && (
        <div role="menu" className="glass-strong absolute right-0 z-20 mt-2 flex w-52 flex-col p-1.5 text-sm" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          <MenuItem danger onClick={() => setReporting(true)} testId="report">
            Report…
          </MenuItem>
        </div>
      )}
      {open && !reporting && iAmOwner && (
        <div role="menu" className="glass-strong absolute right-0 z-20 mt-2 flex w-60 flex-col p-1.5 text-sm" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
          <OwnerModerationItems session={session} participant={participant} done={() => setOpen(false)} />
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
          {participant.host ? (
            <MenuItem onClick={() => (void session.endHost(id), setOpen(false))} testId="end-host">
              End temporary host
            </MenuItem>
          ) : (
            <>
              <MenuItem onClick={() => (void session.grantHost(id, 30 * 60_000), setOpen(false))} testId="grant-host-30">
                Host for 30 minutes
              </MenuItem>
              <MenuItem onClick={() => (void session.grantHost(id), setOpen(false))} testId="grant-host">
                Host until I take it back
              </MenuItem>
            </>
          )}
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

/** Up to four initials, overlapping: who is here at a glance while the list is folded. */
function Faces({ participants }: { participants: Participant[] }) {
  return (
    <span className="flex -space-x-2" aria-hidden="true">
      {participants.slice(0, 4).map((p) => (
        <span key={p.participantId} className="grid size-6 place-items-center rounded-full border border-slate-900/80 bg-gradient-to-br from-sky-300/60 to-violet-300/60 text-[0.65rem] font-bold uppercase text-slate-950">
          {p.username.slice(0, 1)}
        </span>
      ))}
    </span>
  );
}

/**
 * Who is in the room. `collapsible` (beside the chat on wide screens) folds it to
 * a row of faces, remembered per browser; in the phone's People tab it is always open.
 */
export function ParticipantsPanel({ session, collapsible = false, className = "" }: { session: RoomSession; collapsible?: boolean; className?: string }) {
  const { participants, room, you } = useRoomStore();
  const peopleOpen = useViewPrefs((s) => s.peopleOpen);
  const open = !collapsible || peopleOpen;
  const me = participants.find((p) => p.participantId === you?.participantId) ?? null;
  const iAmOwner = isOwner(room, me ?? (you ? { userId: you.userId, role: you.role } : null));
  const count = (
    <span className="font-mono text-xs normal-case" data-testid="people-count">
      {participants.length}/{room?.maxParticipants ?? "–"}
    </span>
  );
  return (
    <section aria-labelledby="people-title" className={`glass shrink-0 p-4 ${className}`} data-testid="people-panel">
      {collapsible ? (
        <h2 id="people-title" className="text-sm font-semibold uppercase tracking-wider text-muted">
          <button
            type="button"
            className="-m-1 flex w-[calc(100%+0.5rem)] items-center gap-2 rounded-xl p-1 text-left uppercase hover:bg-white/5"
            aria-expanded={open}
            aria-controls="people-list"
            onClick={() => useViewPrefs.setState({ peopleOpen: !peopleOpen })}
            data-testid="people-toggle"
          >
            <span className="flex-1">People</span>
            {!open && <Faces participants={participants} />}
            {count}
            <span aria-hidden="true" className={`text-xs transition-transform ${open ? "rotate-180" : ""}`}>
              ▾
            </span>
          </button>
        </h2>
      ) : (
        <h2 id="people-title" className="flex items-center justify-between text-sm font-semibold uppercase tracking-wider text-muted">
          People
          {count}
        </h2>
      )}
      {open && <VoiceFloor session={session} me={me} iAmOwner={iAmOwner} />}
      {open && (
        <ul id="people-list" className="mt-3 space-y-1" data-testid="participants">
          {participants.map((p) => (
            <ParticipantRow key={p.participantId} session={session} participant={p} mine={p.participantId === you?.participantId} iAmOwner={iAmOwner} />
          ))}
        </ul>
      )}
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
          {p.host && (
            <span className="rounded-full bg-violet-300/20 px-2 text-violet-100" data-testid="host-badge" title={p.hostUntil ? `Until ${new Date(p.hostUntil).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : "Until the owner takes it back"}>
              Host{p.hostUntil ? ` · until ${new Date(p.hostUntil).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : ""}
            </span>
          )}
          {!owner && !p.host && control && room?.playbackControl !== "all" && <span className="rounded-full bg-sky-300/20 px-2 text-sky-100">Can control</span>}
          {p.guest && <span>Guest</span>}
          {p.away && <span data-testid="away-badge">Away</span>}
          {(voice.inCall || p.inVoice) && <span className="rounded-full bg-emerald-300/15 px-2 text-emerald-100" data-testid="in-voice-badge">Voice</span>}
          <ModerationBadges participant={p} iAmOwner={iAmOwner} />
        </span>
        {voice.peer && <PeerListening voice={session.voice} peer={voice.peer} name={p.username} />}
      </span>
      {!mine && room && <PersonActions session={session} participant={p} policy={room.playbackControl} iAmOwner={iAmOwner} />}
    </li>
  );
}
