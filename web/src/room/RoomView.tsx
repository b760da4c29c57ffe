/**
 * The room screen's layout. Wide screens (≥ 1024 px): the player on the left,
 * sized so the picture and its controls always fit the window, with the compact
 * voice bar under it; people and chat at full height on the right. Narrow
 * screens: the player on top, then tabs for chat, people and voice.
 */
import { useCallback, useRef, useState } from "react";
import { useRoomStore } from "../store/room";
import { ChatPanel } from "./ChatPanel";
import { ConnectionBanner } from "./ConnectionBanner";
import { DebugOverlay } from "./DebugOverlay";
import { MediaProgressLine } from "./MediaProgressLine";
import { Notices } from "./Notices";
import { ParticipantsPanel } from "./ParticipantsPanel";
import { canControlPlayback, isOwner } from "./permissions";
import { PlayerControls, toggleFullscreen } from "./PlayerControls";
import { Prompts } from "./Prompts";
import { ReactionBar } from "./ReactionLayer";
import { RoomHeader } from "./RoomHeader";
import type { RoomSession } from "./roomSession";
import { SourceForm } from "./SourceForm";
import { SubtitlesMenu } from "./SubtitlesMenu";
import { TogetherActions, TogetherPrompts } from "./TogetherPrompts";
import { useRoomShortcuts } from "./useRoomShortcuts";
import { useWideLayout } from "./useWideLayout";
import { VideoStage } from "./VideoStage";
import { useViewPrefs, type RoomTab } from "./viewPrefs";
import { VoicePanel } from "./voice/VoicePanel";

/**
 * The player never grows taller than the window leaves it once the header,
 * controls and voice bar are placed: its width follows from that height.
 */
const PLAYER_FITS_WINDOW = "lg:max-w-[calc((100dvh-15.5rem)*16/9)]";

const TABS: { id: RoomTab; label: string }[] = [
  { id: "chat", label: "Chat" },
  { id: "people", label: "People" },
  { id: "voice", label: "Voice" },
];

function RoomTabs({ session }: { session: RoomSession }) {
  const tab = useViewPrefs((s) => s.tab);
  const count = useRoomStore((s) => s.participants.length);
  const inVoice = useRoomStore((s) => s.participants.filter((p) => p.inVoice).length);
  return (
    <div className="flex min-h-[20rem] flex-1 flex-col gap-3">
      <div role="tablist" aria-label="Room" className="glass-strong grid shrink-0 grid-cols-3 gap-1 rounded-full p-1" data-testid="room-tabs">
        {TABS.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`tabpanel-${id}`}
            className={`flex min-h-10 items-center justify-center gap-1.5 rounded-full text-sm font-semibold transition ${tab === id ? "bg-sky-300 text-slate-950" : "text-ink hover:bg-white/10"}`}
            onClick={() => useViewPrefs.setState({ tab: id })}
            onKeyDown={(event) => {
              const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
              if (!step) return;
              const next = TABS[(TABS.findIndex((t) => t.id === tab) + step + TABS.length) % TABS.length]!.id;
              useViewPrefs.setState({ tab: next });
              document.getElementById(`tab-${next}`)?.focus();
            }}
            data-testid={`tab-${id}`}
          >
            {label}
            {id === "people" && <span className="font-mono text-xs opacity-80">{count}</span>}
            {id === "voice" && inVoice > 0 && <span className="size-2 rounded-full bg-emerald-300" aria-label={`${inVoice} in voice`} />}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="flex min-h-0 flex-1 flex-col overflow-y-auto rounded-3xl">
        {tab === "chat" && <ChatPanel session={session} className="flex-1" />}
        {tab === "people" && <ParticipantsPanel session={session} />}
        {tab === "voice" && <VoicePanel session={session} />}
      </div>
    </div>
  );
}

export function RoomView({ session }: { session: RoomSession }) {
  const room = useRoomStore((s) => s.room);
  const you = useRoomStore((s) => s.you);
  const participants = useRoomStore((s) => s.participants);
  const hasSource = useRoomStore((s) => Boolean(s.playback?.sourceType));
  const me = participants.find((p) => p.participantId === you?.participantId) ?? (you ? { ...you, username: "" } : null);
  const owner = isOwner(room, me);
  const canControl = canControlPlayback(room, me);
  const wide = useWideLayout();
  const stageRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const fullscreen = useCallback(() => toggleFullscreen(stageRef.current), []);
  const [choosingSource, setChoosingSource] = useState(false);
  useRoomShortcuts(session, canControl, fullscreen);
  const sourceFormOpen = canControl && (!hasSource || choosingSource);

  const changeVideo = canControl && hasSource && (
    <button type="button" className="btn btn-glass min-h-10 px-4" aria-expanded={sourceFormOpen} aria-controls="source-form" onClick={() => setChoosingSource(!choosingSource)} data-testid="change-video">
      {choosingSource ? "Done" : "Change video"}
    </button>
  );

  const player = (
    <div className={`mx-auto w-full ${PLAYER_FITS_WINDOW}`}>
      <VideoStage session={session} stageRef={stageRef} videoRef={videoRef} canChooseSource={canControl} />
      <PlayerControls
        session={session}
        canControl={canControl}
        isOwner={owner}
        onFullscreen={fullscreen}
        videoRef={videoRef}
        extra={
          <>
            <SubtitlesMenu session={session} canControl={canControl} />
            <TogetherActions session={session} isOwner={owner} canControl={canControl} />
            {changeVideo}
          </>
        }
      />
      {canControl && (
        // Kept mounted while folded away: an upload in progress belongs to it.
        <div id="source-form" className={sourceFormOpen ? "" : "hidden"}>
          <SourceForm session={session} />
        </div>
      )}
      <ReactionBar session={session} />
      <TogetherPrompts session={session} isOwner={owner} />
      <MediaProgressLine />
      <Prompts session={session} />
    </div>
  );

  return (
    <div className="flex h-dvh flex-col overflow-y-auto lg:overflow-hidden" data-layout={wide ? "wide" : "narrow"} data-testid="room-view">
      <ConnectionBanner />
      <RoomHeader session={session} isOwner={owner} />
      {wide ? (
        <main id="main" className="grid min-h-0 flex-1 grid-cols-[minmax(0,1fr)_24rem] gap-4 px-4 pb-4 2xl:grid-cols-[minmax(0,1fr)_27rem]">
          <section aria-label="Player" className="min-h-0 min-w-0 overflow-y-auto pr-1">
            {player}
          </section>
          <aside className="flex min-h-0 min-w-0 flex-col gap-3" aria-label="People and chat">
            <ParticipantsPanel session={session} collapsible />
            {/* Voice as a compact bar beside the picture, never pushed off screen by what
                grows under the player (reactions, prompts, the source form). */}
            <VoicePanel session={session} compact />
            <ChatPanel session={session} className="flex-1" />
          </aside>
        </main>
      ) : (
        <main id="main" className="flex min-h-0 flex-1 flex-col gap-3 px-3 pb-3">
          <section aria-label="Player" className="shrink-0">
            {player}
          </section>
          <RoomTabs session={session} />
        </main>
      )}
      <DebugOverlay session={session} />
      <Notices />
    </div>
  );
}
