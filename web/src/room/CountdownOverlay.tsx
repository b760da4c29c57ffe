import { useEffect } from "react";
import { useRoomStore } from "../store/room";
import { countdownStep } from "../sync/playback";
import type { RoomSession } from "./roomSession";
import { useTicker } from "./useTicker";

/** 3 · 2 · 1 · GO, derived from server time so every screen flips together. */
export function CountdownOverlay({ session }: { session: RoomSession }) {
  const countdown = useRoomStore((s) => s.countdown);
  useTicker(100, countdown !== null);
  const step = countdown ? countdownStep(session.engine.serverNow(), countdown.serverStartTime, countdown.durationMs) : null;

  useEffect(() => {
    if (countdown && step === null) useRoomStore.setState({ countdown: null });
  }, [countdown, step]);

  if (!countdown || step === null) return null;
  return (
    <div className="pointer-events-none absolute inset-0 grid place-items-center bg-black/30" data-testid="countdown">
      <span key={String(step)} className="rise text-8xl font-black tracking-tight text-white drop-shadow-[0_4px_30px_rgba(56,189,248,0.6)]" aria-live="assertive">
        {step}
      </span>
    </div>
  );
}
