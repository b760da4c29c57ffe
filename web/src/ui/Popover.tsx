/**
 * A button that opens a floating glass panel. The panel closes on Escape (focus
 * goes back to the button), on a click or tap anywhere outside it, and when its
 * content calls `close()`. One component for every header and toolbar popover
 * (invite, people, voice settings, room settings). On a phone it opens as a
 * sheet along the bottom of the screen (rendered into <body>, since a glass
 * ancestor's backdrop filter would otherwise trap a fixed panel inside itself).
 */
import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { createPortal } from "react-dom";

/** Below Tailwind's `sm`, a popover is a sheet along the bottom of the screen. */
const SHEET_QUERY = "(max-width: 639px)";

function subscribeSheet(onChange: () => void): () => void {
  const query = window.matchMedia(SHEET_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

function useSheet(): boolean {
  return useSyncExternalStore(subscribeSheet, () => window.matchMedia(SHEET_QUERY).matches, () => false);
}

interface PopoverProps {
  /** What the button shows. */
  label: ReactNode;
  /** The button's accessible name when `label` is an icon. */
  ariaLabel?: string;
  buttonClassName?: string;
  /** Extra classes for the panel (its width, mostly). */
  panelClassName?: string;
  align?: "left" | "right";
  /** Open above the button (for toolbars at the bottom of the screen). */
  above?: boolean;
  testId: string;
  children: (close: () => void) => ReactNode;
}

export function Popover({ label, ariaLabel, buttonClassName = "btn btn-glass", panelClassName = "w-[min(90vw,24rem)]", align = "right", above = false, testId, children }: PopoverProps) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const sheet = useSheet();
  const panelId = useId();
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!box.current?.contains(target) && !panel.current?.contains(target)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const side = align === "right" ? "right-0" : "left-0";
  const name = ariaLabel ?? (typeof label === "string" ? label : undefined);
  const vertical = above ? "bottom-full mb-2" : "top-full mt-2";
  return (
    <div className="relative" ref={box}>
      <button
        ref={button}
        type="button"
        className={buttonClassName}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={ariaLabel}
        onClick={() => setOpen((was) => !was)}
        data-testid={testId}
      >
        {label}
      </button>
      {open &&
        (sheet
          ? createPortal(
              <div
                ref={panel}
                id={panelId}
                role="dialog"
                aria-label={name}
                className="glass-strong pop popover-panel fixed inset-x-3 bottom-3 z-50 max-h-[70dvh] overflow-y-auto p-4"
                data-testid={`${testId}-panel`}
              >
                {children(close)}
              </div>,
              document.body,
            )
          : (
              <div ref={panel} id={panelId} role="dialog" aria-label={name} className={`glass-strong pop popover-panel absolute z-40 ${side} ${vertical} p-4 ${panelClassName}`} data-testid={`${testId}-panel`}>
                {children(close)}
              </div>
            ))}
    </div>
  );
}
