"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { apiError } from "@/lib/push/browser";

/** What one follower receives for one patient. Critical alarms are not a choice (safety rule 5). */
export function PreferencesForm({ patientId, who, warnings, info }: { patientId: string; who: string; warnings: boolean; info: boolean }) {
  const [w, setW] = useState(warnings);
  const [i, setI] = useState(info);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "danger" | "success"; text: string } | null>(null);
  const id = (s: string) => `pref-${patientId}-${s}`;

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/alarms/preferences", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ patientId, warnings: w, info: i }) });
      setMessage(res.ok ? { tone: "success", text: "Saved." } : { tone: "danger", text: await apiError(res) });
    } catch {
      setMessage({ tone: "danger", text: "No connection: nothing was saved." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} className="flex flex-col gap-3 rounded-xl border border-slate-200 p-4" data-testid="preferences" data-patient-id={patientId}>
      <fieldset className="flex flex-col gap-2">
        <legend className="text-lg font-semibold">{who}</legend>
        <label className="flex min-h-12 items-center gap-3 text-base">
          <input type="checkbox" checked disabled className="h-6 w-6" aria-describedby={id("critical-hint")} />
          Critical alarms (always on)
        </label>
        <p id={id("critical-hint")} className="-mt-2 pl-9 text-sm text-muted">
          Pump stopped, reservoir empty, battery at end of service, bolus outside the limits: these repeat every few minutes until someone acknowledges and cannot be turned off.
        </p>
        <label className="flex min-h-12 items-center gap-3 text-base">
          <input id={id("warnings")} type="checkbox" checked={w} onChange={(e) => setW(e.target.checked)} className="h-6 w-6" />
          Warnings (reservoir low, battery due, refill at risk or missed, no recent pump data)
        </label>
        <label className="flex min-h-12 items-center gap-3 text-base">
          <input id={id("info")} type="checkbox" checked={i} onChange={(e) => setI(e.target.checked)} className="h-6 w-6" />
          Information (a bolus was delivered)
        </label>
      </fieldset>
      <div>
        <Button type="submit" disabled={busy}>
          Save for {who}
        </Button>
      </div>
      {message ? (
        <p data-alert={message.tone} role={message.tone === "danger" ? "alert" : "status"} className={`font-medium ${message.tone === "danger" ? "text-red-800" : "text-emerald-900"}`}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
