import { useEffect, useState } from "react";
import { useSession } from "../store/session";
import { useRoomStore } from "../store/room";
import { EndedScreen, LoadingScreen, PasswordPrompt } from "./RoomGates";
import { RoomSession } from "./roomSession";
import { RoomView } from "./RoomView";
import { PublicRoomGate } from "./PublicRoomGate";
import { installProbe } from "./testHooks";

function RoomScreen({ code }: { code: string }) {
  const [session, setSession] = useState<RoomSession | null>(null);
  const phase = useRoomStore((s) => s.phase);
  const waitingNote = useRoomStore((s) => s.waitingNote);

  useEffect(() => {
    // The session lives exactly as long as this effect (StrictMode mounts twice:
    // each mount gets its own session and the first one is left cleanly).
    const created = new RoomSession(code);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- publishing the effect-owned session
    setSession(created);
    const uninstall = installProbe(created);
    void created.open();
    return () => {
      uninstall();
      created.leave();
    };
  }, [code]);

  if (!session || phase === "checking") return <LoadingScreen text="Looking for the room…" />;
  if (phase === "needs_password") return <PasswordPrompt session={session} />;
  if (phase === "ended") return <EndedScreen code={code} />;
  if (phase === "connecting") return <LoadingScreen text={waitingNote ?? "Joining the room…"} />;
  return <RoomView session={session} />;
}

export default function RoomPage({ code }: { code: string }) {
  const status = useSession((s) => s.status);
  if (status === "loading") return <LoadingScreen text="Checking who you are…" />;
  if (status === "anonymous") return <PublicRoomGate code={code} />;
  return <RoomScreen code={code} />;
}
