import { useEffect, useState } from "react";

/** Re-renders the caller every `intervalMs` (live readouts: position, drift, countdown). */
export function useTicker(intervalMs: number, enabled = true): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled]);
  return tick;
}
