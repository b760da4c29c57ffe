import { useRef, useState } from "react";
import { pushNotice, useRoomStore } from "../store/room";
import { playerForSource } from "../sync/sourcePolicy";
import { formatMediaTime, isAtEnd } from "../sync/playback";
import { FullscreenIcon, MutedIcon, PauseIcon, PictureInPictureIcon, PlayIcon, VolumeIcon } from "../ui/icons";
import { usePlayerPrefs } from "./playerPrefs";
import type { RoomSession } from "./roomSession";
import { SyncIndicator } from "./SyncIndicator";
import { ReactionTimeline } from "./ReactionLayer";
import { useTicker } from "./useTicker";

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
export const SEEK_STEP_MS = 5_000;

export function toggleFullscreen(element: HTMLElement | null): void {
  if (!element) return;
  if (document.fullscreenElement) void document.exitFullscreen();
  else void element.requestFullscreen?.().catch(() => {});
}

/** The browser's floating player for the room's video; the room keeps it in step as usual. */
export function togglePictureInPicture(video: HTMLVideoElement | null): void {
  if (!video) return;
  if (document.pictureInPictureElement) void document.exitPictureInPicture().catch(() => {});
  else void video.requestPictureInPicture?.().catch(() => pushNotice("This browser can't show the video in a floating window right now.", "error"));
}

function canPictureInPicture(): boolean {
  return typeof document !== "undefined" && document.pictureInPictureEnabled === true;
}

const SEEK_KEYS = new Set(["Home", "End", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown"]);

interface PlayerControlsProps {
  session: RoomSession;
  canControl: boolean;
  isOwner: boolean;
  onFullscreen(): void;
  videoRef: React.RefObject<HTMLVideoElement | null>;
  /** Extra controls at the end of the main row (subtitles, change video). */
  extra?: React.ReactNode;
}

export function PlayerControls({ session, canControl, isOwner, onFullscreen, videoRef, extra }: PlayerControlsProps) {
  useTicker(250);
  const playback = useRoomStore((s) => s.playback);
  const { muted, volume } = usePlayerPrefs();
  const [scrub, setScrub] = useState<number | null>(null);
  // The latest scrub value without waiting for a render: a key-up can arrive
  // before React re-rendered the key-down's change.
  const scrubRef = useRef<number | null>(null);
  const stats = session.engine.stats();
  // The room's length (probe or first report) wins over this player's own reading.
  const duration = playback?.durationMs ?? stats.durationMs;
  const position = Math.min(scrub ?? stats.expectedMs ?? 0, duration ?? Infinity);
  const ended = isAtEnd(playback ?? null, session.engine.serverNow());
  const hasSource = Boolean(playback?.sourceType);
  const onVideoElement = hasSource && playerForSource(playback?.sourceType ?? null, playback?.sourceId ?? null) !== "youtube";
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

  const playPause = ended ? (
    <button
      type="button"
      className="btn btn-primary size-11 shrink-0 px-0 sm:w-auto sm:min-w-24 sm:px-5"
      disabled={disabled}
      title={why ?? "Watch it again from the start, together"}
      onClick={() => void session.play()}
      data-testid="replay"
      aria-label="Replay from the start"
    >
      <PlayIcon />
      <span className="hidden sm:inline">Replay</span>
    </button>
  ) : (
    <button
      type="button"
      className="btn btn-primary size-11 shrink-0 px-0 sm:w-auto sm:min-w-24 sm:px-5"
      disabled={disabled}
      title={why}
      onClick={() => void session.togglePlay()}
      data-testid="play-pause"
      aria-label={playback?.isPlaying ? "Pause (space)" : "Play (space)"}
    >
      {playback?.isPlaying ? <PauseIcon /> : <PlayIcon />}
      <span className="hidden sm:inline">{playback?.isPlaying ? "Pause" : "Play"}</span>
    </button>
  );

  return (
    <div className="glass-strong mt-3 flex flex-col gap-2 px-3 py-2.5 sm:px-4" data-testid="player-controls">
      <div className="flex items-center gap-2 sm:gap-3">
        {playPause}
        <span className="w-11 text-right font-mono text-xs text-muted sm:w-14" data-testid="position">
          {formatMediaTime(position)}
        </span>
        <input
          type="range"
          aria-label="Seek"
          className="h-2 min-w-0 flex-1 cursor-pointer accent-sky-300 disabled:cursor-not-allowed"
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
        <span className="w-11 font-mono text-xs text-muted sm:w-14">{duration !== null ? formatMediaTime(duration) : "--:--"}</span>
      </div>
      <ReactionTimeline durationMs={duration} />
      <div className="flex flex-wrap items-center gap-2">
        {canControl && (
          <>
            <button type="button" className="btn-icon size-10 text-sm" disabled={disabled} title="Back 5 s (←)" aria-label="Back 5 seconds" onClick={() => void session.seekBy(-SEEK_STEP_MS)} data-testid="back-5">
              −5
            </button>
            <button type="button" className="btn-icon size-10 text-sm" disabled={disabled} title="Forward 5 s (→)" aria-label="Forward 5 seconds" onClick={() => void session.seekBy(SEEK_STEP_MS)} data-testid="forward-5">
              +5
            </button>
          </>
        )}
        <label className="sr-only" htmlFor="speed">
          Playback speed
        </label>
        <select
          id="speed"
          className="field min-h-10 w-[4.75rem] rounded-full px-3 py-1.5 text-sm"
          disabled={disabled}
          title={why}
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
          <button
            type="button"
            className="btn btn-glass min-h-10 px-4"
            disabled={Boolean(playback?.isPlaying)}
            onClick={() => void session.startCountdown(3_000)}
            data-testid="countdown-start"
            title={playback?.isPlaying ? "Pause first to count everyone in again" : "Count everyone in: 3, 2, 1"}
          >
            3·2·1
          </button>
        )}
        {extra}
        {!canControl && hasSource && (
          <span className="hidden text-xs text-muted md:inline" data-testid="follows-owner">
            The owner controls playback; your player follows.
          </span>
        )}
        <div className="ml-auto flex items-center gap-1.5 sm:gap-2">
          <SyncIndicator session={session} />
          <button
            type="button"
            className="btn-icon size-10"
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
            className="w-16 accent-sky-300 sm:w-24"
            min={0}
            max={1}
            step={0.05}
            value={muted ? 0 : volume}
            onChange={(e) => usePlayerPrefs.setState({ volume: Number(e.target.value), muted: Number(e.target.value) === 0 })}
            data-testid="volume"
          />
          {onVideoElement && canPictureInPicture() && (
            <button type="button" className="btn-icon size-10" aria-label="Picture in picture" title="Picture in picture" onClick={() => togglePictureInPicture(videoRef.current)} data-testid="pip">
              <PictureInPictureIcon />
            </button>
          )}
          <button type="button" className="btn-icon size-10" aria-label="Fullscreen (f)" title="Fullscreen (f)" onClick={onFullscreen} data-testid="fullscreen">
            <FullscreenIcon />
          </button>
        </div>
      </div>
    </div>
  );
}
