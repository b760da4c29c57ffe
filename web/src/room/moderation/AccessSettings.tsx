/**
 * Who may join (the privacy preset and guests) and the automatic moderator's
 * rules: a picker the room creation form shares, and the owner's live controls
 * in the room menu. A change applies at once and everyone sees it; people
 * already in the room stay.
 */
import { useId } from "react";
import type { AutomodSettings, Privacy } from "../../api/protocol";
import { useRoomStore } from "../../store/room";
import type { RoomSession } from "../roomSession";
import { PRIVACY_PRESETS } from "./moderation";

/** The four presets as radio cards, and whether guests may come in. */
export function PrivacyPicker({
  privacy,
  guestsAllowed,
  onChange,
  disabled = false,
}: {
  privacy: Privacy;
  guestsAllowed: boolean;
  onChange(change: { privacy?: Privacy; guestsAllowed?: boolean }): void;
  disabled?: boolean;
}) {
  const name = useId();
  // Friends-only and private rooms never admit guests (they have no friends and no invitations).
  const guestsPossible = privacy === "public" || privacy === "anonymous";
  return (
    <fieldset disabled={disabled} data-testid="privacy-picker">
      <legend className="label">Who can join</legend>
      <div className="grid gap-1.5" role="radiogroup">
        {PRIVACY_PRESETS.map((preset) => (
          <label key={preset.value} className="block cursor-pointer">
            <input
              type="radio"
              name={name}
              value={preset.value}
              checked={privacy === preset.value}
              onChange={() => onChange({ privacy: preset.value })}
              className="peer sr-only"
              data-testid={`privacy-${preset.value}`}
            />
            <span className="block h-full rounded-xl border border-white/15 bg-white/5 px-3 py-2 text-sm peer-checked:border-sky-300 peer-checked:bg-sky-300/20 peer-focus-visible:outline-3 peer-focus-visible:outline-sky-300">
              <span className="block font-medium">{preset.label}</span>
              <span className="block text-xs text-muted">{preset.hint}</span>
            </span>
          </label>
        ))}
      </div>
      <label className={`mt-2 flex items-center gap-2 text-sm ${guestsPossible ? "cursor-pointer" : "text-muted"}`}>
        <input
          type="checkbox"
          className="size-4 accent-sky-300"
          checked={guestsPossible && guestsAllowed}
          disabled={!guestsPossible}
          onChange={(e) => onChange({ guestsAllowed: e.target.checked })}
          data-testid="guests-allowed"
        />
        {guestsPossible ? "Guests without an account may join" : "Only signed-in people can join this room"}
      </label>
    </fieldset>
  );
}

/** The owner's live preset picker (room menu). */
export function RoomAccessSettings({ session }: { session: RoomSession }) {
  const room = useRoomStore((s) => s.room);
  if (!room) return null;
  return (
    <PrivacyPicker
      privacy={room.privacy ?? "public"}
      guestsAllowed={room.guestsAllowed ?? true}
      onChange={(change) => void session.moderation.setAccess(change)}
    />
  );
}

const RULES: { key: "repeats" | "links" | "flood" | "blocklist"; label: string; limit?: "repeatLimit" | "linkLimit" | "floodLimit"; range?: [number, number]; unit?: string }[] = [
  { key: "repeats", label: "Repeated messages", limit: "repeatLimit", range: [2, 10], unit: "copies" },
  { key: "links", label: "Link spam", limit: "linkLimit", range: [1, 20], unit: "links a minute" },
  { key: "flood", label: "Rapid messages", limit: "floodLimit", range: [3, 30], unit: "in 10 s" },
  { key: "blocklist", label: "Blocked words" },
];

const DEFAULT_AUTOMOD: AutomodSettings = { enabled: true, repeats: true, links: true, flood: true, blocklist: true, repeatLimit: 3, linkLimit: 3, floodLimit: 10 };

/** The automatic moderator: on by default; warn, then hide, then mute for 5 minutes. */
export function AutomodSettingsForm({ session }: { session: RoomSession }) {
  const automod = useRoomStore((s) => s.room?.automod) ?? DEFAULT_AUTOMOD;
  const change = (patch: Partial<AutomodSettings>) => void session.moderation.setAutomod(patch);
  return (
    <fieldset className="space-y-1.5 text-sm" data-testid="automod-settings">
      <legend className="label">Automatic moderator</legend>
      <label className="flex cursor-pointer items-center gap-2">
        <input type="checkbox" className="size-4 accent-sky-300" checked={automod.enabled} onChange={(e) => change({ enabled: e.target.checked })} data-testid="automod-enabled" />
        On: warns, then hides, then mutes for 5 minutes
      </label>
      {automod.enabled &&
        RULES.map((rule) => (
          <div key={rule.key} className="flex items-center gap-2 pl-6">
            <label className="flex flex-1 cursor-pointer items-center gap-2">
              <input type="checkbox" className="size-4 accent-sky-300" checked={automod[rule.key]} onChange={(e) => change({ [rule.key]: e.target.checked })} data-testid={`automod-${rule.key}`} />
              {rule.label}
            </label>
            {rule.limit && rule.range && automod[rule.key] && (
              <label className="flex items-center gap-1 text-xs text-muted">
                <input
                  type="number"
                  className="field w-14 px-2 py-1 text-xs"
                  min={rule.range[0]}
                  max={rule.range[1]}
                  defaultValue={automod[rule.limit]}
                  key={automod[rule.limit]}
                  onBlur={(e) => {
                    const value = Number(e.target.value);
                    const limit = rule.limit!;
                    if (Number.isInteger(value) && value >= rule.range![0] && value <= rule.range![1] && value !== automod[limit]) change({ [limit]: value });
                  }}
                  aria-label={`${rule.label}: limit (${rule.unit})`}
                  data-testid={`automod-${rule.limit}`}
                />
                {rule.unit}
              </label>
            )}
          </div>
        ))}
    </fieldset>
  );
}
