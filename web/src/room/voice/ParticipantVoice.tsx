import { useId } from "react";
import { useVoiceStore } from "../../store/voice";
import type { PeerSnapshot } from "../../voice";
import { describePeer, volumePercent, type DotTone } from "./peerStatus";
import type { VoiceSession } from "./voiceSession";

const DOT_COLOURS: Record<DotTone, string> = {
  excellent: "bg-emerald-300",
  good: "bg-lime-300",
  fair: "bg-amber-300",
  poor: "bg-rose-400",
  pending: "bg-white/40",
  failed: "bg-rose-500 ring-2 ring-rose-300/50",
};

/** The voice state of one person in the people list, or null when they (or we) are not in the call. */
export function useParticipantVoice(participantId: string, self: boolean): { speaking: boolean; peer: PeerSnapshot | null; inCall: boolean } {
  const snapshot = useVoiceStore((s) => s.snapshot);
  if (!snapshot) return { speaking: false, peer: null, inCall: false };
  if (self) return { speaking: snapshot.speaking, peer: null, inCall: true };
  const peer = snapshot.peers.find((p) => p.peerId === participantId) ?? null;
  return { speaking: peer?.speaking ?? false, peer, inCall: peer !== null };
}

/** The avatar ring that lights up while someone is heard. */
export function speakingRing(speaking: boolean): string {
  return speaking ? "ring-3 ring-emerald-300 shadow-[0_0_14px_rgb(110_231_183/0.6)]" : "ring-0";
}

/** The quality dot: colour for the eye, the same words as a tooltip and for screen readers. */
export function QualityDot({ peer, name }: { peer: PeerSnapshot; name: string }) {
  const status = describePeer(peer);
  return (
    <span
      role="img"
      tabIndex={0}
      title={status.label}
      aria-label={`Voice with ${name}: ${status.label}`}
      className={`inline-block size-2.5 shrink-0 rounded-full ${DOT_COLOURS[status.tone]}`}
      data-testid="voice-quality"
      data-quality={status.tone}
    />
  );
}

/** Volume 0–200 % and local mute for one person: only this listener hears the difference. */
export function PeerListening({ voice, peer, name }: { voice: VoiceSession; peer: PeerSnapshot; name: string }) {
  const id = useId();
  const percent = volumePercent(peer.volume);
  return (
    <span className="mt-1 flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Volume for {name}
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={200}
        step={5}
        value={percent}
        disabled={peer.muted}
        onChange={(event) => voice.setPeerVolume(peer.peerId, Number(event.target.value) / 100)}
        className="h-5 min-w-0 flex-1 cursor-pointer accent-sky-300 disabled:opacity-40"
        aria-valuetext={`${percent} %`}
        data-testid="voice-peer-volume"
      />
      <span className="w-11 text-right font-mono text-xs text-muted" aria-hidden="true">
        {percent}%
      </span>
      <button
        type="button"
        className={`rounded-full border px-2 py-0.5 text-xs font-semibold ${peer.muted ? "border-rose-300/50 bg-rose-400/20 text-rose-100" : "border-white/20 hover:bg-white/10"}`}
        aria-pressed={peer.muted}
        aria-label={peer.muted ? `Unmute ${name} for me` : `Mute ${name} for me`}
        onClick={() => voice.setPeerMuted(peer.peerId, !peer.muted)}
        data-testid="voice-peer-mute"
      >
        {peer.muted ? "Muted" : "Mute"}
      </button>
    </span>
  );
}
