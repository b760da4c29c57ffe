/**
 * The CC button: each viewer picks one of the room's subtitle tracks, or none
 * (a local choice, never sent); people with playback control add tracks for
 * everyone: a `.vtt` link beside a direct URL, an SRT/VTT file beside an upload.
 */
import { useId, useRef, useState, type FormEvent } from "react";
import { describeError } from "../api/problem";
import type { SubtitleTrack } from "../api/protocol";
import { useRoomStore } from "../store/room";
import { api } from "../store/session";
import { SubtitlesIcon } from "../ui/icons";
import { Popover } from "../ui/Popover";
import { usePlayerPrefs } from "./playerPrefs";
import type { RoomSession } from "./roomSession";
import { trackFromLink, trackFromUpload, withTrack } from "./subtitles";

function Choice({ track, chosen }: { track: SubtitleTrack | null; chosen: boolean }) {
  const url = track?.url ?? null;
  return (
    <label className={`flex cursor-pointer items-center gap-3 rounded-xl px-3 py-2 text-sm hover:bg-white/10 ${chosen ? "bg-white/10" : ""}`}>
      <input
        type="radio"
        name="subtitle-track"
        className="size-4 accent-sky-300"
        checked={chosen}
        onChange={() => usePlayerPrefs.setState({ subtitleUrl: url })}
        data-testid={track ? "subtitle-choice" : "subtitle-off"}
      />
      <span className="min-w-0 flex-1 truncate" data-testid="subtitle-label">
        {track ? track.label : "Off"}
      </span>
      {track?.language && <span className="font-mono text-xs uppercase text-muted">{track.language}</span>}
    </label>
  );
}

function AddLink({ session, tracks }: { session: RoomSession; tracks: SubtitleTrack[] }) {
  const [link, setLink] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = trackFromLink(link);
    if ("problem" in result) return setProblem(result.problem);
    setProblem(null);
    if (await session.setSubtitles(withTrack(tracks, result.track))) {
      setLink("");
      usePlayerPrefs.setState({ subtitleUrl: result.track.url });
    }
  }
  return (
    <form onSubmit={submit} className="space-y-2" noValidate>
      <label htmlFor={id} className="text-xs font-semibold uppercase tracking-wider text-muted">
        Add a .vtt link for everyone
      </label>
      <div className="flex gap-2">
        <input id={id} className="field py-2 text-sm" type="url" placeholder="https://…/film.en.vtt" value={link} onChange={(e) => setLink(e.target.value)} data-testid="subtitle-link" />
        <button type="submit" className="btn btn-glass" disabled={!link.trim()} data-testid="subtitle-link-add">
          Add
        </button>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

function AddFile({ session, videoId, tracks }: { session: RoomSession; videoId: string; tracks: SubtitleTrack[] }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function upload(file: File) {
    setBusy(true);
    setProblem(null);
    try {
      const added = trackFromUpload(await api.addSubtitles(videoId, file, { filename: file.name }));
      if (await session.setSubtitles(withTrack(tracks, added))) usePlayerPrefs.setState({ subtitleUrl: added.url });
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="space-y-2">
      <input
        ref={input}
        type="file"
        accept=".srt,.vtt,text/vtt,application/x-subrip"
        className="sr-only"
        tabIndex={-1}
        aria-label="Subtitle file (.srt or .vtt)"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void upload(file);
        }}
        data-testid="subtitle-file"
      />
      <button type="button" className="btn btn-glass w-full" disabled={busy} onClick={() => input.current?.click()} data-testid="subtitle-file-button">
        {busy ? "Adding subtitles…" : "Add an .srt or .vtt file for everyone"}
      </button>
      {problem && (
        <p className="field-error" role="alert" data-testid="subtitle-file-error">
          {problem}
        </p>
      )}
    </div>
  );
}

export function SubtitlesMenu({ session, canControl }: { session: RoomSession; canControl: boolean }) {
  const tracks = useRoomStore((s) => s.subtitles);
  const sourceType = useRoomStore((s) => s.playback?.sourceType ?? null);
  const sourceId = useRoomStore((s) => s.playback?.sourceId ?? null);
  const chosen = usePlayerPrefs((s) => s.subtitleUrl);
  if (!sourceType || sourceType === "youtube" || (tracks.length === 0 && !canControl)) return null;
  const active = tracks.some((t) => t.url === chosen) ? chosen : null;
  return (
    <Popover
      label={<SubtitlesIcon />}
      ariaLabel={active ? "Subtitles (on)" : "Subtitles"}
      buttonClassName={`btn-icon size-10 ${active ? "border-sky-300/70 text-accent" : ""}`}
      align="left"
      above
      panelClassName="w-[min(90vw,22rem)]"
      testId="subtitles-toggle"
    >
      {() => (
        <div className="space-y-3">
          <fieldset>
            <legend className="mb-1 text-xs font-semibold uppercase tracking-wider text-muted">Subtitles (just for you)</legend>
            <Choice track={null} chosen={active === null} />
            {tracks.map((track) => (
              <Choice key={track.url} track={track} chosen={active === track.url} />
            ))}
            {tracks.length === 0 && <p className="px-3 py-1 text-sm text-muted">This video has no subtitles yet.</p>}
          </fieldset>
          {canControl && sourceType === "url" && <AddLink session={session} tracks={tracks} />}
          {canControl && sourceType === "upload" && sourceId && <AddFile session={session} videoId={sourceId} tracks={tracks} />}
        </div>
      )}
    </Popover>
  );
}
