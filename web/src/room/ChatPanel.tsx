import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { roomPath } from "../app/routes";
import { useSession } from "../store/session";
import { useRoomStore } from "../store/room";
import { Link } from "../ui/Link";
import { chatRows, linkify, type ChatRow } from "./chatLog";
import type { RoomSession } from "./roomSession";
import { useViewPrefs } from "./viewPrefs";
import { AutomodWarningNote, ChatMutedNote } from "./moderation/PeopleModeration";

export const CHAT_MAX_LENGTH = 2000;

function timeOf(createdAt: number | undefined): string {
  if (createdAt === undefined) return "";
  const date = new Date(createdAt);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** A person's words: text stays text (React escapes it); http(s) addresses open in a new tab. */
function MessageText({ content }: { content: string }) {
  return (
    <p className="whitespace-pre-wrap break-words">
      {linkify(content).map((segment, index) =>
        segment.kind === "link" ? (
          <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer" className="text-accent underline decoration-sky-300/40 underline-offset-2 hover:decoration-sky-300" data-testid="chat-link">
            {segment.text}
          </a>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </p>
  );
}

/** Room events that say something to act on (what the owner changed, a video that fails):
 * shown whole, on more lines if need be; the others stay one short line. */
const WHOLE_EVENTS = new Set(["settings", "media_failed"]);

function Row({ row, myUserId }: { row: ChatRow; myUserId: string | undefined }) {
  if (row.kind === "system") {
    const event = row.first.kind === "system" ? row.first.event : null;
    const whole = WHOLE_EVENTS.has(String(event?.kind));
    return (
      <li className="flex items-center gap-2 px-1 text-xs text-muted/90" data-testid="chat-system" data-count={row.count}>
        <span aria-hidden="true" className="h-px flex-1 bg-white/10" />
        <span className={whole ? "max-w-[85%] text-center text-ink/85" : "max-w-[85%] truncate"} title={row.text}>
          {row.text}
          {row.count > 1 && <span className="font-medium text-ink/80"> · {row.count} times</span>}
        </span>
        <span aria-hidden="true" className="h-px flex-1 bg-white/10" />
      </li>
    );
  }
  const m = row.message;
  const mine = m.userId === myUserId;
  return (
    <li className="text-sm leading-snug" data-testid="chat-line">
      <span className={`font-semibold ${mine ? "text-accent" : "text-violet-200"}`}>{m.username}</span>{" "}
      <span className="text-xs text-muted">{timeOf(m.createdAt)}</span>
      {m.hidden && (
        <span className="ml-1.5 text-xs text-amber-200" data-testid="chat-hidden">
          · hidden by the automatic moderator: only you see it
        </span>
      )}
      <MessageText content={m.content} />
    </li>
  );
}

/** Guests read along; the way to write is an account, and it brings them back here. */
function GuestInvitation({ code }: { code: string }) {
  const next = encodeURIComponent(roomPath(code));
  return (
    <p className="mt-3 rounded-2xl border border-white/10 bg-white/5 px-3 py-2.5 text-sm text-muted" data-testid="guest-chat-note">
      Guests can read the chat.{" "}
      <Link href={`/register?next=${next}`} className="font-semibold text-accent underline-offset-4 hover:underline" data-testid="guest-register">
        Create an account
      </Link>{" "}
      or{" "}
      <Link href={`/login?next=${next}`} className="font-semibold text-accent underline-offset-4 hover:underline" data-testid="guest-login">
        sign in
      </Link>{" "}
      to write.
    </p>
  );
}

export function ChatPanel({ session, className = "" }: { session: RoomSession; className?: string }) {
  const chat = useRoomStore((s) => s.chat);
  const you = useRoomStore((s) => s.you);
  // Guests write only where the owner lets them (the room's "guests may write" setting).
  const isGuest = useSession((s) => s.user?.guest ?? false);
  const guestsMayChat = useRoomStore((s) => s.room?.guestsMayChat === true);
  const guest = isGuest && !guestsMayChat;
  const showSystem = useViewPrefs((s) => s.showSystemLines);
  const rows = useMemo(() => chatRows(chat, showSystem), [chat, showSystem]);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);

  // The newest row, including a folded row that just counted one more: scroll to it.
  const last = rows[rows.length - 1];
  const tail = last ? `${last.key}:${last.kind === "system" ? last.count : 1}` : "";
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [tail]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const content = text.trim();
    if (!content || content.length > CHAT_MAX_LENGTH) return;
    setSending(true);
    const ok = await session.sendChat(content);
    setSending(false);
    if (ok) setText("");
  }

  return (
    <section aria-labelledby="chat-title" className={`glass flex min-h-0 flex-col p-4 ${className}`} data-testid="chat-panel">
      <div className="flex items-center justify-between gap-2">
        <h2 id="chat-title" className="text-sm font-semibold uppercase tracking-wider text-muted">
          Chat
        </h2>
        <label className="flex cursor-pointer items-center gap-2 text-xs text-muted" title="Joins, seeks, pauses and speed changes">
          <input
            type="checkbox"
            className="size-4 cursor-pointer accent-sky-300"
            checked={showSystem}
            onChange={(e) => useViewPrefs.setState({ showSystemLines: e.target.checked })}
            data-testid="chat-show-system"
          />
          Room events
        </label>
      </div>
      <ol ref={listRef} className="mt-3 min-h-0 flex-1 space-y-2.5 overflow-y-auto overscroll-contain pr-1" aria-live="polite" aria-relevant="additions" data-testid="chat-log">
        {rows.length === 0 && <li className="text-sm text-muted">No messages yet. Say hi!</li>}
        {rows.map((row) => (
          <Row key={row.key} row={row} myUserId={you?.userId} />
        ))}
      </ol>
      <ChatMutedNote />
      <AutomodWarningNote />
      {guest ? (
        <GuestInvitation code={session.code} />
      ) : (
        <form onSubmit={submit} className="mt-3 flex gap-2">
          <label htmlFor="chat-input" className="sr-only">
            Message
          </label>
          <input
            id="chat-input"
            className="field py-2.5"
            maxLength={CHAT_MAX_LENGTH}
            autoComplete="off"
            placeholder="Message"
            value={text}
            onChange={(e) => setText(e.target.value)}
            data-testid="chat-input"
          />
          <button type="submit" className="btn btn-primary" disabled={sending || !text.trim()} data-testid="chat-send">
            Send
          </button>
        </form>
      )}
    </section>
  );
}
