import { useRoomStore } from "../store/room";
import { usePlayerPrefs } from "./playerPrefs";
import type { RoomSession } from "./roomSession";
import { useTicker } from "./useTicker";

const fmt = (value: number | null | undefined, unit = " ms", digits = 0) => (value === null || value === undefined ? "–" : `${value.toFixed(digits)}${unit}`);

/** Spec 15.6.2 diagnostics, toggled with Ctrl+Shift+D. */
export function DebugOverlay({ session }: { session: RoomSession }) {
  const open = usePlayerPrefs((s) => s.debugOpen);
  useTicker(250, open);
  const socketState = useRoomStore((s) => s.socketState);
  const attempts = useRoomStore((s) => s.reconnectAttempts);
  if (!open) return null;
  const stats = session.engine.stats();
  const rows: [string, string][] = [
    ["latency (rtt)", `${fmt(session.clock.lastBurstRttMs)} (floor ${fmt(session.clock.rttMs, " ms", 1)})`],
    ["clock offset", fmt(session.clock.offsetMs, " ms", 1)],
    ["clock jumps", String(session.clock.jumps)],
    ["drift", fmt(stats.driftMs, " ms", 1)],
    ["position", fmt(stats.mediaTimeMs)],
    ["target", fmt(stats.expectedMs)],
    ["playback rate", fmt(stats.playbackRate, "×", 3)],
    ["buffer ahead", fmt(stats.bufferAheadMs === null ? null : stats.bufferAheadMs / 1000, " s", 1)],
    ["player", stats.playerKind ?? "–"],
    ["controller", `${stats.controllerMode} · lead ${fmt(stats.seekLeadMs)}`],
    ["corrections", `rate ${stats.corrections.rate} · seek ${stats.corrections.seek}`],
    ["last command", stats.lastCommand ?? "–"],
    ["applied seq", `${stats.lastAppliedSeq}${stats.gapsSkipped ? ` (gaps skipped ${stats.gapsSkipped})` : ""}`],
    ["socket", socketState],
    ["reconnects", String(attempts)],
  ];
  return (
    <aside aria-label="Diagnostics" className="glass-strong fixed right-4 top-4 z-50 w-72 p-3 font-mono text-xs" data-testid="debug-overlay">
      <div className="mb-2 flex items-center justify-between">
        <strong className="text-accent">diagnostics</strong>
        <button type="button" className="rounded px-1.5 hover:bg-white/10" aria-label="Close diagnostics" onClick={() => usePlayerPrefs.setState({ debugOpen: false })}>
          ✕
        </button>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-muted">{k}</dt>
            <dd className="text-right">{v}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
