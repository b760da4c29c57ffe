/**
 * Watch history, room templates and scheduled rooms over HTTP (issue 14 §5),
 * typed with the bodies generated from the server's OpenAPI document.
 */
import type { HttpClient } from "./http";
import type { components } from "./http.generated";
import type { Room } from "./types";

type Schemas = components["schemas"];
export type HistoryEntry = Schemas["HistoryEntry"];
export type Template = Schemas["Template"];
export type Schedule = Schemas["Schedule"];

export function eveningsApi(http: HttpClient) {
  const auth = { auth: true } as const;
  const schedulePath = (code: string) => `/rooms/${encodeURIComponent(code)}/schedule`;
  return {
    history: async () => (await http.request<Schemas["WatchHistory"]>("GET", "/me/history", auth)).entries,
    clearHistory: () => http.request<void>("DELETE", "/me/history", auth),
    templates: async () => (await http.request<Schemas["Templates"]>("GET", "/templates", auth)).templates,
    saveTemplate: (name: string, roomCode: string) => http.request<Template>("POST", "/templates", { ...auth, body: { name, roomCode } }),
    deleteTemplate: (id: string) => http.request<void>("DELETE", `/templates/${encodeURIComponent(id)}`, auth),
    roomFromTemplate: (id: string, name?: string) =>
      http.request<Room>("POST", `/templates/${encodeURIComponent(id)}/rooms`, { ...auth, body: name ? { name } : {} }),
    schedule: (code: string, startsAt: number, invite: string[]) =>
      http.request<Schedule>("POST", schedulePath(code), { ...auth, body: { startsAt, invite } }),
    scheduleOf: (code: string) => http.request<Schedule>("GET", schedulePath(code), auth),
    unschedule: (code: string) => http.request<void>("DELETE", schedulePath(code), auth),
    upcoming: async () => (await http.request<Schemas["Schedules"]>("GET", "/schedules", auth)).schedules,
  };
}
