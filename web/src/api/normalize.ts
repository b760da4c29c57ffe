/**
 * The contract fixes the envelope and the playback messages but not every
 * field of a participant. Until the server publishes its JSON Schema, read
 * participants tolerantly (a few plausible spellings) so the room screen does
 * not break on a naming choice. Pure.
 */
import type { Participant, Role } from "./protocol";

type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

export function normalizeParticipant(raw: Raw): Participant {
  const role = (str(raw.role) ?? (raw.isOwner === true ? "owner" : raw.guest === true ? "guest" : "participant")) as Role;
  const presence = str(raw.presence) ?? str(raw.status);
  const participant: Participant = {
    participantId: str(raw.participantId) ?? str(raw.id) ?? str(raw.userId) ?? "",
    userId: str(raw.userId) ?? str(raw.id) ?? "",
    username: str(raw.username) ?? str(raw.nickname) ?? str(raw.displayName) ?? "Someone",
    role,
  };
  const away = bool(raw.away) ?? bool(raw.isAway) ?? (presence ? presence === "away" : undefined);
  if (away !== undefined) participant.away = away;
  const control = bool(raw.canControl) ?? bool(raw.hasControl) ?? bool(raw.controlGranted);
  if (control !== undefined) participant.canControl = control;
  const guest = bool(raw.guest) ?? bool(raw.isGuest) ?? (role === "guest" ? true : undefined);
  if (guest !== undefined) participant.guest = guest;
  const inVoice = bool(raw.inVoice);
  if (inVoice !== undefined) participant.inVoice = inVoice;
  if (raw.host === true) participant.host = true;
  if (typeof raw.hostUntil === "number") participant.hostUntil = raw.hostUntil;
  // Moderation (docs/protocol.md "Moderation"): shown to everyone in the people list.
  for (const key of ["chatMuted", "voiceMuted", "handRaised"] as const) {
    const flag = bool(raw[key]);
    if (flag !== undefined) participant[key] = flag;
  }
  for (const key of ["chatMutedUntil", "voiceMutedUntil"] as const) {
    const until = raw[key];
    if (typeof until === "number") participant[key] = until;
  }
  const joinedAt = raw.joinedAt;
  if (typeof joinedAt === "string" || typeof joinedAt === "number") participant.joinedAt = joinedAt;
  return participant;
}

export function normalizeParticipants(list: unknown): Participant[] {
  return Array.isArray(list) ? list.filter((p): p is Raw => !!p && typeof p === "object").map(normalizeParticipant) : [];
}
