import { useEffect, useRef, useState } from "react";
import { describeError } from "../api/problem";
import { checkUploadFile, startUpload, type UploadHandle } from "../api/upload";
import { api, freshAccessToken } from "../store/session";
import type { RoomSession } from "./roomSession";
import { trackFromUpload } from "./subtitles";

/** How often to ask whether the transcode is done. */
const STATUS_POLL_MS = 2_000;

type Stage =
  | { kind: "idle" }
  | { kind: "uploading"; fraction: number; paused: boolean }
  | { kind: "processing"; progress: number }
  | { kind: "error"; message: string };

export function UploadButton({ session }: { session: RoomSession }) {
  const input = useRef<HTMLInputElement>(null);
  const handle = useRef<UploadHandle | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: "idle" });

  useEffect(() => () => handle.current?.abort(), []);

  async function upload(file: File) {
    const problem = checkUploadFile(file);
    if (problem) return setStage({ kind: "error", message: `${problem} Paste a link instead, or choose another file.` });
    setStage({ kind: "uploading", fraction: 0, paused: false });
    try {
      handle.current = await startUpload(file, session.code, {
        getToken: freshAccessToken,
        onProgress: (fraction) => setStage((stage) => ({ kind: "uploading", fraction, paused: stage.kind === "uploading" && stage.paused })),
      });
      const videoId = await handle.current.done;
      handle.current = null;
      setStage({ kind: "processing", progress: 0 });
      for (;;) {
        const status = await api.videoStatus(videoId);
        if (status.status === "ready") break;
        if (status.status === "failed") throw new Error(status.error || "The server couldn't process this video.");
        setStage({ kind: "processing", progress: status.progress });
        await new Promise((r) => setTimeout(r, STATUS_POLL_MS));
      }
      // The file's own subtitle tracks come with it (an empty list if it has none).
      const subtitles = await api.videoSubtitles(videoId).catch(() => []);
      await session.setSource({ sourceType: "upload", sourceId: videoId, subtitles: subtitles.map(trackFromUpload) });
      setStage({ kind: "idle" });
    } catch (error) {
      setStage({ kind: "error", message: error instanceof Error && !("problem" in error) ? error.message : describeError(error) });
    }
  }

  const busy = stage.kind === "uploading" || stage.kind === "processing";
  return (
    <div className="mt-3">
      <input
        ref={input}
        type="file"
        accept="video/*"
        aria-label="Video file to upload"
        className="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void upload(file);
        }}
        data-testid="upload-input"
      />
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn btn-glass" disabled={busy} onClick={() => input.current?.click()} data-testid="upload-button">
          Upload a video file
        </button>
        {stage.kind === "uploading" && <Progress label={stage.paused ? "Paused" : "Uploading"} value={stage.fraction * 100} />}
        {stage.kind === "processing" && <Progress label="Preparing for streaming" value={stage.progress} />}
        {stage.kind === "uploading" && (
          <button
            type="button"
            className="btn btn-glass"
            onClick={() => {
              if (stage.paused) handle.current?.resume();
              else handle.current?.pause();
              setStage({ ...stage, paused: !stage.paused });
            }}
            data-testid="upload-pause"
          >
            {stage.paused ? "Resume" : "Pause"}
          </button>
        )}
        {busy && (
          <button
            type="button"
            className="text-sm text-muted underline underline-offset-4"
            onClick={() => {
              handle.current?.abort();
              setStage({ kind: "idle" });
            }}
          >
            Cancel
          </button>
        )}
      </div>
      {stage.kind === "error" && (
        <p className="field-error" role="alert" data-testid="upload-error">
          {stage.message}
        </p>
      )}
    </div>
  );
}

function Progress({ label, value }: { label: string; value: number }) {
  return (
    <div className="flex min-w-48 flex-1 items-center gap-2 text-sm text-muted" data-testid="upload-progress">
      <span>{label}</span>
      <progress className="h-2 flex-1 overflow-hidden rounded-full accent-sky-300" max={100} value={value} aria-label={label} />
      <span className="w-10 text-right font-mono">{Math.round(value)}%</span>
    </div>
  );
}
