import { useState } from "react";
import { inviteLink } from "../app/routes";

export function InviteLink({ code }: { code: string }) {
  const link = inviteLink(window.location.origin, code);
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (insecure context): the field is selectable instead.
    }
  }

  return (
    <div>
      <label htmlFor="invite-link" className="label">
        Invite link
      </label>
      <div className="flex gap-2">
        <input id="invite-link" className="field font-mono text-sm" readOnly value={link} onFocus={(e) => e.target.select()} data-testid="invite-link" />
        <button type="button" className="btn btn-glass shrink-0" onClick={() => void copy()} data-testid="copy-invite">
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="sr-only" aria-live="polite">
        {copied ? "Invite link copied" : ""}
      </p>
    </div>
  );
}
