import { useState, type FormEvent } from "react";
import { describeError } from "../api/problem";
import { navigate } from "../app/navigation";
import { api, forgetSession } from "../store/session";
import { Alert } from "../ui/Alert";
import { Field } from "../ui/Field";
import { exportFileName } from "./lastSeen";

/** Export everything the server keeps about the account, or delete the account. */
export function DataCard({ username }: { username: string }) {
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState("");
  const [typed, setTyped] = useState("");
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();

  async function download() {
    setExporting(true);
    setExportError(undefined);
    try {
      const data = await api.exportMyData();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = exportFileName(username, Date.now());
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(describeError(err));
    } finally {
      setExporting(false);
    }
  }

  async function remove(event: FormEvent) {
    event.preventDefault();
    if (typed !== username) return setDeleteError(`Type your username, ${username}, to confirm.`);
    if (!password) return setDeleteError("Enter your password.");
    setDeleting(true);
    setDeleteError(undefined);
    try {
      await api.deleteAccount(password);
      forgetSession();
      navigate("/?deleted=1", { replace: true });
    } catch (err) {
      setDeleteError(describeError(err));
      setDeleting(false);
    }
  }

  return (
    <section className="glass p-5 sm:p-6" aria-labelledby="data-title">
      <h2 id="data-title" className="text-lg font-semibold">
        Your data
      </h2>
      <p className="mt-1 text-sm text-muted">
        Download everything SyncWatch keeps about you as a JSON file: your account, sessions, rooms, chat messages, friends, uploads and security events.
      </p>
      <div className="mt-4 flex flex-wrap gap-2">
        <button type="button" className="btn btn-glass" onClick={() => void download()} disabled={exporting} data-testid="export-data">
          {exporting ? "Preparing…" : "Export my data"}
        </button>
        {!confirming && (
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)} data-testid="delete-account">
            Delete my account…
          </button>
        )}
      </div>
      {exportError && (
        <div className="mt-4">
          <Alert>{exportError}</Alert>
        </div>
      )}
      {confirming && (
        <form onSubmit={remove} className="mt-5 grid gap-4 rounded-xl border border-rose-300/30 bg-rose-500/10 p-4 sm:grid-cols-2" noValidate>
          <p className="text-sm sm:col-span-2">
            Deleting your account removes your profile, sessions, friends, uploads, the rooms you own and your chat messages, and signs you out everywhere. It cannot be undone. The security
            record of what happened to the account (sign-ins, changes) is kept until its retention period ends.
          </p>
          <Field label={`Type ${username} to confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" data-testid="delete-confirm-name" />
          <Field label="Your password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="delete-password" />
          {deleteError && (
            <div className="sm:col-span-2">
              <Alert>{deleteError}</Alert>
            </div>
          )}
          <div className="flex gap-2 sm:col-span-2">
            <button type="submit" className="btn btn-danger" disabled={deleting} data-testid="delete-submit">
              {deleting ? "Deleting…" : "Delete my account for good"}
            </button>
            <button type="button" className="btn btn-glass" onClick={() => setConfirming(false)} disabled={deleting}>
              Keep my account
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
