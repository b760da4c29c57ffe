/**
 * Words for the room's shared questions: the owner's ready check and the votes
 * to pause or resume (docs/protocol.md "Watching together"). Pure: the
 * components render what these return.
 */
import type { Participant, PlaybackState, ReadyCheckView, VoteView, WaitingData } from "../api/protocol";
import { expectedPositionMs, isAtEnd, isPlayingAt } from "../sync/playback";

type Names = Pick<Participant, "participantId" | "username">[];

export function nameOf(participants: Names, participantId: string, you?: string | null): string {
  if (participantId === you) return "you";
  return participants.find((p) => p.participantId === participantId)?.username ?? "someone";
}

/** "Bob", "Bob and Carol", "Bob, Carol and Dave". */
export function listNames(participants: Names, ids: string[], you?: string | null): string {
  const names = ids.map((id) => nameOf(participants, id, you));
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export function readyCheckText(check: ReadyCheckView, participants: Names, you?: string | null): string {
  const waiting = listNames(participants, check.waitingFor, you);
  switch (check.status) {
    case "open": {
      const total = check.ready.length + check.waitingFor.length;
      return `Ready ${check.ready.length}/${total}${waiting ? ` · waiting for ${waiting}` : ""}`;
    }
    case "all_ready":
      return "Everyone's ready. Starting!";
    case "started_anyway":
      return waiting ? `Started without waiting for ${waiting}.` : "Started.";
    case "cancelled":
      return "The ready check was cancelled.";
    case "timed_out":
      return waiting ? `Not everyone answered: ${waiting} ${check.waitingFor.length === 1 ? "isn't" : "aren't"} ready.` : "The ready check ended.";
  }
}

export function voteText(vote: VoteView, participants: Names, you?: string | null): string {
  const what = vote.action === "pause" ? "pause" : "resume";
  const starter = nameOf(participants, vote.startedBy, you);
  switch (vote.status) {
    case "open":
      return `${starter === "you" ? "You" : starter} asked to ${what} · ${vote.yes.length} of ${vote.needed} needed`;
    case "passed":
      return `Vote passed (${vote.yes.length} of ${vote.eligible}): ${vote.action === "pause" ? "pausing" : "resuming"}.`;
    case "failed":
      return `Vote to ${what} failed (${vote.no.length} against).`;
    case "expired":
      return `Vote to ${what} ran out of time (${vote.yes.length} of ${vote.needed} needed).`;
  }
}

/** How the viewer answered a vote: "yes", "no" or null (not yet). */
export function myVote(vote: VoteView, you: string | null | undefined): "yes" | "no" | null {
  if (!you) return null;
  if (vote.yes.includes(you)) return "yes";
  if (vote.no.includes(you)) return "no";
  return null;
}

/** Whole seconds left until `endsAt` (server ms), never below zero. */
export function secondsLeft(endsAt: number, serverNow: number): number {
  return Math.max(0, Math.ceil((endsAt - serverNow) / 1000));
}

/** "Waiting for Bob…" while the room waits for buffering; what a member left out is told. */
export function waitingFor(waiting: WaitingData, participants: Names, you?: string | null): string | null {
  if (you && waiting.leftOut?.includes(you) && !waiting.waitingFor.length) {
    return "Your video keeps stalling, so the room won't wait for you for a while.";
  }
  if (!waiting.waitingFor.length) return waiting.resumesAt ? "Everyone has buffered: resuming…" : null;
  return `Waiting for ${listNames(participants, waiting.waitingFor, you)}…`;
}

/** The vote a member without control may start: to pause, or to play (from the start, on
 *  from a pause, or again from the beginning once the video has ended: a play at the end
 *  replays it). */
export function voteLabel(playback: PlaybackState, serverNow: number): string {
  if (isPlayingAt(playback, serverNow)) return "Vote to pause";
  if (isAtEnd(playback, serverNow)) return "Vote to replay";
  return expectedPositionMs(playback, serverNow) <= 0 ? "Vote to play" : "Vote to resume";
}
