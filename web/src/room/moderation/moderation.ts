/**
 * Moderation in the room (docs/protocol.md "Moderation", "Who may join"): what
 * the server says about mutes, shadow mutes, the room-wide voice mute and the
 * automod, kept in a small store of its own, and the owner's and members'
 * requests. It listens to the room's frames through the session's transport, so
 * the session itself only creates it.
 */
import { create } from "zustand";
import type { AutomodSettings, ClientRequests, MuteScope, MutedData, Participant, Privacy, ReportReason, ServerMessage } from "../../api/protocol";
import { pushNotice, useRoomStore } from "../../store/room";
import type { RoomMessageTransport } from "../voice/roomVoiceSignaling";

export interface OwnMute {
  /** Epoch ms when it ends by itself; null: for the rest of the session. */
  until: number | null;
  by: "owner" | "automod";
}

export interface ModerationState {
  /** Your own chat and voice mutes, as the server told you. */
  chat: OwnMute | null;
  voice: OwnMute | null;
  /** Owner only: who is shadow-muted (nobody else ever learns it). */
  shadowMuted: string[];
  /** The automatic moderator's last word to you about your own line (shown under the chat). */
  warning: string | null;
}

export const emptyModeration = (): ModerationState => ({ chat: null, voice: null, shadowMuted: [], warning: null });

export const useModerationStore = create<ModerationState>(emptyModeration);

export const MUTE_DURATIONS: { label: string; durationMs: number | null }[] = [
  { label: "5 minutes", durationMs: 5 * 60_000 },
  { label: "1 hour", durationMs: 60 * 60_000 },
  { label: "This session", durationMs: null },
];

export const REPORT_REASONS: { value: ReportReason; label: string }[] = [
  { value: "harassment", label: "Harassment" },
  { value: "spam", label: "Spam" },
  { value: "inappropriate_content", label: "Inappropriate content" },
  { value: "hate_speech", label: "Hate speech" },
  { value: "impersonation", label: "Impersonation" },
  { value: "other", label: "Something else" },
];

export const PRIVACY_PRESETS: { value: Privacy; label: string; hint: string }[] = [
  { value: "public", label: "Anyone with the link", hint: "Share the link and people come in." },
  { value: "friends_only", label: "Friends only", hint: "Your friends, and people you invite." },
  { value: "private", label: "Private", hint: "Only people you invite." },
  { value: "anonymous", label: "Anonymous", hint: "Generated names, voice through the relay." },
];

function applyMute(state: ModerationState, data: MutedData): ModerationState {
  const mute: OwnMute = { until: data.until ?? null, by: data.by };
  return {
    ...state,
    chat: data.scope === "chat" || data.scope === "both" ? mute : state.chat,
    voice: data.scope === "voice" || data.scope === "both" ? mute : state.voice,
  };
}

function liftMute(state: ModerationState, scope: MuteScope): ModerationState {
  return {
    ...state,
    chat: scope === "chat" || scope === "both" ? null : state.chat,
    voice: scope === "voice" || scope === "both" ? null : state.voice,
  };
}

/** The moderation state after one server frame (pure). */
export function moderationAfter(state: ModerationState, message: ServerMessage): ModerationState {
  switch (message.type) {
    case "welcome":
      return { ...state, shadowMuted: message.data.moderation?.shadowMuted ?? [] };
    case "room:moderation":
      return { ...state, shadowMuted: message.data.shadowMuted };
    case "moderation:muted":
      return applyMute(state, message.data);
    case "moderation:unmuted":
      return liftMute(state, message.data.scope);
    case "moderation:warning":
      return { ...state, warning: message.data.message };
    default:
      return state;
  }
}

/** "for 5 minutes", "until 21:05", "for the rest of this session". */
export function describeMuteEnd(until: number | null, nowMs: number = Date.now()): string {
  if (until === null) return "for the rest of this session";
  const minutes = Math.max(1, Math.round((until - nowMs) / 60_000));
  if (minutes <= 90) return `for ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `until ${new Date(until).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
}

/** What a member is told when muted. */
export function mutedNotice(data: MutedData, nowMs: number = Date.now()): string {
  const what = data.scope === "both" ? "chat and voice" : data.scope;
  const who = data.by === "automod" ? "The automatic moderator" : "The owner";
  return `${who} muted your ${what} ${describeMuteEnd(data.until ?? null, nowMs)}.`;
}

type Request = <K extends keyof ClientRequests>(type: K, data: ClientRequests[K]) => Promise<boolean>;

/** Who may not be heard, from the people list: me (my microphone stays closed) and the others. */
export function voiceModeration(participants: readonly Participant[], myId: string | undefined): { selfMuted: boolean; silencedPeers: string[] } {
  return {
    selfMuted: participants.some((p) => p.participantId === myId && p.voiceMuted === true),
    silencedPeers: participants.filter((p) => p.participantId !== myId && p.voiceMuted === true).map((p) => p.participantId),
  };
}

type VoiceModerationSink = (moderation: { selfMuted: boolean; silencedPeers: string[] }) => void;

export class RoomModeration {
  private readonly unsubscribe: () => void;
  private readonly unwatch: () => void;

  constructor(
    transport: RoomMessageTransport,
    private readonly request: Request,
    applyVoice: VoiceModerationSink = () => undefined,
  ) {
    useModerationStore.setState(emptyModeration());
    this.unsubscribe = transport.onMessage((message) => this.onMessage(message));
    let last = "";
    this.unwatch = useRoomStore.subscribe((state) => {
      const voice = voiceModeration(state.participants, state.you?.participantId);
      const key = JSON.stringify(voice);
      if (key === last) return;
      last = key;
      applyVoice(voice);
    });
  }

  dispose(): void {
    this.unsubscribe();
    this.unwatch();
  }

  private onMessage(message: ServerMessage): void {
    useModerationStore.setState((state) => moderationAfter(state, message));
    switch (message.type) {
      case "room:settings": {
        const settings = message.data;
        // Only the fields moderation owns; the session keeps the rest of `room`.
        useRoomStore.setState((s) =>
          s.room
            ? {
                room: {
                  ...s.room,
                  ...(settings.privacy ? { privacy: settings.privacy } : {}),
                  ...(settings.guestsAllowed !== undefined ? { guestsAllowed: settings.guestsAllowed } : {}),
                  ...(settings.voiceMutedForAll !== undefined ? { voiceMutedForAll: settings.voiceMutedForAll } : {}),
                  ...(settings.automod !== undefined ? { automod: settings.automod } : {}),
                },
              }
            : {},
        );
        break;
      }
      case "moderation:muted":
        // A chat mute is told where it matters, under the chat (ChatMutedNote), and stays
        // there while it lasts; a toast as well would cover the composer on a phone.
        if (message.data.scope !== "chat") pushNotice(mutedNotice(message.data), "error");
        break;
      case "moderation:unmuted":
        pushNotice(message.data.scope === "voice" ? "You can speak again." : message.data.scope === "chat" ? "You can write in the chat again." : "Your mute was lifted.");
        break;
      // moderation:warning is shown under the chat (AutomodWarningNote, from the state), not
      // as a toast that would cover the composer on a phone.
    }
  }

  // ---------------------------------------------------------------- the owner

  mute(participantId: string, scope: MuteScope, durationMs: number | null) {
    return this.request("room:mute", { participantId, scope, ...(durationMs ? { durationMs } : {}) });
  }
  unmute(participantId: string, scope: MuteScope = "both") {
    return this.request("room:unmute", { participantId, scope });
  }
  shadowMute(participantId: string, on: boolean) {
    return on ? this.request("room:shadow_mute", { participantId }) : this.request("room:shadow_unmute", { participantId });
  }
  muteEveryVoice(enabled: boolean) {
    return this.request("room:voice_mute_all", { enabled });
  }
  allowSpeaker(participantId: string, allowed = true) {
    return this.request("room:allow_speaker", { participantId, allowed });
  }
  setAccess(change: { privacy?: Privacy; guestsAllowed?: boolean }) {
    return this.request("room:settings", change);
  }
  setAutomod(change: Partial<AutomodSettings>) {
    return this.request("room:settings", { automod: change });
  }

  // ---------------------------------------------------------------- any member

  raiseHand(raised: boolean) {
    return this.request("room:raise_hand", { raised });
  }
  report(participantId: string, reason: ReportReason, details: string) {
    return this.request("room:report", { participantId, reason, ...(details.trim() ? { details: details.trim() } : {}) });
  }
}
