import { useEffect, useId, useState } from "react";
import { useRoomStore } from "../../store/room";
import { effectiveRelayOnly, useVoiceStore } from "../../store/voice";
import { describeBinding, type VoiceMode } from "../../voice";
import { isOwner } from "../permissions";
import type { RoomSession } from "../roomSession";
import type { VoiceSession } from "./voiceSession";
import { Popover } from "../../ui/Popover";

/** The microphone level, sampled ten times a second while `active` (the store is not updated per sample). */
function useMicLevel(voice: VoiceSession, active: boolean): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setLevel(voice.level()), 100);
    return () => clearInterval(timer);
  }, [voice, active]);
  return active ? level : 0;
}

function Toggle({ label, checked, onChange, disabled, hint, testId }: { label: string; checked: boolean; onChange(checked: boolean): void; disabled?: boolean; hint?: string; testId: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-3 py-1">
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="relative mt-0.5 h-6 w-10 shrink-0 cursor-pointer appearance-none rounded-full border border-white/25 bg-white/10 transition-colors duration-150 before:absolute before:top-0.5 before:left-0.5 before:size-4.5 before:rounded-full before:bg-white before:transition-transform before:duration-150 checked:border-sky-300 checked:bg-sky-300 checked:before:translate-x-4 checked:before:bg-slate-950 disabled:cursor-not-allowed disabled:opacity-60 motion-reduce:transition-none motion-reduce:before:transition-none"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        data-testid={testId}
      />
      <label htmlFor={id} className="min-w-0 text-sm">
        {label}
        {hint && (
          <span id={`${id}-hint`} className="block text-xs text-muted">
            {hint}
          </span>
        )}
      </label>
    </div>
  );
}

const MODES: { mode: VoiceMode; label: string }[] = [
  { mode: "push_to_talk", label: "Push to talk" },
  { mode: "voice_activity", label: "Voice activity" },
];

function ModeSwitch({ voice }: { voice: VoiceSession }) {
  const mode = useVoiceStore((s) => s.settings.mode);
  return (
    <fieldset className="mt-3">
      <legend className="sr-only">How the microphone opens</legend>
      <div className="grid grid-cols-2 gap-1 rounded-full border border-white/15 bg-slate-950/30 p-1">
        {MODES.map((option) => (
          <label
            key={option.mode}
            className={`cursor-pointer rounded-full px-3 py-2 text-center text-sm font-semibold transition has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-sky-300 ${
              mode === option.mode ? "bg-sky-300 text-slate-950" : "text-ink hover:bg-white/10"
            }`}
          >
            <input type="radio" name="voice-mode" className="sr-only" value={option.mode} checked={mode === option.mode} onChange={() => voice.setMode(option.mode)} data-testid={`voice-mode-${option.mode}`} />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function PushToTalkSettings({ voice, inCall }: { voice: VoiceSession; inCall: boolean }) {
  const { pttBinding } = useVoiceStore((s) => s.settings);
  const capturing = useVoiceStore((s) => s.capturingBinding);
  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      <span className="text-muted">Talk while holding</span>
      <kbd className="rounded-lg border border-white/25 bg-white/10 px-2 py-0.5 font-mono text-sm" data-testid="voice-ptt-binding">
        {describeBinding(pttBinding)}
      </kbd>
      <button
        type="button"
        className="btn btn-glass ml-auto min-h-9 py-1"
        disabled={!inCall || capturing}
        title={inCall ? undefined : "Join voice to change the key"}
        onClick={() => void voice.capturePTTBinding()}
        data-testid="voice-ptt-remap"
      >
        {capturing ? "Press a key or mouse button…" : "Change"}
      </button>
      <span className="sr-only" aria-live="polite">
        {capturing ? "Press the key or extra mouse button to use for push to talk." : ""}
      </span>
    </div>
  );
}

function VoiceActivitySettings({ voice, inCall }: { voice: VoiceSession; inCall: boolean }) {
  const threshold = useVoiceStore((s) => s.settings.vadThreshold);
  const level = useMicLevel(voice, inCall);
  const id = useId();
  const percent = Math.round(threshold * 100);
  const levelPercent = Math.round(Math.min(1, level) * 100);
  return (
    <div className="mt-3">
      <label htmlFor={id} className="flex justify-between text-sm">
        <span>Sensitivity threshold</span>
        <span className="font-mono text-muted">{percent} %</span>
      </label>
      {/* The live level under the slider shows where speech crosses the threshold. */}
      <div
        role="meter"
        aria-label="Microphone level"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={levelPercent}
        className="relative mt-2 h-2 overflow-hidden rounded-full bg-white/10"
        data-testid="voice-level"
      >
        <div className={`h-full rounded-full transition-[width] duration-100 motion-reduce:transition-none ${level >= threshold ? "bg-emerald-300" : "bg-sky-300/60"}`} style={{ width: `${levelPercent}%` }} />
        <div aria-hidden="true" className="absolute inset-y-0 w-0.5 bg-white" style={{ left: `${percent}%` }} />
      </div>
      <input
        id={id}
        type="range"
        min={0}
        max={100}
        step={1}
        value={percent}
        onChange={(event) => voice.setVadThreshold(Number(event.target.value) / 100)}
        className="mt-1 w-full cursor-pointer accent-sky-300"
        data-testid="voice-vad-threshold"
      />
      {!inCall && <p className="text-xs text-muted">Join voice to see your microphone level.</p>}
    </div>
  );
}

function ProcessingSettings({ voice }: { voice: VoiceSession }) {
  const processing = useVoiceStore((s) => s.settings.processing);
  return (
    <details className="mt-3 rounded-2xl border border-white/10 px-3 py-2">
      <summary className="cursor-pointer text-sm font-semibold">Audio processing</summary>
      <Toggle label="Echo cancellation" checked={processing.echoCancellation} onChange={(on) => void voice.setProcessing({ echoCancellation: on })} testId="voice-echo-cancellation" />
      <Toggle label="Noise suppression" checked={processing.noiseSuppression} onChange={(on) => void voice.setProcessing({ noiseSuppression: on })} testId="voice-noise-suppression" />
      <Toggle label="Automatic gain" checked={processing.autoGainControl} onChange={(on) => void voice.setProcessing({ autoGainControl: on })} testId="voice-auto-gain" />
    </details>
  );
}

function PrivacySettings({ session }: { session: RoomSession }) {
  const voice = session.voice;
  const { settings, roomRelayOnly } = useVoiceStore();
  const room = useRoomStore((s) => s.room);
  const you = useRoomStore((s) => s.you);
  const owner = isOwner(room, you);
  return (
    <div className="mt-3 border-t border-white/10 pt-2">
      <Toggle
        label="Relay only (hide my IP)"
        hint={roomRelayOnly ? "The room owner made voice relay-only for everyone." : "Voice goes through the server's relay, so others never see your address. Can add delay."}
        checked={effectiveRelayOnly({ settings, roomRelayOnly })}
        disabled={roomRelayOnly}
        onChange={(on) => void voice.setUserRelayOnly(on)}
        testId="voice-relay-only"
      />
      {owner && (
        <Toggle
          label="Relay-only voice for everyone"
          hint="Privacy for the whole room: nobody's address is shared with the others."
          checked={room?.voiceRelayOnly === true}
          onChange={(on) => void session.setVoiceRelayOnly(on)}
          testId="voice-room-relay-only"
        />
      )}
    </div>
  );
}

function statusText(status: string, transmitting: boolean, selfMuted: boolean, mode: VoiceMode, binding: string): string {
  if (status === "joining") return "Joining voice…";
  if (status !== "in_call") return "Talk with the room while you watch.";
  if (selfMuted) return "You are muted.";
  if (transmitting) return "Others hear you.";
  return mode === "push_to_talk" ? `Hold ${binding} to talk.` : "Speak to open the microphone.";
}

/** Who is in the call, as names (everyone sees it, in voice or not). */
function InCallNames() {
  const participants = useRoomStore((s) => s.participants);
  const inCall = participants.filter((p) => p.inVoice);
  if (inCall.length === 0) return <span className="text-muted">Nobody in voice yet</span>;
  return (
    <span className="truncate" data-testid="voice-members">
      {inCall.map((p) => p.username).join(", ")}
    </span>
  );
}

function VoiceSettings({ session, inCall }: { session: RoomSession; inCall: boolean }) {
  const voice = session.voice;
  const mode = useVoiceStore((s) => s.settings.mode);
  return (
    <div data-testid="voice-settings">
      <ModeSwitch voice={voice} />
      {mode === "push_to_talk" ? <PushToTalkSettings voice={voice} inCall={inCall} /> : <VoiceActivitySettings voice={voice} inCall={inCall} />}
      <ProcessingSettings voice={voice} />
      <PrivacySettings session={session} />
    </div>
  );
}

const GearIcon = () => (
  <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
  </svg>
);

/**
 * Join or leave the room's voice call, and everything about how this person sounds.
 * `compact` is the one-line bar under the player on wide screens (settings in a
 * popover); otherwise the whole panel, as in the phone's Voice tab.
 */
export function VoicePanel({ session, compact = false, className = "" }: { session: RoomSession; compact?: boolean; className?: string }) {
  const voice = session.voice;
  const { status, snapshot, settings, problem } = useVoiceStore();
  const participants = useRoomStore((s) => s.participants);
  const roomConnected = useRoomStore((s) => s.socketState === "open");
  const problemPeer = problem?.peerId ? participants.find((p) => p.participantId === problem.peerId)?.username : undefined;
  const inCall = status === "in_call";
  const selfMuted = snapshot?.selfMuted ?? false;
  const transmitting = snapshot?.transmitting ?? false;
  const peers = snapshot?.peers.length ?? 0;
  const buttonSize = compact ? "min-h-9 py-1.5" : "flex-1";
  const actions = inCall ? (
    <>
      <button
        type="button"
        className={`btn ${buttonSize} ${selfMuted ? "btn-danger" : "btn-glass"}`}
        aria-pressed={selfMuted}
        onClick={() => voice.setSelfMuted(!selfMuted)}
        data-testid="voice-mute"
      >
        {selfMuted ? "Unmute" : "Mute"}
      </button>
      <button type="button" className={`btn btn-glass ${buttonSize}`} onClick={() => voice.leave()} data-testid="voice-leave">
        Leave voice
      </button>
    </>
  ) : (
    <button
      type="button"
      className={`btn btn-primary ${buttonSize}`}
      disabled={status === "joining" || !roomConnected}
      title={roomConnected ? undefined : "Waiting for the room connection"}
      onClick={() => void session.joinVoice()}
      data-testid="voice-join"
    >
      {status === "joining" ? "Joining…" : "Join voice"}
    </button>
  );
  const problemBox = problem && (
    <div role="alert" className="flex items-start gap-2 rounded-xl border border-rose-300/40 bg-rose-500/15 px-3 py-2 text-sm text-rose-100" data-testid="voice-problem" data-code={problem.code}>
      <span className="flex-1">
        {problemPeer && <strong>{problemPeer}: </strong>}
        {problem.message}
      </span>
      <button type="button" className="rounded-full px-2 text-rose-100 hover:bg-white/10" aria-label="Dismiss" onClick={() => voice.dismissProblem()}>
        ✕
      </button>
    </div>
  );
  const statusLine = (
    <span className="text-muted" aria-live="polite" data-testid="voice-status">
      {statusText(status, transmitting, selfMuted, settings.mode, describeBinding(settings.pttBinding))}
    </span>
  );
  const callBadge = inCall && (
    <span className="flex items-center gap-1.5 font-mono text-xs normal-case" data-testid="voice-in-call">
      <span aria-hidden="true" className={`size-2 rounded-full ${transmitting ? "bg-emerald-300 shadow-[0_0_8px] shadow-emerald-300" : "bg-white/40"}`} />
      {peers === 0 ? "only you" : `${peers + 1} in call`}
    </span>
  );

  if (compact)
    return (
      <section aria-label="Voice" className={`glass-strong px-3 py-2 ${className}`} data-testid="voice-panel">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
          <span className="text-xs font-semibold uppercase tracking-wider text-muted">Voice</span>
          {callBadge}
          <span className="flex min-w-0 flex-1 items-center gap-2">{inCall ? statusLine : <InCallNames />}</span>
          {actions}
          <Popover label={<GearIcon />} ariaLabel="Voice settings" buttonClassName="btn-icon size-9" above panelClassName="w-[min(90vw,24rem)]" testId="voice-settings-toggle">
            {() => <VoiceSettings session={session} inCall={inCall} />}
          </Popover>
        </div>
        {problemBox && <div className="mt-2">{problemBox}</div>}
      </section>
    );

  return (
    <section aria-labelledby="voice-title" className={`glass p-4 ${className}`} data-testid="voice-panel">
      <h2 id="voice-title" className="flex items-center justify-between text-sm font-semibold uppercase tracking-wider text-muted">
        Voice
        {callBadge}
      </h2>
      {problemBox && <div className="mt-3">{problemBox}</div>}
      <p className="mt-2 text-sm">{statusLine}</p>
      <p className="mt-1 flex text-sm">
        <InCallNames />
      </p>
      <div className="mt-3 flex flex-wrap gap-2">{actions}</div>
      <VoiceSettings session={session} inCall={inCall} />
    </section>
  );
}
