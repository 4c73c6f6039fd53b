"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SNOOZE_MINUTES, type AlarmSeverity } from "@/lib/alarms/catalogue";

const SNOOZE_LABEL: Record<(typeof SNOOZE_MINUTES)[number], string> = { 30: "30 minutes", 60: "1 hour", 240: "4 hours", 720: "12 hours" };

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `The server answered ${res.status}.`;
  } catch {
    return `The server answered ${res.status}.`;
  }
}

/** Acknowledge (for everyone) and, for warnings, snooze (for me only). */
export function AlarmActions({ alarmId, severity, state, snoozedUntil, headline }: { alarmId: string; severity: AlarmSeverity; state: "active" | "acknowledged" | "resolved"; snoozedUntil: string | null; headline: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [minutes, setMinutes] = useState<number>(60);
  if (state !== "active") return null;

  async function call(path: string, init: RequestInit, success: string) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const res = await fetch(path, { ...init, credentials: "same-origin" });
      if (!res.ok) {
        setError(await errorText(res));
        return;
      }
      setDone(success);
      router.refresh();
    } catch {
      setError("No connection: nothing was changed. Try again when you are back online.");
    } finally {
      setBusy(false);
    }
  }

  const snoozeId = `snooze-${alarmId}`;
  return (
    <div className="mt-3 flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <Button type="button" disabled={busy} onClick={() => call(`/api/alarms/${alarmId}/ack`, { method: "POST" }, "Acknowledged. Reminders have stopped for everyone.")} aria-label={`Acknowledge: ${headline}`}>
          Acknowledge
        </Button>
        {severity === "warning" ? (
          snoozedUntil ? (
            <Button type="button" variant="secondary" disabled={busy} onClick={() => call(`/api/alarms/${alarmId}/snooze`, { method: "DELETE" }, "Snooze cancelled.")}>
              Cancel my snooze
            </Button>
          ) : (
            <div className="flex flex-wrap items-end gap-2">
              <div className="flex flex-col gap-1">
                <label htmlFor={snoozeId} className="text-sm font-medium">
                  Snooze reminders for me for
                </label>
                <select id={snoozeId} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} className="min-h-12 rounded-xl border-2 border-slate-400 bg-white px-3 text-base">
                  {SNOOZE_MINUTES.map((m) => (
                    <option key={m} value={m}>
                      {SNOOZE_LABEL[m]}
                    </option>
                  ))}
                </select>
              </div>
              <Button
                type="button"
                variant="secondary"
                disabled={busy}
                onClick={() => call(`/api/alarms/${alarmId}/snooze`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ minutes }) }, "Snoozed for you only. Others still get reminders.")}
              >
                Snooze
              </Button>
            </div>
          )
        ) : null}
      </div>
      {severity === "critical" ? <p className="text-sm text-muted">Critical alarms cannot be snoozed: they repeat every few minutes for everyone until someone acknowledges.</p> : null}
      {error ? (
        <p data-alert="danger" role="alert" className="text-base font-medium text-red-800">
          {error}
        </p>
      ) : null}
      {done ? (
        <p data-alert="success" role="status" className="text-base font-medium text-emerald-900">
          {done}
        </p>
      ) : null}
    </div>
  );
}
