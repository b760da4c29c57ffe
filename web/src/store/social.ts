/**
 * The signed-in person's social side: friends with their presence, requests,
 * blocks, the notification centre and invitation toasts. One `/ws/me` socket
 * (api/userSocket.ts) feeds it while a registered user is signed in; lists
 * come from HTTP (api/social.ts) and are refreshed when the socket says they
 * changed. Components read it with `useSocial`.
 */
import { create } from "zustand";
import { socialApi, type FriendLists, type Notification } from "../api/social";
import type { FriendView, UserServerMessage } from "../api/protocol.generated";
import { UserSocket, userSocketUrl, type UserSocketState } from "../api/userSocket";
import { shouldReportActivity, type ChosenStatus } from "../social/presence";
import { api, freshAccessToken, refreshSession, useSession } from "./session";

export interface InvitationToast {
  id: string;
  fromUsername: string;
  roomCode: string;
  roomName: string;
  /** A scheduled room's opening time. */
  startsAt?: number;
}

interface SocialState {
  connection: UserSocketState;
  status: ChosenStatus;
  /** Friends by user id, with live presence. */
  friends: Record<string, FriendView>;
  lists: FriendLists | null;
  notifications: Notification[];
  unread: number;
  toasts: InvitationToast[];
}

const initial: SocialState = {
  connection: "idle",
  status: "online",
  friends: {},
  lists: null,
  notifications: [],
  unread: 0,
  toasts: [],
};

export const useSocial = create<SocialState>(() => ({ ...initial }));
export const social = socialApi(api);

let socket: UserSocket | null = null;
let lastActive: number | null = null;

function byId(friends: FriendView[]): Record<string, FriendView> {
  return Object.fromEntries(friends.map((f) => [f.userId, f]));
}

export async function refreshFriends(): Promise<void> {
  try {
    const lists = await social.friends();
    useSocial.setState((s) => {
      const friends = { ...s.friends };
      for (const f of lists.friends) {
        friends[f.userId] = {
          userId: f.userId,
          username: f.username,
          online: Boolean(f.online),
          status: f.status ?? "offline",
          ...(f.activity ? { activity: f.activity } : {}),
        };
      }
      for (const id of Object.keys(friends)) if (!lists.friends.some((f) => f.userId === id)) delete friends[id];
      return { lists, friends };
    });
  } catch {
    // The lists stay as they were; the friends screen shows its own error.
  }
}

export async function refreshNotifications(): Promise<void> {
  try {
    const centre = await social.notifications();
    useSocial.setState({ notifications: centre.notifications, unread: centre.unread });
  } catch {
    // Kept as they were.
  }
}

function receive(message: UserServerMessage): void {
  switch (message.type) {
    case "welcome":
      useSocial.setState({
        friends: byId(message.data.friends),
        status: message.data.status ?? "online",
        unread: message.data.unreadNotifications ?? 0,
      });
      void refreshFriends();
      break;
    case "friend:presence":
    case "friend:accepted": {
      const view = message.data;
      useSocial.setState((s) => ({ friends: { ...s.friends, [view.userId]: view } }));
      if (message.type === "friend:accepted") void refreshFriends();
      break;
    }
    case "friend:request":
      void refreshFriends();
      break;
    case "friend:removed": {
      const gone = message.data.userId;
      useSocial.setState((s) => {
        const friends = { ...s.friends };
        delete friends[gone];
        return { friends };
      });
      void refreshFriends();
      break;
    }
    case "room:invitation": {
      const d = message.data;
      const toast: InvitationToast = {
        id: `${d.roomCode}:${d.fromUserId}:${Date.now()}`,
        fromUsername: d.fromUsername,
        roomCode: d.roomCode,
        roomName: d.roomName,
        ...(d.startsAt ? { startsAt: d.startsAt } : {}),
      };
      useSocial.setState((s) => ({ toasts: [...s.toasts.filter((t) => t.roomCode !== d.roomCode), toast].slice(-3) }));
      break;
    }
    case "notification":
      useSocial.setState((s) => ({
        notifications: [message.data.notification as Notification, ...s.notifications.filter((n) => n.id !== message.data.notification.id)],
        unread: message.data.unread,
      }));
      break;
    case "notifications:unread":
      useSocial.setState({ unread: message.data.unread });
      break;
  }
}

function onActivity(): void {
  const now = Date.now();
  if (!socket || !shouldReportActivity(now, lastActive)) return;
  if (socket.active()) lastActive = now;
}

const ACTIVITY_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

/** Open `/ws/me` for a registered user; close it for guests and on sign-out. */
export function startSocial(): () => void {
  const follow = () => {
    const { status, user } = useSession.getState();
    const wanted = status === "authenticated" && user && !user.guest ? user.id : null;
    if (wanted && !socket) {
      socket = new UserSocket({
        url: userSocketUrl(window.location),
        getToken: (force) => (force ? refreshSession() : freshAccessToken()),
      });
      socket.onMessage(receive);
      socket.onState((connection) => {
        useSocial.setState({ connection });
        if (connection === "open") lastActive = Date.now();
      });
      socket.connect();
      void refreshNotifications();
    } else if (!wanted && socket) {
      socket.close();
      socket = null;
      useSocial.setState({ ...initial });
    }
  };
  follow();
  const unsubscribe = useSession.subscribe(follow);
  for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { passive: true });
  return () => {
    unsubscribe();
    for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity);
  };
}

export async function chooseStatus(status: ChosenStatus): Promise<void> {
  if (!socket) return;
  await socket.request("presence:set", { status });
  useSocial.setState({ status });
}

export async function inviteFriend(userId: string, roomCode: string): Promise<void> {
  if (!socket) throw new Error("Not connected");
  await socket.request("room:invite", { userId, roomCode });
}

export function dismissToast(id: string): void {
  useSocial.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

export async function markAllRead(): Promise<void> {
  const { unread } = await social.markRead();
  useSocial.setState((s) => ({ unread, notifications: s.notifications.map((n) => ({ ...n, read: true })) }));
}
