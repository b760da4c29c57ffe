/**
 * Moderation in the people list: the badges everyone sees (muted chat or voice,
 * a raised hand; shadow mutes for the owner's eyes only), the owner's mute
 * controls for one person, reporting someone, and the room-wide voice mute with
 * its raised hands.
 */
import { useEffect, useState, type FormEvent } from "react";
import type { MuteScope, Participant, ReportReason } from "../../api/protocol";
import { pushNotice, useRoomStore } from "../../store/room";
import type { RoomSession } from "../roomSession";
import { describeMuteEnd, MUTE_DURATIONS, REPORT_REASONS, useModerationStore } from "./moderation";

function Badge({ tone, children, testId, title }: { tone: "rose" | "amber" | "violet"; children: React.ReactNode; testId: string; title?: string }) {
  const tones = { rose: "bg-rose-300/20 text-rose-100", amber: "bg-amber-300/25 text-amber-50", violet: "bg-violet-300/20 text-violet-100" };
  return (
    <span className={`rounded-full px-2 ${tones[tone]}`} data-testid={testId} title={title}>
      {children}
    </span>
  );
}

/** What everyone sees of a person's mutes and raised hand (and the owner, of shadow mutes). */
export function ModerationBadges({ participant: p, iAmOwner }: { participant: Participant; iAmOwner: boolean }) {
  const everyVoiceMuted = useRoomStore((s) => s.room?.voiceMutedForAll === true);
  const shadowMuted = useModerationStore((s) => s.shadowMuted.includes(p.participantId));
  const ownVoiceMute = p.voiceMuted && (!everyVoiceMuted || p.voiceMutedUntil);
  return (
    <>
      {p.chatMuted && (
        <Badge tone="rose" testId="chat-muted-badge" title={`Chat muted ${describeMuteEnd(p.chatMutedUntil ?? null)}`}>
          Chat muted
        </Badge>
      )}
      {ownVoiceMute && (
        <Badge tone="rose" testId="voice-muted-badge" title={`Voice muted ${describeMuteEnd(p.voiceMutedUntil ?? null)}`}>
          Voice muted
        </Badge>
      )}
      {p.handRaised && (
        <Badge tone="amber" testId="hand-raised-badge">
          <span aria-hidden="true">✋ </span>Hand raised
        </Badge>
      )}
      {iAmOwner && shadowMuted && (
        <Badge tone="violet" testId="shadow-muted-badge" title="Their messages reach only themselves; they don't know.">
          Shadow-muted
        </Badge>
      )}
    </>
  );
}

const SCOPES: { value: MuteScope; label: string }[] = [
  { value: "chat", label: "Chat" },
  { value: "voice", label: "Voice" },
  { value: "both", label: "Both" },
];

function Item({ children, onClick, testId, danger }: { children: React.ReactNode; onClick(): void; testId: string; danger?: boolean }) {
  return (
    <button type="button" role="menuitem" className={`rounded-lg px-3 py-2 text-left hover:bg-white/10 ${danger ? "text-rose-300" : ""}`} onClick={onClick} data-testid={testId}>
      {children}
    </button>
  );
}

/** The owner's moderation items in one person's menu; `done` closes the menu. */
export function OwnerModerationItems({ session, participant: p, done }: { session: RoomSession; participant: Participant; done(): void }) {
  const [choosing, setChoosing] = useState(false);
  const [scope, setScope] = useState<MuteScope>("chat");
  const everyVoiceMuted = useRoomStore((s) => s.room?.voiceMutedForAll === true);
  const shadowMuted = useModerationStore((s) => s.shadowMuted.includes(p.participantId));
  const moderation = session.moderation;
  const id = p.participantId;
  const run = (action: () => Promise<boolean>) => () => {
    void action();
    done();
  };

  if (choosing)
    return (
      <div className="space-y-2 p-2" data-testid="mute-chooser">
        <p className="text-xs font-semibold uppercase tracking-wider text-muted">Mute {p.username}</p>
        <div className="flex gap-1" role="radiogroup" aria-label="What to mute">
          {SCOPES.map((s) => (
            <button
              key={s.value}
              type="button"
              role="radio"
              aria-checked={scope === s.value}
              className={`btn btn-glass flex-1 px-2 py-1.5 text-xs ${scope === s.value ? "border-sky-300 bg-sky-300/25" : ""}`}
              onClick={() => setScope(s.value)}
              data-testid={`mute-scope-${s.value}`}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div className="flex flex-col gap-1">
          {MUTE_DURATIONS.map((d) => (
            <button
              key={d.label}
              type="button"
              className="rounded-lg px-3 py-2 text-left hover:bg-white/10"
              onClick={run(() => moderation.mute(id, scope, d.durationMs))}
              data-testid={`mute-for-${d.durationMs ?? "session"}`}
            >
              {d.label}
            </button>
          ))}
        </div>
      </div>
    );

  const ownMute = p.chatMuted || (p.voiceMuted && (!everyVoiceMuted || p.voiceMutedUntil));
  return (
    <>
      <Item onClick={() => setChoosing(true)} testId="moderate-mute">
        Mute…
      </Item>
      {ownMute && (
        <Item onClick={run(() => moderation.unmute(id))} testId="moderate-unmute">
          Unmute
        </Item>
      )}
      {everyVoiceMuted &&
        (p.voiceMuted ? (
          <Item onClick={run(() => moderation.allowSpeaker(id, true))} testId="allow-speaker">
            {p.handRaised ? "Let them speak (hand raised)" : "Let them speak"}
          </Item>
        ) : (
          <Item onClick={run(() => moderation.allowSpeaker(id, false))} testId="disallow-speaker">
            Stop letting them speak
          </Item>
        ))}
      <Item onClick={run(() => moderation.shadowMute(id, !shadowMuted))} testId={shadowMuted ? "shadow-unmute" : "shadow-mute"}>
        {shadowMuted ? "Lift shadow mute" : "Shadow mute (only they see their messages)"}
      </Item>
    </>
  );
}

/** Report someone to the operators: a reason and, if wanted, a few words. */
export function ReportForm({ session, participant, done }: { session: RoomSession; participant: Participant; done(): void }) {
  const [reason, setReason] = useState<ReportReason>("harassment");
  const [details, setDetails] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const ok = await session.moderation.report(participant.participantId, reason, details);
    setBusy(false);
    if (ok) {
      pushNotice(`Thanks. Your report about ${participant.username} went to the moderators; they won't learn who sent it.`);
      done();
    }
  }

  return (
    <form onSubmit={submit} className="space-y-2 p-2" data-testid="report-form">
      <p className="text-xs font-semibold uppercase tracking-wider text-muted">Report {participant.username}</p>
      <label className="block text-xs text-muted">
        Why
        <select className="field mt-1 py-2" value={reason} onChange={(e) => setReason(e.target.value as ReportReason)} data-testid="report-reason">
          {REPORT_REASONS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <label className="block text-xs text-muted">
        What happened (optional)
        <textarea className="field mt-1 min-h-16 py-2" maxLength={1000} value={details} onChange={(e) => setDetails(e.target.value)} data-testid="report-details" />
      </label>
      <p className="text-xs text-muted">The moderators see the recent chat and room events with it.</p>
      <div className="flex gap-2">
        <button type="submit" className="btn btn-danger flex-1 py-2" disabled={busy} data-testid="report-send">
          {busy ? "Sending…" : "Send report"}
        </button>
        <button type="button" className="btn btn-glass py-2" onClick={done}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Above the list: the owner mutes or unmutes every voice; while every voice is
 * muted, a member who may not speak raises (or lowers) a hand.
 */
export function VoiceFloor({ session, me, iAmOwner }: { session: RoomSession; me: Participant | null; iAmOwner: boolean }) {
  const everyVoiceMuted = useRoomStore((s) => s.room?.voiceMutedForAll === true);
  if (iAmOwner)
    return (
      <button
        type="button"
        className={`btn mt-3 w-full py-2 text-sm ${everyVoiceMuted ? "btn-primary" : "btn-glass"}`}
        aria-pressed={everyVoiceMuted}
        onClick={() => void session.moderation.muteEveryVoice(!everyVoiceMuted)}
        data-testid="voice-mute-all"
      >
        {everyVoiceMuted ? "Everyone is muted: unmute all voices" : "Mute every voice"}
      </button>
    );
  if (!everyVoiceMuted || !me) return null;
  if (!me.voiceMuted)
    return (
      <p className="mt-3 rounded-xl bg-emerald-300/10 px-3 py-2 text-sm text-emerald-100" data-testid="may-speak">
        The owner muted every voice but yours: you may speak.
      </p>
    );
  return (
    <div className="mt-3 flex items-center gap-2 rounded-xl bg-white/5 px-3 py-2 text-sm" data-testid="voice-floor">
      <span className="flex-1 text-muted">The owner muted every voice.</span>
      <button type="button" className="btn btn-glass px-3 py-1.5 text-sm" aria-pressed={me.handRaised === true} onClick={() => void session.moderation.raiseHand(!me.handRaised)} data-testid="raise-hand">
        {me.handRaised ? "Lower hand" : "✋ Raise hand"}
      </button>
    </div>
  );
}

/** How long the automatic moderator's word stays under the chat. */
const WARNING_SHOWN_MS = 8_000;

/** Under the chat: what the automatic moderator did about your last line, for a few seconds. */
export function AutomodWarningNote() {
  const warning = useModerationStore((s) => s.warning);
  useEffect(() => {
    if (!warning) return;
    const timer = setTimeout(() => useModerationStore.setState({ warning: null }), WARNING_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [warning]);
  if (!warning) return null;
  return (
    <p className="mt-3 rounded-2xl border border-amber-300/30 bg-amber-300/10 px-3 py-2 text-sm text-amber-100" role="status" data-testid="automod-warning-note">
      {warning}
    </p>
  );
}

/** Under the chat: why the composer will be refused, and until when. */
export function ChatMutedNote() {
  const chat = useModerationStore((s) => s.chat);
  if (!chat) return null;
  return (
    <p className="mt-3 rounded-2xl border border-rose-300/30 bg-rose-300/10 px-3 py-2 text-sm text-rose-100" role="status" data-testid="chat-muted-note">
      {chat.by === "automod" ? "The automatic moderator" : "The owner"} muted your chat {describeMuteEnd(chat.until)}.
    </p>
  );
}
