"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { apiError, currentSubscription } from "@/lib/push/browser";

export interface DeviceRow {
  id: string;
  label: string;
  service: string;
  addedText: string;
  lastDeliveredText: string | null;
  endpoint: string;
}

function serviceName(host: string): string {
  if (host === "fcm.googleapis.com") return "Chrome, Edge or Android push";
  if (host.endsWith("mozilla.com")) return "Firefox push";
  if (host.endsWith("apple.com")) return "Apple push";
  if (host.endsWith("windows.com")) return "Windows push";
  return host;
}

/** Every device that receives this user's alarms, with test and remove. */
export function DeviceList({ devices }: { devices: DeviceRow[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [messages, setMessages] = useState<Record<string, { tone: "danger" | "success"; text: string }>>({});

  async function act(id: string, work: () => Promise<string>) {
    setBusy(id);
    setMessages((m) => ({ ...m, [id]: undefined as never }));
    try {
      const text = await work();
      setMessages((m) => ({ ...m, [id]: { tone: "success", text } }));
      router.refresh();
    } catch (e) {
      setMessages((m) => ({ ...m, [id]: { tone: "danger", text: e instanceof Error ? e.message : String(e) } }));
    } finally {
      setBusy(null);
    }
  }

  if (devices.length === 0) return <p data-testid="no-devices">No devices yet. Turn alarms on above, on each phone or computer that should ring.</p>;
  return (
    <ul className="flex flex-col gap-3" data-testid="devices">
      {devices.map((d) => {
        const message = messages[d.id];
        return (
          <li key={d.id} className="rounded-xl border border-slate-200 p-4" data-device-id={d.id}>
            <p className="text-lg font-semibold">{d.label}</p>
            <p className="text-sm text-muted">
              {serviceName(d.service)} · added {d.addedText} · {d.lastDeliveredText ? `last notification delivered ${d.lastDeliveredText}` : "nothing delivered yet"}
            </p>
            <div className="mt-2 flex flex-wrap gap-3">
              <Button
                type="button"
                variant="secondary"
                disabled={busy !== null}
                onClick={() =>
                  act(d.id, async () => {
                    const res = await fetch("/api/push/test", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ subscriptionId: d.id }) });
                    if (!res.ok) throw new Error(await apiError(res));
                    const body = (await res.json()) as { results: { delivered: boolean; error: string | null }[]; removed: number };
                    if (body.removed) throw new Error("The push service no longer knows this device, so it was removed.");
                    if (!body.results[0]?.delivered) throw new Error(`Not delivered yet (${body.results[0]?.error ?? "no answer"}); it will be retried.`);
                    return "Test sent.";
                  })
                }
              >
                Send test to {d.label}
              </Button>
              <Button
                type="button"
                variant="danger"
                disabled={busy !== null}
                onClick={() =>
                  act(d.id, async () => {
                    if (!window.confirm(`Stop alarms on ${d.label}?`)) return "Kept.";
                    const res = await fetch("/api/push/unsubscribe", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: d.id }) });
                    if (!res.ok) throw new Error(await apiError(res));
                    const mine = await currentSubscription().catch(() => null);
                    if (mine?.endpoint === d.endpoint) await mine.unsubscribe();
                    return "Removed.";
                  })
                }
              >
                Remove {d.label}
              </Button>
            </div>
            {message ? (
              <p data-alert={message.tone} role={message.tone === "danger" ? "alert" : "status"} className={`mt-2 font-medium ${message.tone === "danger" ? "text-red-800" : "text-emerald-900"}`}>
                {message.text}
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
