import { useCallback, useRef, useState } from "react";
import { describeError } from "../api/problem";
import { api } from "../store/session";

import { navigate } from "../app/navigation";
import { InviteLink } from "../home/InviteLink";
import { pushNotice, useRoomStore } from "../store/room";
import { Link } from "../ui/Link";
import { Logo } from "../ui/Logo";
import { ChatPanel } from "./ChatPanel";
import { ConnectionBanner } from "./ConnectionBanner";
import { DebugOverlay } from "./DebugOverlay";
import { MediaProgressLine } from "./MediaProgressLine";
import { Notices } from "./Notices";
import { ParticipantsPanel } from "./ParticipantsPanel";
import { canControlPlayback, isOwner } from "./permissions";
import { PlayerControls, toggleFullscreen } from "./PlayerControls";
import { Prompts } from "./Prompts";
import type { RoomSession } from "./roomSession";
import { SourceForm } from "./SourceForm";
import { useRoomShortcuts } from "./useRoomShortcuts";
import { VideoStage } from "./VideoStage";
import { VoicePanel } from "./voice/VoicePanel";

export function RoomView({ session }: { session: RoomSession }) {
  const room = useRoomStore((s) => s.room);
  const you = useRoomStore((s) => s.you);
  const participants = useRoomStore((s) => s.participants);
  const me = participants.find((p) => p.participantId === you?.participantId) ?? (you ? { ...you, username: "" } : null);
  const owner = isOwner(room, me);
  const canControl = canControlPlayback(room, me);
  const stageRef = useRef<HTMLDivElement>(null);
  const fullscreen = useCallback(() => toggleFullscreen(stageRef.current), []);
  useRoomShortcuts(session, canControl, fullscreen);

  return (
    <div className="flex min-h-dvh flex-col">
      <ConnectionBanner />
      <header className="mx-auto flex w-full max-w-[96rem] flex-wrap items-center gap-3 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold" aria-label="SyncWatch home">
          <Logo className="size-7" />
        </Link>
        <h1 className="min-w-0 flex-1 truncate text-lg font-semibold" data-testid="room-title">
          {room?.name || "Watch room"} <span className="font-mono text-sm font-normal text-muted">{room?.code}</span>
        </h1>
        <details className="relative">
          <summary className="btn btn-glass cursor-pointer list-none" data-testid="invite-toggle">
            Invite
          </summary>
          <div className="glass-strong absolute right-0 z-30 mt-2 w-[min(90vw,26rem)] p-4">{room && <InviteLink code={room.code} />}</div>
        </details>
        {owner && room && <CloseRoomButton code={room.code} />}
        <button
          type="button"
          className="btn btn-glass"
          onClick={() => {
            session.leave();
            navigate("/");
          }}
          data-testid="leave-room"
        >
          Leave
        </button>
      </header>
      <main id="main" className="mx-auto grid w-full max-w-[96rem] flex-1 gap-4 px-4 pb-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-label="Player" className="min-w-0">
          <VideoStage session={session} stageRef={stageRef} />
          <PlayerControls session={session} canControl={canControl} isOwner={owner} onFullscreen={fullscreen} />
          <MediaProgressLine />
          {canControl && <SourceForm session={session} />}
          <div className="mt-3">
            <Prompts session={session} />
          </div>
        </section>
        <aside className="flex min-w-0 flex-col gap-4" aria-label="People, voice and chat">
          <ParticipantsPanel session={session} />
          <VoicePanel session={session} />
          <ChatPanel session={session} />
        </aside>
      </main>
      <DebugOverlay session={session} />
      <Notices />
    </div>
  );
}

/** The owner ends the room for everyone (DELETE /rooms/{code}); members then see "room not found". */
function CloseRoomButton({ code }: { code: string }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className="btn btn-glass" onClick={() => setConfirming(true)} data-testid="close-room">
        Close room
      </button>
    );
  return (
    <span className="flex items-center gap-2">
      <button
        type="button"
        className="btn btn-danger"
        onClick={() =>
          void api
            .deleteRoom(code)
            .then(() => navigate("/"))
            .catch((error: unknown) => pushNotice(describeError(error), "error"))
        }
        data-testid="close-room-confirm"
      >
        Close for everyone
      </button>
      <button type="button" className="btn btn-glass" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  );
}
