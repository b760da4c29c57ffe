/**
 * A random idempotency key. `crypto.randomUUID` exists only in secure
 * contexts (https, localhost); a LAN dev server over http falls back to
 * `getRandomValues`, which is available everywhere.
 */
export function randomKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
