/**
 * Friends and the notification centre over HTTP (CONTRACT.md §1): a few calls
 * on the shared `HttpClient`, typed with the bodies generated from the
 * server's OpenAPI document.
 */
import type { HttpClient } from "./http";
import type { components } from "./http.generated";

type Schemas = components["schemas"];
export type FriendLists = Schemas["FriendLists"];
export type FriendEntry = Schemas["Friend"];
export type UserFound = Schemas["UserFound"];
export type Notification = Schemas["Notification"];
export type Notifications = Schemas["Notifications"];

export function socialApi(http: HttpClient) {
  const auth = { auth: true } as const;
  return {
    friends: () => http.request<FriendLists>("GET", "/friends", auth),
    search: async (query: string) =>
      (await http.request<Schemas["UserSearch"]>("GET", `/friends/search?q=${encodeURIComponent(query)}`, auth)).users,
    request: (username: string) => http.request<Schemas["FriendRequested"]>("POST", "/friends/request", { ...auth, body: { username } }),
    accept: (userId: string) => http.request<Schemas["FriendAccepted"]>("POST", "/friends/accept", { ...auth, body: { userId } }),
    /** Unfriend, decline a request or cancel one you sent. */
    remove: (userId: string) => http.request<void>("DELETE", `/friends/${encodeURIComponent(userId)}`, auth),
    block: (userId: string) => http.request<void>("POST", "/friends/block", { ...auth, body: { userId } }),
    unblock: (userId: string) => http.request<void>("DELETE", `/friends/block/${encodeURIComponent(userId)}`, auth),
    notifications: () => http.request<Notifications>("GET", "/notifications", auth),
    markRead: (ids?: string[]) =>
      http.request<Schemas["UnreadNotifications"]>("POST", "/notifications/read", { ...auth, body: ids ? { ids } : {} }),
    clearNotifications: () => http.request<void>("DELETE", "/notifications", auth),
  };
}
