/**
 * Orders `sync:command`s by sequence number (spec 4.2.5). Commands are applied
 * strictly in order; duplicates and already-applied ones are dropped; a gap
 * holds later commands back for a while.
 *
 * The contract has no "send me commands n..m" request, but every command
 * carries the complete state in force from its `atServerTime`. So when a gap
 * does not fill in time (the missing commands died with a failed server, and
 * the resume replay did not bring them), skipping to the buffered ones loses
 * nothing: the newest command alone says where playback must be.
 */
import type { SyncCommand } from "../api/protocol";

/**
 * How long a gap may stay open. One WebSocket delivers in order, so gaps only
 * appear around a reconnect, whose resume replay arrives within one round
 * trip; 1.5 s covers a slow one without leaving playback stale for long.
 */
export const GAP_WAIT_MS = 1_500;

export class CommandBuffer {
  lastAppliedSeq = 0;
  gapsSkipped = 0;
  private pending = new Map<number, SyncCommand>();
  private gapTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly apply: (command: SyncCommand) => void,
    private readonly gapWaitMs = GAP_WAIT_MS,
  ) {}

  /** The welcome's state is the base: everything up to its sequence number is already in it. */
  reset(baseSeq: number): void {
    this.lastAppliedSeq = baseSeq;
    for (const seq of this.pending.keys()) if (seq <= baseSeq) this.pending.delete(seq);
    this.drain();
  }

  receive(command: SyncCommand): void {
    if (command.sequenceNumber <= this.lastAppliedSeq) return;
    this.pending.set(command.sequenceNumber, command);
    this.drain();
  }

  get waitingFor(): number | null {
    return this.pending.size ? this.lastAppliedSeq + 1 : null;
  }

  dispose(): void {
    this.clearGapTimer();
    this.pending.clear();
  }

  private drain(): void {
    let next = this.pending.get(this.lastAppliedSeq + 1);
    while (next) {
      this.pending.delete(next.sequenceNumber);
      this.lastAppliedSeq = next.sequenceNumber;
      this.apply(next);
      next = this.pending.get(this.lastAppliedSeq + 1);
    }
    if (this.pending.size === 0) this.clearGapTimer();
    else if (!this.gapTimer) this.gapTimer = setTimeout(() => this.skipGap(), this.gapWaitMs);
  }

  private skipGap(): void {
    this.gapTimer = null;
    if (!this.pending.size) return;
    const lowest = Math.min(...this.pending.keys());
    this.gapsSkipped += 1;
    this.lastAppliedSeq = lowest - 1;
    this.drain();
  }

  private clearGapTimer(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }
}
