/**
 * How a friend's presence reads in the app. Pure: no React, no sockets.
 */
import type { FriendActivity, FriendView } from "../api/protocol.generated";

export type SeenStatus = FriendView["status"] & string;
export type ChosenStatus = "online" | "busy" | "invisible";

export const STATUS_LABEL: Record<SeenStatus, string> = {
  online: "Online",
  away: "Away",
  busy: "Busy",
  offline: "Offline",
};

export const CHOSEN_LABEL: Record<ChosenStatus, string> = {
  online: "Online",
  busy: "Busy",
  invisible: "Invisible",
};

/** "watching Friday film · 2 of 5" */
export function activityLine(activity: FriendActivity | undefined | null): string | null {
  if (!activity) return null;
  return `watching ${activity.roomName} · ${activity.members} of ${activity.maxMembers}`;
}

/** A friend's room can be joined from the list when it is shown (its privacy allows) and not full. */
export function canJoin(activity: FriendActivity | undefined | null, currentRoom: string | null): boolean {
  return Boolean(activity && activity.members < activity.maxMembers && activity.roomCode !== currentRoom);
}

const ORDER: Record<SeenStatus, number> = { online: 0, busy: 1, away: 2, offline: 3 };

/** Online first, then busy, away, offline; by name within each. */
export function sortFriends<T extends { status?: SeenStatus | null; username: string }>(friends: T[]): T[] {
  return [...friends].sort(
    (a, b) => ORDER[a.status ?? "offline"] - ORDER[b.status ?? "offline"] || a.username.localeCompare(b.username),
  );
}

/** Activity worth telling the server about is throttled to once a minute. */
export const ACTIVE_THROTTLE_MS = 60_000;

export function shouldReportActivity(now: number, lastReported: number | null): boolean {
  return lastReported === null || now - lastReported >= ACTIVE_THROTTLE_MS;
}
