/**
 * The current route as a Zustand store, fed by the History API. Components
 * read `useRoute()`; anything may call `navigate()`.
 */
import { create } from "zustand";
import { parseRoute, type Route } from "./routes";

interface NavigationState {
  route: Route;
  path: string;
}

function current(): NavigationState {
  const { pathname, search } = window.location;
  return { route: parseRoute(pathname, search), path: pathname + search };
}

export const useNavigation = create<NavigationState>(() => current());

export function useRoute(): Route {
  return useNavigation((s) => s.route);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  useNavigation.setState(current());
  window.scrollTo({ top: 0 });
}

export function startNavigation(): void {
  window.addEventListener("popstate", () => useNavigation.setState(current()));
}
