/**
 * Turning an HTTP failure into something a person can read. Pure.
 */
import type { FieldErrorEntry, Problem } from "./types";

export class ApiError extends Error {
  readonly problem: Problem;
  /** Seconds from `Retry-After`, when the server sent one. */
  readonly retryAfterS: number | null;

  constructor(problem: Problem, retryAfterS: number | null = null) {
    super(problem.detail || problem.title || problem.code);
    this.name = "ApiError";
    this.problem = problem;
    this.retryAfterS = retryAfterS;
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Builds a Problem from whatever body came back (problem+json, other JSON, or nothing). */
export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const code = typeof b.code === "string" ? b.code : fallbackCode(status);
    return {
      status,
      code,
      type: typeof b.type === "string" ? b.type : undefined,
      title: typeof b.title === "string" ? b.title : undefined,
      detail: typeof b.detail === "string" ? b.detail : undefined,
      errors: Array.isArray(b.errors) ? (b.errors as FieldErrorEntry[]) : undefined,
      reason: typeof b.reason === "string" ? b.reason : undefined,
    };
  }
  return { status, code: fallbackCode(status) };
}

function fallbackCode(status: number): string {
  if (status === 0) return "network_error";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 422) return "validation_error";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "bad_request";
}

/** Field name → first message, for showing 422 errors under their inputs. */
export function fieldErrors(problem: Problem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of problem.errors ?? []) {
    const loc = entry.loc?.filter((part) => part !== "body");
    const field = entry.field ?? entry.name ?? (loc && loc.length ? String(loc[loc.length - 1]) : "");
    const message = entry.message ?? entry.msg ?? entry.detail ?? "Invalid value";
    if (field && !(field in out)) out[field] = message;
  }
  return out;
}

const MESSAGES: Record<string, string> = {
  network_error: "Can't reach the server. Check your connection and try again.",
  server_error: "Something went wrong on our side. Please try again in a moment.",
  invalid_credentials: "That login and password don't match.",
  email_taken: "An account with this email already exists.",
  username_taken: "This username is taken. Try another one.",
  validation_error: "Some fields need fixing.",
  unauthorized: "Please sign in first.",
  invalid_token: "Your session has expired. Please sign in again.",
  token_reused: "Your session was ended for safety. Please sign in again.",
  room_not_found: "This room doesn't exist or has expired.",
  not_found: "Not found.",
  wrong_password: "Wrong room password.",
  room_full: "This room is full.",
  not_owner: "Only the room owner can do that.",
  forbidden: "You're not allowed to do that.",
  too_large: "That file is larger than 8 GB, the upload limit.",
  unsupported_format: "That file isn't a video format we can read.",
  not_ready: "The video is still being prepared.",
  wrong_current_password: "That isn't your current password.",
  guest_account: "Guests have no account. Sign up to have one.",
  session_not_found: "That session has already ended.",
  source_forbidden: "Only people who may change this room's video can upload to it.",
  invalid_reset_link: "This reset link is not valid any more. Ask for a new one.",
};

export function describeProblem(problem: Problem, retryAfterS: number | null = null): string {
  if (problem.code === "rate_limited") {
    const wait = retryAfterS ? ` Try again in ${formatWait(retryAfterS)}.` : " Please wait a while and try again.";
    return `Too many attempts.${wait}`;
  }
  return MESSAGES[problem.code] ?? problem.detail ?? problem.title ?? "Something went wrong.";
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return describeProblem(error.problem, error.retryAfterS);
  return MESSAGES.network_error!;
}

/** A wait in words: seconds up to a minute and a half, minutes beyond. */
export function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
