/**
 * Under the invite link in a room: your friends, online first, each with an
 * Invite button. The friend gets a toast with Accept (or, when offline, an
 * entry in their notification centre), and may join even a private room.
 */
import { useState } from "react";
import { inviteFriend, useSocial } from "../store/social";
import { sortFriends, STATUS_LABEL, type SeenStatus } from "./presence";
import { StatusDot } from "./FriendsPage";

export function InviteFriends({ code }: { code: string }) {
  const friends = useSocial((s) => s.friends);
  const connection = useSocial((s) => s.connection);
  const [sent, setSent] = useState<Record<string, "sending" | "sent" | "failed">>({});
  const list = sortFriends(Object.values(friends)).filter((f) => f.activity?.roomCode !== code);
  if (connection === "idle" || connection === "closed") return null;
  return (
    <div className="border-t border-white/10 px-4 pb-4 pt-3" data-testid="invite-friends">
      <h3 className="text-sm font-semibold">Invite friends</h3>
      {list.length === 0 && <p className="mt-1 text-sm text-muted">Friends you add appear here.</p>}
      <ul className="mt-2 max-h-60 space-y-1 overflow-y-auto">
        {list.map((friend) => {
          const seen = (friend.status ?? "offline") as SeenStatus;
          const state = sent[friend.userId];
          return (
            <li key={friend.userId} className="flex items-center gap-2">
              <StatusDot status={seen} />
              <span className="min-w-0 flex-1 truncate text-sm">
                {friend.username} <span className="text-muted">· {STATUS_LABEL[seen]}</span>
              </span>
              <button
                type="button"
                className="btn btn-glass min-h-9 px-3 py-1"
                disabled={state === "sending" || state === "sent"}
                data-testid={`invite-${friend.username}`}
                onClick={() => {
                  setSent((s) => ({ ...s, [friend.userId]: "sending" }));
                  inviteFriend(friend.userId, code).then(
                    () => setSent((s) => ({ ...s, [friend.userId]: "sent" })),
                    () => setSent((s) => ({ ...s, [friend.userId]: "failed" })),
                  );
                }}
              >
                {state === "sent" ? "Invited" : state === "failed" ? "Retry" : "Invite"}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
