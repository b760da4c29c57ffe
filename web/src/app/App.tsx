import { lazy, Suspense } from "react";
import { AccountPage } from "../account/AccountPage";
import { ResetPasswordPage } from "../account/ResetPasswordPage";
import { HomePage } from "../home/HomePage";
import { LoginPage } from "../auth/LoginPage";
import { RegisterPage } from "../auth/RegisterPage";
import { Backdrop } from "../ui/Backdrop";
import { Header } from "../ui/Header";
import { useRoute } from "./navigation";
import { NotFoundPage } from "./NotFoundPage";
import { FriendsPage } from "../social/FriendsPage";
import { InvitationToasts } from "../social/InvitationToasts";
import { ScheduleGate } from "../social/ScheduleGate";
import { HistoryPage } from "../social/HistoryPage";

// The room (players, sync engine, hls.js) is the heavy part: load it on demand.
const RoomPage = lazy(() => import("../room/RoomPage"));

export function App() {
  const route = useRoute();
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-lg focus:bg-slate-900 focus:px-4 focus:py-2">
        Skip to content
      </a>
      <Backdrop />
      {route.name !== "room" && <Header />}
      {route.name === "home" && <HomePage />}
      {route.name === "login" && <LoginPage next={route.next} />}
      {route.name === "register" && <RegisterPage next={route.next} />}
      {route.name === "account" && <AccountPage />}
      {route.name === "reset_password" && <ResetPasswordPage />}
      {route.name === "room" && (
        <ScheduleGate code={route.code} key={route.code}>
          <Suspense fallback={<p className="p-8 text-center text-muted">Opening the room…</p>}>
            <RoomPage code={route.code} key={route.code} />
          </Suspense>
        </ScheduleGate>
      )}
      {route.name === "friends" && <FriendsPage />}
      {route.name === "history" && <HistoryPage />}
      {route.name === "not_found" && <NotFoundPage />}
      <InvitationToasts />
    </>
  );
}
