/**
 * Perfect negotiation needs exactly one polite peer per pair, chosen the same
 * way on both sides without talking. Participant ids are unique and known to
 * both: the larger id is polite (it yields when both offer at once).
 */
export function isPolite(selfId: string, peerId: string): boolean {
  if (selfId === peerId) throw new Error("a participant does not call itself");
  return selfId > peerId;
}
