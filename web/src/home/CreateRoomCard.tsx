import { useState } from "react";
import type { Room } from "../api/types";
import { roomPath } from "../app/routes";
import { navigate } from "../app/navigation";
import { useSession } from "../store/session";
import { Link } from "../ui/Link";
import { CreateRoomForm } from "./CreateRoomForm";
import { InviteLink } from "./InviteLink";

/** Creating a room needs a registered account (the API refuses guests). */
export function CreateRoomCard() {
  const { status, user } = useSession();
  const [created, setCreated] = useState<Room | null>(null);
  const canCreate = status === "authenticated" && user && !user.guest;

  return (
    <section aria-labelledby="create-title" className="glass rise p-6 sm:p-8">
      <h2 id="create-title" className="text-xl font-semibold">
        Create a room
      </h2>
      <p className="mt-1 text-sm text-muted">Up to five seats, an optional password, and who may press play.</p>
      <div className="mt-5">
        {created ? (
          <div className="space-y-4">
            <InviteLink code={created.code} />
            <button type="button" className="btn btn-primary w-full" onClick={() => navigate(roomPath(created.code))} data-testid="enter-room">
              Enter the room
            </button>
          </div>
        ) : canCreate ? (
          <CreateRoomForm onCreated={setCreated} />
        ) : (
          <div className="space-y-3">
            <p className="text-sm text-muted">
              {user?.guest ? "Guests can join rooms; creating one needs an account." : "Sign in to create a room and invite your friends."}
            </p>
            <div className="flex flex-wrap gap-2">
              <Link href="/register?next=/" className="btn btn-primary" data-testid="create-signup">
                Create a room
              </Link>
              <Link href="/login?next=/" className="btn btn-glass">
                I have an account
              </Link>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
