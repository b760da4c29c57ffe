import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./index.css";
import { App } from "./app/App";
import { startNavigation } from "./app/navigation";
import { restoreSession } from "./store/session";
import { startSocial } from "./store/social";

startNavigation();
void restoreSession();
startSocial();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
