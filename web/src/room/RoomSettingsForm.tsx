/**
 * The owner's room settings, changed live: name, seats, password, who drives
 * playback, auto-handover and whether guests may write. Only what changed is
 * sent (`room:settings`); everyone sees the result and a line in the chat.
 */
import { useState, type FormEvent } from "react";
import type { ClientRequests, RoomInfo } from "../api/protocol";
import { useRoomStore } from "../store/room";
import type { RoomSession } from "./roomSession";

const POLICIES: { value: RoomInfo["playbackControl"]; label: string }[] = [
  { value: "owner_only", label: "Only me" },
  { value: "all", label: "Everyone" },
  { value: "selected", label: "People I choose" },
];

/** What the form sends: the fields whose value differs from the room's. */
export function settingsChanges(
  room: Pick<RoomInfo, "name" | "maxParticipants" | "playbackControl" | "autoHandover" | "guestsMayChat">,
  form: { name: string; maxParticipants: number; playbackControl: RoomInfo["playbackControl"]; autoHandover: boolean; guestsMayChat: boolean; password: string; removePassword: boolean },
): ClientRequests["room:settings"] {
  const changes: ClientRequests["room:settings"] = {};
  const name = form.name.trim();
  if (name && name !== room.name) changes.name = name;
  if (form.maxParticipants !== room.maxParticipants) changes.maxParticipants = form.maxParticipants;
  if (form.playbackControl !== room.playbackControl) changes.playbackControl = form.playbackControl;
  if (form.autoHandover !== (room.autoHandover ?? true)) changes.autoHandover = form.autoHandover;
  if (form.guestsMayChat !== (room.guestsMayChat ?? false)) changes.guestsMayChat = form.guestsMayChat;
  if (form.removePassword) changes.removePassword = true;
  else if (form.password) changes.password = form.password;
  return changes;
}

export function RoomSettingsForm({ session, onDone }: { session: RoomSession; onDone(): void }) {
  const room = useRoomStore((s) => s.room);
  const present = useRoomStore((s) => s.participants.length);
  const [name, setName] = useState(room?.name ?? "");
  const [maxParticipants, setMaxParticipants] = useState(room?.maxParticipants ?? 5);
  const [playbackControl, setPlaybackControl] = useState<RoomInfo["playbackControl"]>(room?.playbackControl ?? "owner_only");
  const [autoHandover, setAutoHandover] = useState(room?.autoHandover ?? true);
  const [guestsMayChat, setGuestsMayChat] = useState(room?.guestsMayChat ?? false);
  const [password, setPassword] = useState("");
  const [removePassword, setRemovePassword] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!room) return null;
  const changes = settingsChanges(room, { name, maxParticipants, playbackControl, autoHandover, guestsMayChat, password, removePassword });
  const nothingToSave = Object.keys(changes).length === 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (nothingToSave) return;
    setBusy(true);
    const ok = await session.changeSettings(changes);
    setBusy(false);
    if (ok) {
      setPassword("");
      setRemovePassword(false);
      onDone();
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="room-settings" noValidate>
      <div>
        <label htmlFor="room-name" className="label">
          Name
        </label>
        <input id="room-name" className="field py-2" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} data-testid="settings-name" />
      </div>
      <div className="grid grid-cols-2 gap-2">
        <div>
          <label htmlFor="room-seats" className="label">
            Seats
          </label>
          <select id="room-seats" className="field py-2" value={maxParticipants} onChange={(e) => setMaxParticipants(Number(e.target.value))} data-testid="settings-seats">
            {[2, 3, 4, 5].map((n) => (
              <option key={n} value={n} disabled={n < present}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="room-control" className="label">
            Playback by
          </label>
          <select
            id="room-control"
            className="field py-2"
            value={playbackControl}
            onChange={(e) => setPlaybackControl(e.target.value as RoomInfo["playbackControl"])}
            data-testid="settings-control"
          >
            {POLICIES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div>
        <label htmlFor="room-password" className="label">
          {room.hasPassword ? "New password" : "Password"}
        </label>
        <input
          id="room-password"
          className="field py-2"
          type="password"
          autoComplete="new-password"
          maxLength={128}
          placeholder={room.hasPassword ? "Leave empty to keep it" : "None: anyone with the link"}
          value={password}
          disabled={removePassword}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="settings-password"
        />
        {room.hasPassword && (
          <label className="mt-1.5 flex items-center gap-2 text-sm text-muted">
            <input type="checkbox" className="size-4 accent-sky-300" checked={removePassword} onChange={(e) => setRemovePassword(e.target.checked)} data-testid="settings-remove-password" />
            Remove the password
          </label>
        )}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 accent-sky-300" checked={autoHandover} onChange={(e) => setAutoHandover(e.target.checked)} data-testid="settings-handover" />
        Hand over ownership when I'm away
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 accent-sky-300" checked={guestsMayChat} onChange={(e) => setGuestsMayChat(e.target.checked)} data-testid="settings-guest-chat" />
        Guests may write in the chat
      </label>
      <button type="submit" className="btn btn-primary w-full" disabled={busy || nothingToSave} data-testid="settings-save">
        {busy ? "Saving…" : "Save for everyone"}
      </button>
    </form>
  );
}
