/**
 * A button that opens a floating glass panel. The panel closes on Escape (focus
 * goes back to the button), on a click or tap anywhere outside it, and when its
 * content calls `close()`. One component for every header and toolbar popover
 * (invite, people, voice settings, room settings).
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";

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
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
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
      {open && (
        <div id={panelId} role="dialog" aria-label={ariaLabel ?? (typeof label === "string" ? label : undefined)} className={`glass-strong pop absolute z-40 bg-slate-950/90 ${side} ${vertical} p-4 ${panelClassName}`} data-testid={`${testId}-panel`}>
          {children(close)}
        </div>
      )}
    </div>
  );
}
