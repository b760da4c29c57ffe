import type { ReactNode } from "react";

export function Alert({ children, tone = "error" }: { children: ReactNode; tone?: "error" | "info" | "ok" }) {
  const colours = {
    error: "border-rose-300/40 bg-rose-500/15 text-rose-100",
    info: "border-sky-300/40 bg-sky-500/15 text-sky-50",
    ok: "border-emerald-300/40 bg-emerald-500/15 text-emerald-50",
  }[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-xl border px-4 py-3 text-sm ${colours}`}>
      {children}
    </div>
  );
}
