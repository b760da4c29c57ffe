import { useState } from "react";
import { Alert } from "../ui/Alert";
import { CreateRoomCard } from "./CreateRoomCard";
import { GuestCard } from "./GuestCard";
import { JoinCard } from "./JoinCard";
import { MyRoomsCard } from "./MyRoomsCard";

const FEATURES = [
  { title: "In sync, not roughly", text: "Everyone sees the same frame at the same moment; drift is corrected quietly while you watch." },
  { title: "Your video, your way", text: "Upload a file, paste a YouTube link, or use a direct .mp4 or .m3u8 URL." },
  { title: "Talk while you watch", text: "Text chat and voice for up to five friends, with push-to-talk when it gets loud." },
];

export function HomePage() {
  // Set by the account page after a deletion: say it happened, once.
  const [deleted] = useState(() => new URLSearchParams(window.location.search).get("deleted") === "1");
  return (
    <main id="main" className="mx-auto w-full max-w-6xl px-4 pb-16 sm:px-6">
      {deleted && (
        <div className="pt-4">
          <Alert tone="ok">
            <span data-testid="account-deleted">Your account and its data were deleted.</span>
          </Alert>
        </div>
      )}
      <section className="rise py-10 sm:py-16">
        <p className="text-sm font-semibold uppercase tracking-[0.2em] text-accent">Watch together</p>
        <h1 className="mt-3 max-w-3xl text-4xl font-bold leading-tight tracking-tight sm:text-6xl">
          One video. Five friends.{" "}
          <span className="bg-gradient-to-r from-sky-300 to-violet-300 bg-clip-text text-transparent">Perfect sync.</span>
        </h1>
        <p className="mt-5 max-w-2xl text-lg text-muted">
          SyncWatch opens a private room where up to five people watch the same video at the same instant, and talk about it in text or voice. Share a link, press play, everyone's there.
        </p>
      </section>

      <MyRoomsCard />
      <div className="grid gap-6 lg:grid-cols-2">
        <CreateRoomCard />
        <JoinCard />
      </div>
      <div className="mt-6">
        <GuestCard />
      </div>

      <section aria-labelledby="features-title" className="mt-14">
        <h2 id="features-title" className="sr-only">
          What you get
        </h2>
        <ul className="grid gap-4 sm:grid-cols-3">
          {FEATURES.map((f) => (
            <li key={f.title} className="glass-strong p-5">
              <h3 className="font-semibold">{f.title}</h3>
              <p className="mt-1.5 text-sm text-muted">{f.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
