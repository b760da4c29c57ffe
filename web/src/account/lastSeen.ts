/** "just now", "5 minutes ago", "yesterday": when a session was last seen, said plainly. Pure. */
export function lastSeen(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "a minute ago" : `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return hours === 1 ? "an hour ago" : `${hours} hours ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return "yesterday";
  return `${days} days ago`;
}

/** The file name of a data export: `syncwatch-ann-2026-12-06.json`. */
export function exportFileName(username: string, nowMs: number): string {
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const safe = username.replace(/[^A-Za-z0-9_-]/g, "_") || "account";
  return `syncwatch-${safe}-${day}.json`;
}

/** The one-time token of a reset link (`/reset-password#token=…`), or null. */
export function resetToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && /^[A-Za-z0-9_-]{20,200}$/.test(token) ? token : null;
}
