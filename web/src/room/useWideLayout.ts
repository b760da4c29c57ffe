import { useSyncExternalStore } from "react";

/** Where the room switches from tabs under the video to chat beside it (Tailwind's `lg`). */
export const WIDE_LAYOUT_QUERY = "(min-width: 1024px)";

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(WIDE_LAYOUT_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/**
 * True on screens wide enough for chat beside the video. The two layouts mount
 * different components (one chat, not two hidden copies), so this is read in JS
 * rather than left to CSS alone.
 */
export function useWideLayout(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(WIDE_LAYOUT_QUERY).matches,
    () => true,
  );
}
