import { useRoomStore } from "../store/room";
import { sparkline } from "../sync/driftTimeline";
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
    ["jitter", fmt(session.clock.lastBurstJitterMs, " ms", 1)],
    ["clock offset", fmt(session.clock.offsetMs, " ms", 1)],
    ["clock jumps", String(session.clock.jumps)],
    ["drift", fmt(stats.driftMs, " ms", 1)],
    ["position", fmt(stats.mediaTimeMs)],
    ["target", fmt(stats.expectedMs)],
    ["playback rate", fmt(stats.playbackRate, "×", 3)],
    ["buffer ahead", fmt(stats.bufferAheadMs === null ? null : stats.bufferAheadMs / 1000, " s", 1)],
    ["player", stats.playerKind ?? "–"],
    ["controller", `${stats.controllerMode} · lead ${fmt(stats.seekLeadMs)}`],
    ["hold cost", Object.entries(stats.holdCostMs ?? {}).map(([key, ms]) => `${key} ${fmt(ms)}`).join(" · ") || "–"],
    ["corrections", `rate ${stats.corrections.rate} · seek ${stats.corrections.seek}`],
    ["last command", stats.lastCommand ?? "–"],
    ["applied seq", `${stats.lastAppliedSeq}${stats.gapsSkipped ? ` (gaps skipped ${stats.gapsSkipped})` : ""}`],
    ["socket", socketState],
    ["reconnects", String(attempts)],
  ];
  return (
    <aside aria-label="Diagnostics" className="fixed right-4 top-4 z-50 w-72 rounded-2xl border border-white/20 bg-slate-950/90 p-3 font-mono text-xs shadow-xl backdrop-blur" data-testid="debug-overlay">
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
      <DriftChart session={session} />
    </aside>
  );
}

/** The last 60 s of drift: ±200 ms tall, the dead band shaded, corrections marked. */
const CHART = { width: 264, height: 64, windowMs: 60_000, rangeMs: 200 };

function DriftChart({ session }: { session: RoomSession }) {
  const now = session.engine.localNow();
  const points = session.engine.timeline.recent(now, CHART.windowMs);
  const band = session.engine.attachedPlayer?.tuning.deadBandMs ?? 0;
  const bandHeight = (Math.min(band, CHART.rangeMs) / CHART.rangeMs) * CHART.height;
  const xOf = (at: number) => ((at - (now - CHART.windowMs)) / CHART.windowMs) * CHART.width;
  return (
    <figure className="mt-2">
      <svg width={CHART.width} height={CHART.height} className="rounded bg-white/5" role="img" aria-label="Drift over the last minute" data-testid="drift-chart">
        <rect x={0} y={CHART.height / 2 - bandHeight / 2} width={CHART.width} height={bandHeight} fill="rgb(74 222 128 / 0.12)" />
        <line x1={0} x2={CHART.width} y1={CHART.height / 2} y2={CHART.height / 2} stroke="rgb(255 255 255 / 0.2)" />
        <polyline points={sparkline(points, now, CHART.windowMs, CHART.width, CHART.height, CHART.rangeMs)} fill="none" stroke="#7dd3fc" strokeWidth={1.5} />
        {points
          .filter((p) => p.correction)
          .map((p) => (
            <circle key={p.atMs} cx={xOf(p.atMs)} cy={CHART.height / 2} r={3} fill={p.correction === "seek" ? "#f87171" : "#facc15"} />
          ))}
      </svg>
      <figcaption className="mt-1 text-muted">
        drift, last 60 s (±200 ms) · <span className="text-warn">●</span> rate <span className="text-bad">●</span> seek
      </figcaption>
    </figure>
  );
}
