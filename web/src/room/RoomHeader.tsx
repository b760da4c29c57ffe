/**
 * The room's top bar: where you are (name, code), inviting people, the owner's
 * room menu and leaving. The owner's menu is the home of room settings: the live
 * settings form and closing the room.
 */
import { useState } from "react";
import { describeError } from "../api/problem";
import { navigate } from "../app/navigation";
import { InviteLink } from "../home/InviteLink";
import { InviteFriends } from "../social/InviteFriends";
import { SaveAsTemplate } from "../social/SaveAsTemplate";
import { pushNotice, useRoomStore } from "../store/room";
import { api } from "../store/session";
import { Link } from "../ui/Link";
import { Logo } from "../ui/Logo";
import { Popover } from "../ui/Popover";
import { AutomodSettingsForm, RoomAccessSettings } from "./moderation/AccessSettings";
import type { RoomSession } from "./roomSession";
import { RoomSettingsForm } from "./RoomSettingsForm";
import { TogetherSettings } from "./TogetherPrompts";

const LockIcon = () => (
  <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </svg>
);

const MenuIcon = () => (
  <svg width="18" height="18" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
    <circle cx="5" cy="12" r="2" />
    <circle cx="12" cy="12" r="2" />
    <circle cx="19" cy="12" r="2" />
  </svg>
);

/** The owner ends the room for everyone (DELETE /rooms/{code}). */
function CloseRoom({ code, onCancel }: { code: string; onCancel(): void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className="btn btn-glass w-full justify-start" onClick={() => setConfirming(true)} data-testid="close-room">
        Close the room…
      </button>
    );
  return (
    <div className="space-y-2">
      <p className="text-sm text-muted">Everyone leaves and the link stops working.</p>
      <div className="flex gap-2">
        <button
          type="button"
          className="btn btn-danger flex-1"
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
        <button type="button" className="btn btn-glass" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function RoomHeader({ session, isOwner }: { session: RoomSession; isOwner: boolean }) {
  const room = useRoomStore((s) => s.room);
  return (
    <header className="flex w-full items-center gap-2 px-3 py-2.5 sm:gap-3 sm:px-4">
      <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold" aria-label="SyncWatch home">
        <Logo className="size-7" />
      </Link>
      <h1 className="flex min-w-0 flex-1 items-baseline gap-2" data-testid="room-title">
        <span className="truncate text-base font-semibold sm:text-lg">{room?.name || "Watch room"}</span>
        <span className="hidden shrink-0 items-center gap-1 rounded-full border border-white/15 bg-white/5 px-2 py-0.5 font-mono text-xs font-normal text-muted sm:inline-flex">
          {room?.hasPassword && <LockIcon />}
          {room?.code}
        </span>
      </h1>
      <Popover label="Invite" buttonClassName="btn btn-glass px-3 sm:px-4" testId="invite-toggle">
        {() =>
          room ? (
            <>
              <InviteLink code={room.code} />
              <InviteFriends code={room.code} />
            </>
          ) : null
        }
      </Popover>
      {isOwner && room && (
        <Popover label={<MenuIcon />} ariaLabel="Room settings" buttonClassName="btn-icon" panelClassName="max-h-[calc(100dvh-5rem)] w-[min(90vw,20rem)] overflow-y-auto" testId="room-menu">
          {(close) => (
            <div className="space-y-3">
              <h2 className="text-sm font-semibold uppercase tracking-wider text-muted">Room</h2>
              <RoomSettingsForm session={session} onDone={close} />
              <TogetherSettings session={session} />
              <SaveAsTemplate code={room.code} roomName={room.name} />
              <RoomAccessSettings session={session} />
              <AutomodSettingsForm session={session} />
              <CloseRoom code={room.code} onCancel={close} />
            </div>
          )}
        </Popover>
      )}
      <button
        type="button"
        className="btn btn-glass px-3 sm:px-4"
        onClick={() => {
          session.leave();
          navigate("/");
        }}
        data-testid="leave-room"
      >
        Leave
      </button>
    </header>
  );
}
