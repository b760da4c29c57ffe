import { useRef, useState } from "react";
import { useRoomStore } from "../store/room";
import { formatMediaTime } from "../sync/playback";
import { FullscreenIcon, MutedIcon, PauseIcon, PlayIcon, VolumeIcon } from "../ui/icons";
import { usePlayerPrefs } from "./playerPrefs";
import type { RoomSession } from "./roomSession";
import { SyncIndicator } from "./SyncIndicator";
import { useTicker } from "./useTicker";

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
export const SEEK_STEP_MS = 5_000;

export function toggleFullscreen(element: HTMLElement | null): void {
  if (!element) return;
  if (document.fullscreenElement) void document.exitFullscreen();
  else void element.requestFullscreen?.().catch(() => {});
}

const SEEK_KEYS = new Set(["Home", "End", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown"]);

export function PlayerControls({ session, canControl, isOwner, onFullscreen }: { session: RoomSession; canControl: boolean; isOwner: boolean; onFullscreen(): void }) {
  useTicker(250);
  const playback = useRoomStore((s) => s.playback);
  const { muted, volume } = usePlayerPrefs();
  const [scrub, setScrub] = useState<number | null>(null);
  // The latest scrub value without waiting for a render: a key-up can arrive
  // before React re-rendered the key-down's change.
  const scrubRef = useRef<number | null>(null);
  const stats = session.engine.stats();
  const position = scrub ?? stats.expectedMs ?? 0;
  const duration = stats.durationMs;
  const hasSource = Boolean(playback?.sourceType);
  const disabled = !canControl || !hasSource;
  const why = canControl ? undefined : "Only people with playback control can do this";

  function updateScrub(value: number) {
    scrubRef.current = value;
    setScrub(value);
  }

  function commitScrub(fallback?: number) {
    const target = scrubRef.current ?? fallback;
    if (target !== undefined && target !== null) void session.seekTo(target);
    scrubRef.current = null;
    setScrub(null);
  }

  return (
    <div className="glass-strong mt-3 flex flex-col gap-3 p-3 sm:p-4">
      <div className="flex items-center gap-3">
        <span className="w-16 text-right font-mono text-xs text-muted" data-testid="position">
          {formatMediaTime(position)}
        </span>
        <input
          type="range"
          aria-label="Seek"
          className="h-2 flex-1 cursor-pointer accent-sky-300 disabled:cursor-not-allowed"
          min={0}
          max={duration ?? Math.max(position, 1)}
          step={1000}
          value={Math.min(position, duration ?? position)}
          disabled={disabled || duration === null}
          title={why}
          onChange={(e) => updateScrub(Number(e.target.value))}
          onPointerUp={() => commitScrub()}
          onKeyUp={(e) => {
            // A seek key commits even when the value did not move (Home at 0:00 rewinds).
            if (SEEK_KEYS.has(e.key)) commitScrub(Number(e.currentTarget.value));
          }}
          onBlur={() => {
            scrubRef.current = null;
            setScrub(null);
          }}
          data-testid="timeline"
        />
        <span className="w-16 font-mono text-xs text-muted">{duration !== null ? formatMediaTime(duration) : "--:--"}</span>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className="btn btn-primary min-w-24"
          disabled={disabled}
          title={why}
          onClick={() => void (playback?.isPlaying ? session.pause() : session.play())}
          data-testid="play-pause"
          aria-label={playback?.isPlaying ? "Pause (space)" : "Play (space)"}
        >
          {playback?.isPlaying ? (
            <>
              <PauseIcon /> Pause
            </>
          ) : (
            <>
              <PlayIcon /> Play
            </>
          )}
        </button>
        <button type="button" className="btn-icon" disabled={disabled} title="Back 5 s (←)" aria-label="Back 5 seconds" onClick={() => void session.seekBy(-SEEK_STEP_MS)} data-testid="back-5">
          −5
        </button>
        <button type="button" className="btn-icon" disabled={disabled} title="Forward 5 s (→)" aria-label="Forward 5 seconds" onClick={() => void session.seekBy(SEEK_STEP_MS)} data-testid="forward-5">
          +5
        </button>
        <label className="sr-only" htmlFor="speed">
          Playback speed
        </label>
        <select
          id="speed"
          className="field w-auto min-h-11 py-2 text-sm"
          disabled={disabled}
          value={playback?.playbackRate ?? 1}
          onChange={(e) => void session.setRate(Number(e.target.value))}
          data-testid="speed"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
        {isOwner && hasSource && (
          <button type="button" className="btn btn-glass" onClick={() => void session.startCountdown(3_000)} data-testid="countdown-start" title="Count everyone in: 3, 2, 1">
            3·2·1
          </button>
        )}
        <div className="ml-auto flex items-center gap-2">
          <SyncIndicator session={session} />
          <button
            type="button"
            className="btn-icon"
            aria-pressed={muted}
            aria-label={muted ? "Unmute (m)" : "Mute (m)"}
            onClick={() => usePlayerPrefs.setState({ muted: !muted })}
            data-testid="mute"
          >
            {muted ? <MutedIcon /> : <VolumeIcon />}
          </button>
          <input
            type="range"
            aria-label="Volume"
            className="hidden w-24 accent-sky-300 sm:block"
            min={0}
            max={1}
            step={0.05}
            value={muted ? 0 : volume}
            onChange={(e) => usePlayerPrefs.setState({ volume: Number(e.target.value), muted: Number(e.target.value) === 0 })}
            data-testid="volume"
          />
          <button type="button" className="btn-icon" aria-label="Fullscreen (f)" onClick={onFullscreen} data-testid="fullscreen">
            <FullscreenIcon />
          </button>
        </div>
      </div>
      {!canControl && hasSource && <p className="text-xs text-muted">The owner controls playback in this room. Your player follows along.</p>}
    </div>
  );
}
