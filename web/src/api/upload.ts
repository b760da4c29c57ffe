/**
 * Uploading a video file with tus 1.0.0 (CONTRACT.md §1 `/videos/uploads`),
 * then waiting for the server to transcode it. Resumable: tus remembers the
 * upload by file fingerprint, so a retry after a dropped connection continues
 * from the last acknowledged offset.
 */
import { API_BASE } from "./http";
import { ApiError, toProblem } from "./problem";

/** The server's cap (CONTRACT.md: 413 `too_large` beyond 8 GiB). */
export const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
/** 8 MiB chunks: few round trips, and little to resend after a drop. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Retry delays after a failed chunk (the connection usually comes back quickly). */
const RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000, 20_000];

/** Refuses files the server would refuse, before sending a byte. Pure. */
export function checkUploadFile(file: { size: number; type: string; name: string }): string | null {
  if (file.size === 0) return "That file is empty.";
  if (file.size > MAX_UPLOAD_BYTES) return "That file is larger than 8 GB, the upload limit.";
  const looksLikeVideo = file.type.startsWith("video/") || /\.(mp4|m4v|mov|mkv|webm|avi|ts|mpe?g|wmv|flv|3gp)$/i.test(file.name);
  if (!looksLikeVideo) return "That doesn't look like a video file.";
  return null;
}

/** The video id is the last segment of the upload's Location (`…/videos/uploads/{id}`). */
export function videoIdFromLocation(location: string): string {
  const path = new URL(location, "https://x.invalid").pathname.replace(/\/+$/, "");
  return decodeURIComponent(path.slice(path.lastIndexOf("/") + 1));
}

export interface UploadHandle {
  done: Promise<string>;
  /** Stop sending; what the server has is kept, `resume()` continues from there. */
  pause(): void;
  resume(): void;
  /** Give up and delete the partial upload on the server. */
  abort(): void;
}

/** The server's refusal of a tus request, from its problem+json body when there is one. */
export function uploadRefusal(status: number, body: string | null | undefined): ApiError {
  let parsed: unknown = null;
  try {
    parsed = body ? JSON.parse(body) : null;
  } catch {
    parsed = null;
  }
  if (!parsed || typeof parsed !== "object") {
    parsed = status === 413 ? { code: "too_large" } : status === 415 ? { code: "unsupported_format" } : null;
  }
  return new ApiError(toProblem(status, parsed));
}

export async function startUpload(
  file: File,
  roomCode: string,
  options: { getToken(): Promise<string | null>; onProgress(fraction: number): void },
): Promise<UploadHandle> {
  const { Upload } = await import("tus-js-client");
  let upload: InstanceType<typeof Upload>;
  const done = new Promise<string>((resolve, reject) => {
    upload = new Upload(file, {
      endpoint: `${API_BASE}/videos/uploads`,
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      metadata: { filename: file.name, filetype: file.type, roomCode },
      removeFingerprintOnSuccess: true,
      onBeforeRequest: async (request) => {
        const token = await options.getToken();
        if (token) request.setHeader("Authorization", `Bearer ${token}`);
      },
      onProgress: (sent, total) => options.onProgress(total ? sent / total : 0),
      onError: (error) => {
        const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
        reject(uploadRefusal(response?.getStatus() ?? 0, response?.getBody()));
      },
      onSuccess: () => resolve(videoIdFromLocation(upload.url ?? "")),
    });
    upload
      .findPreviousUploads()
      .then((previous) => {
        if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      })
      .catch(() => upload.start());
  });
  return {
    done,
    pause: () => void upload?.abort(false),
    resume: () => upload?.start(),
    abort: () => void upload?.abort(true),
  };
}
