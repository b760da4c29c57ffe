import { useEffect, useRef, useState } from "react";
import { createHlsPlayer } from "../player/hlsPlayer";
import { cannotSeek, createMp4Player, elementError, MediaLoadError } from "../player/mediaElementPlayer";
import { explainFailure, FAILURE_WORDS, youtubeFailure } from "../player/mediaFailure";
import { loadYouTubeApi, YOUTUBE_IFRAME_API_URL } from "../player/youtubeApi";
import { YouTubePlayer } from "../player/youtubePlayer";
import { api } from "../store/session";
import { pushNotice, useRoomStore } from "../store/room";
import type { PlayerAdapter } from "../sync/player";
import { playerForSource } from "../sync/sourcePolicy";
import { BufferingReporter } from "./bufferingReports";
import { CountdownOverlay } from "./CountdownOverlay";
import { EndOverlay } from "./EndOverlay";
import { ReactionLayer } from "./ReactionLayer";
import { SubtitleOverlay } from "./SubtitleOverlay";
import { usePlayerPrefs } from "./playerPrefs";
import { WaitingOverlay } from "./WaitingOverlay";
import type { RoomSession } from "./roomSession";

/** Tests and self-hosters may point the YouTube API elsewhere at build time. */
const YOUTUBE_API_URL = (import.meta.env.VITE_YOUTUBE_API_URL as string | undefined) ?? YOUTUBE_IFRAME_API_URL;

async function createPlayer(sourceType: string, sourceId: string, video: HTMLVideoElement, youtubeHost: HTMLElement, roomCode: string): Promise<PlayerAdapter> {
  const kind = playerForSource(sourceType, sourceId);
  if (kind === "youtube") {
    const yt = await loadYouTubeApi(YOUTUBE_API_URL);
    const mount = document.createElement("div");
    youtubeHost.replaceChildren(mount);
    return YouTubePlayer.create(yt, mount, sourceId, window.location.origin);
  }
  if (sourceType === "upload") {
    // The manifest's URL carries a short-lived grant; a fresh one is fetched the same way.
    const manifestUrl = async () => (await api.videoManifest(sourceId, roomCode)).manifestUrl;
    return createHlsPlayer(video, await manifestUrl(), manifestUrl);
  }
  return kind === "hls" ? createHlsPlayer(video, sourceId) : createMp4Player(video, sourceId);
}

interface VideoStageProps {
  session: RoomSession;
  stageRef: React.RefObject<HTMLDivElement | null>;
  videoRef: React.RefObject<HTMLVideoElement | null>;
  /** Whether this person may pick the video (the empty stage says where). */
  canChooseSource?: boolean;
  className?: string;
}

export function VideoStage({ session, stageRef, videoRef, canChooseSource = false, className = "" }: VideoStageProps) {
  const youtubeRef = useRef<HTMLDivElement>(null);
  const sourceType = useRoomStore((s) => s.playback?.sourceType ?? null);
  const sourceId = useRoomStore((s) => s.playback?.sourceId ?? null);
  const needsGesture = useRoomStore((s) => s.needsGesture);
  const playerError = useRoomStore((s) => s.playerError);
  const playerFailure = useRoomStore((s) => s.playerFailure);
  const { muted, volume, subtitleUrl } = usePlayerPrefs();
  // The viewer's own choice, as long as the room's source still offers that track.
  const shownSubtitles = useRoomStore((s) => (s.subtitles.some((t) => t.url === subtitleUrl) ? subtitleUrl : null));
  const [player, setPlayer] = useState<PlayerAdapter | null>(null);
  const [loading, setLoading] = useState(false);
  const kind = playerForSource(sourceType, sourceId);

  useEffect(() => {
    const video = videoRef.current;
    const youtubeHost = youtubeRef.current;
    if (!sourceType || !sourceId || !video || !youtubeHost) return;
    let cancelled = false;
    let created: PlayerAdapter | null = null;
    setLoading(true);
    useRoomStore.setState({ playerError: null, playerFailure: null });
    // A player that fails says why in plain words, and the room hears of it once.
    const failed = async (error: MediaLoadError) => {
      const reason = await explainFailure(sourceType, sourceId, playerForSource(sourceType, sourceId) === "hls", error, window.location.protocol);
      if (cancelled) return;
      useRoomStore.setState({ playerError: `${FAILURE_WORDS[reason].message} ${FAILURE_WORDS[reason].suggestion}`, playerFailure: reason });
      void session.reportMediaFailure(sourceId, reason);
    };
    createPlayer(sourceType, sourceId, video, youtubeHost, session.code)
      .then((p) => {
        if (cancelled) return p.destroy();
        created = p;
        setPlayer(p);
        session.attachPlayer(p);
        // It plays, but nobody can jump in it: say so here and tell the room, without stopping it.
        if (p.kind === "html5" && cannotSeek(video)) {
          pushNotice(`${FAILURE_WORDS.not_seekable.message} ${FAILURE_WORDS.not_seekable.suggestion}`, "error");
          void session.reportMediaFailure(sourceId, "not_seekable");
        }
        p.on("error", () => {
          if (p instanceof YouTubePlayer) {
            // YouTube words its own errors; the room hears of them all the same.
            if (p.lastError) useRoomStore.setState({ playerError: p.lastError });
            void session.reportMediaFailure(sourceId, youtubeFailure(p.lastErrorCode));
          } else if (video.error) void failed(elementError(video));
        });
      })
      .catch(async (error: unknown) => {
        if (cancelled) return;
        if (error instanceof MediaLoadError) await failed(error);
        else useRoomStore.setState({ playerError: error instanceof Error ? error.message : "The video could not be loaded." });
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
      session.detachPlayer();
      setPlayer(null);
      created?.destroy();
      youtubeHost.replaceChildren();
    };
  }, [session, sourceType, sourceId, videoRef]);

  useEffect(() => {
    player?.setMuted(muted);
    player?.setVolume(volume);
  }, [player, muted, volume]);

  // Tell the room when this player stalls and recovers: it may pause for everyone to wait.
  // It samples the engine, not the <video>'s events: a page starved from the start never fires `waiting`.
  useEffect(() => {
    const reporter = new BufferingReporter({
      engine: session.engine,
      playerFailed: () => useRoomStore.getState().playerError !== null,
      report: (stalled) => session.reportBuffering(stalled),
    });
    return () => reporter.stop();
  }, [session]);

  return (
    <div ref={stageRef} className={`@container relative aspect-video w-full overflow-hidden rounded-3xl border border-white/10 bg-black shadow-2xl shadow-black/50 [&:fullscreen]:rounded-none [&:fullscreen]:border-0 ${className}`} data-testid="stage">
      <video
        ref={videoRef}
        className={`absolute inset-0 size-full ${kind === "youtube" ? "hidden" : ""}`}
        playsInline
        preload="auto"
        // The room's controls are the only controls: native ones would fork the timeline.
        // Picture-in-picture is fine: the floating window shows this same element, still in step.
        controls={false}
        data-testid="video"
      />
      <div ref={youtubeRef} className={`absolute inset-0 size-full ${kind === "youtube" ? "" : "hidden"}`} data-testid="youtube-host" />
      {kind !== "youtube" && <SubtitleOverlay videoRef={videoRef} url={player ? shownSubtitles : null} />}

      {!sourceType && (
        <div className="absolute inset-0 grid place-items-center bg-gradient-to-br from-sky-400/10 via-transparent to-violet-400/10 p-6 text-center">
          <div>
            <p className="text-lg font-semibold">Nothing playing yet</p>
            <p className="mt-1 text-sm text-muted">{canChooseSource ? "Paste a YouTube link or a video URL below, or upload a file." : "The video starts as soon as the owner picks one."}</p>
          </div>
        </div>
      )}
      {loading && !playerError && (
        <div className="absolute inset-0 grid place-items-center bg-black/40" role="status">
          <p className="glass-strong px-4 py-2 text-sm">Loading video…</p>
        </div>
      )}
      {playerError && (
        <div className="absolute inset-0 grid place-items-center bg-black/60 p-6" role="alert">
          {playerFailure ? (
            <div className="glass-strong max-w-md px-5 py-3 text-center text-sm" data-testid="player-error" data-reason={playerFailure}>
              <p className="font-medium">{FAILURE_WORDS[playerFailure].message}</p>
              <p className="mt-1 text-muted">{canChooseSource ? FAILURE_WORDS[playerFailure].suggestion : "The room has been told, so whoever picks the video can choose another."}</p>
            </div>
          ) : (
            <p className="glass-strong max-w-md px-5 py-3 text-center text-sm" data-testid="player-error">
              {playerError}
            </p>
          )}
        </div>
      )}
      {needsGesture && (
        <div className="absolute inset-0 grid place-items-center bg-black/50">
          <button type="button" className="btn btn-primary text-base" onClick={() => session.userGesture()} data-testid="start-playback">
            Join playback
          </button>
        </div>
      )}
      <WaitingOverlay />
      <EndOverlay session={session} canControl={canChooseSource} />
      <ReactionLayer session={session} />
      <CountdownOverlay session={session} />
    </div>
  );
}
