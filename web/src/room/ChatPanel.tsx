import { useEffect, useRef, useState, type FormEvent } from "react";
import { isSystemMessage } from "../api/protocol";
import { useSession } from "../store/session";
import { useRoomStore } from "../store/room";
import { chatKey, describeSystemEvent } from "./chatLog";
import type { RoomSession } from "./roomSession";

export const CHAT_MAX_LENGTH = 2000;

function timeOf(createdAt: string | number | undefined): string {
  if (createdAt === undefined) return "";
  const date = new Date(createdAt);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function ChatPanel({ session }: { session: RoomSession }) {
  const chat = useRoomStore((s) => s.chat);
  const you = useRoomStore((s) => s.you);
  const guest = useSession((s) => s.user?.guest ?? false);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.length]);

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
    <section aria-labelledby="chat-title" className="glass flex min-h-80 flex-col p-4 lg:min-h-0 lg:flex-1">
      <h2 id="chat-title" className="text-sm font-semibold uppercase tracking-wider text-muted">
        Chat
      </h2>
      <ol ref={listRef} className="mt-3 max-h-96 flex-1 space-y-2 overflow-y-auto pr-1 lg:max-h-none" aria-live="polite" aria-relevant="additions" data-testid="chat-log">
        {chat.length === 0 && <li className="text-sm text-muted">No messages yet. Say hi!</li>}
        {chat.map((m) =>
          isSystemMessage(m) ? (
            <li key={chatKey(m)} className="text-center text-xs text-muted" data-testid="chat-system">
              {describeSystemEvent(m.event)}
            </li>
          ) : (
            <li key={chatKey(m)} className="text-sm" data-testid="chat-line">
              <span className={`font-semibold ${m.userId === you?.userId ? "text-accent" : "text-violet-200"}`}>{m.username}</span>{" "}
              <span className="text-xs text-muted">{timeOf(m.createdAt)}</span>
              <p className="whitespace-pre-wrap break-words">{m.content}</p>
            </li>
          ),
        )}
      </ol>
      {guest ? (
        <p className="mt-3 text-sm text-muted">Guests can read the chat. Create an account to write.</p>
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
          <button type="submit" className="btn btn-glass" disabled={sending || !text.trim()} data-testid="chat-send">
            Send
          </button>
        </form>
      )}
    </section>
  );
}
