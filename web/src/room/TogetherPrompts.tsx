/**
 * The room's shared questions, on every screen: the owner's "Ready?" (with who
 * isn't ready yet) and a vote to pause or resume (with its tally and result).
 */
import { useRoomStore } from "../store/room";
import type { RoomSession } from "./roomSession";
import { myVote, readyCheckText, secondsLeft, voteLabel, voteText, waitingFor } from "./together";
import { useTicker } from "./useTicker";

export function TogetherPrompts({ session, isOwner }: { session: RoomSession; isOwner: boolean }) {
  const readyCheck = useRoomStore((s) => s.readyCheck);
  const vote = useRoomStore((s) => s.vote);
  const participants = useRoomStore((s) => s.participants);
  const me = useRoomStore((s) => s.you?.participantId ?? null);
  const waiting = useRoomStore((s) => s.waiting);
  const idleClosesAt = useRoomStore((s) => s.idleClosesAt);
  useTicker(500, readyCheck?.status === "open" || vote?.status === "open" || idleClosesAt !== null);
  const now = session.engine.serverNow();
  const waitingText = waiting ? waitingFor(waiting, participants, me) : null;
  if (!readyCheck && !vote && !waitingText && idleClosesAt === null) return null;
  return (
    <div className="mt-3 space-y-2" aria-live="polite">
      {idleClosesAt !== null && (
        <div className="glass-strong flex flex-wrap items-center gap-3 px-4 py-3 text-sm" role="alert" data-testid="idle-warning">
          <span className="flex-1">Nothing has played and nobody has spoken for a while: this room closes in {Math.max(0, Math.ceil((idleClosesAt - now) / 60_000))} min unless someone is still here.</span>
          <button type="button" className="btn btn-primary min-h-9 py-1" onClick={() => void session.stillHere()} data-testid="still-here">
            I'm still here
          </button>
        </div>
      )}
      {waitingText && (
        <div className="glass-strong px-4 py-3 text-sm" data-testid="waiting-for">
          {waitingText}
        </div>
      )}
      {readyCheck && (
        <div className="glass-strong flex flex-wrap items-center gap-3 px-4 py-3 text-sm" data-testid="ready-check" data-status={readyCheck.status}>
          <span className="flex-1">
            {readyCheck.status === "open" && <strong className="mr-2">Ready to watch?</strong>}
            <span data-testid="ready-check-text">{readyCheckText(readyCheck, participants, me)}</span>
            {readyCheck.status === "open" && <span className="ml-2 font-mono text-xs text-muted">{secondsLeft(readyCheck.endsAt, now)} s</span>}
          </span>
          {readyCheck.status === "open" && me && !isOwner && (
            readyCheck.ready.includes(me) ? (
              <button type="button" className="btn btn-glass min-h-9 py-1" onClick={() => void session.answerReady(false)} data-testid="not-ready">
                Not ready after all
              </button>
            ) : (
              <button type="button" className="btn btn-primary min-h-9 py-1" onClick={() => void session.answerReady(true)} data-testid="im-ready">
                I'm ready
              </button>
            )
          )}
          {isOwner && (readyCheck.status === "open" || readyCheck.status === "timed_out") && (
            <>
              <button type="button" className="btn btn-primary min-h-9 py-1" onClick={() => void session.readyCheck("start_anyway")} data-testid="start-anyway">
                Start anyway
              </button>
              {readyCheck.status === "open" && (
                <button type="button" className="btn btn-glass min-h-9 py-1" onClick={() => void session.readyCheck("cancel")} data-testid="cancel-ready-check">
                  Cancel
                </button>
              )}
            </>
          )}
        </div>
      )}
      {vote && (
        <div className="glass-strong flex flex-wrap items-center gap-3 px-4 py-3 text-sm" data-testid="vote" data-status={vote.status}>
          <span className="flex-1">
            <span data-testid="vote-text">{voteText(vote, participants, me)}</span>
            {vote.status === "open" && <span className="ml-2 font-mono text-xs text-muted">{secondsLeft(vote.endsAt, now)} s</span>}
          </span>
          {vote.status === "open" && myVote(vote, me) === null && (
            <>
              <button type="button" className="btn btn-primary min-h-9 py-1" onClick={() => void session.castVote(vote.voteId, true)} data-testid="vote-yes">
                Yes
              </button>
              <button type="button" className="btn btn-glass min-h-9 py-1" onClick={() => void session.castVote(vote.voteId, false)} data-testid="vote-no">
                No
              </button>
            </>
          )}
          {vote.status === "open" && myVote(vote, me) !== null && <span className="text-muted">You voted {myVote(vote, me)}.</span>}
        </div>
      )}
    </div>
  );
}

/** The buttons that open a question: "Ready check" (the owner, while paused) and a vote for those who can't drive playback. */
export function TogetherActions({ session, isOwner, canControl }: { session: RoomSession; isOwner: boolean; canControl: boolean }) {
  const playback = useRoomStore((s) => s.playback);
  const readyCheck = useRoomStore((s) => s.readyCheck);
  const vote = useRoomStore((s) => s.vote);
  if (!playback?.sourceType) return null;
  const playing = playback.isPlaying;
  return (
    <>
      {isOwner && !playing && readyCheck?.status !== "open" && (
        <button type="button" className="btn btn-glass min-h-10 px-4" onClick={() => void session.readyCheck("start")} data-testid="ask-ready">
          Ready check
        </button>
      )}
      {!canControl && vote?.status !== "open" && (
        <button type="button" className="btn btn-glass min-h-10 px-4" onClick={() => void session.startVote(playing ? "pause" : "resume")} data-testid="start-vote">
          {voteLabel(playback, session.engine.serverNow())}
        </button>
      )}
    </>
  );
}

/** The owner's settings for watching together, in the room menu: they are set once an
 *  evening, so they don't take room under the player (where they pushed voice off screen). */
export function TogetherSettings({ session }: { session: RoomSession }) {
  const bufferWaitMs = useRoomStore((s) => s.room?.bufferWaitMs ?? 1000);
  const idleCloseMinutes = useRoomStore((s) => s.room?.idleCloseMinutes ?? 30);
  return (
    <div className="grid gap-2" data-testid="together-settings">
      <label className="flex items-center justify-between gap-2 text-sm text-muted">
        Wait for buffering
        <select className="field min-h-10 w-auto py-1 text-sm" value={bufferWaitMs} onChange={(e) => void session.setBufferWait(Number(e.target.value))} data-testid="buffer-wait">
          <option value={0}>Off</option>
          <option value={1000}>after 1 s</option>
          <option value={2000}>after 2 s</option>
          <option value={5000}>after 5 s</option>
        </select>
      </label>
      <label className="flex items-center justify-between gap-2 text-sm text-muted">
        Close when idle
        <select className="field min-h-10 w-auto py-1 text-sm" value={idleCloseMinutes} onChange={(e) => void session.setIdleClose(Number(e.target.value))} data-testid="idle-close">
          <option value={0}>Never</option>
          <option value={15}>after 15 min</option>
          <option value={30}>after 30 min</option>
          <option value={60}>after 1 h</option>
          <option value={120}>after 2 h</option>
        </select>
      </label>
    </div>
  );
}
