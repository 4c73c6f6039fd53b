"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { apiError, currentSubscription, pushSupport, subscribeThisDevice, suggestedDeviceLabel, type PushSupport } from "@/lib/push/browser";

type Status = { kind: "checking" } | { kind: "unsupported"; why: PushSupport } | { kind: "off" } | { kind: "on"; endpoint: string; label: string };

const UNSUPPORTED: Record<PushSupport, string> = {
  supported: "",
  "no-service-worker": "This browser cannot receive alarm notifications. Use Chrome, Edge, Firefox or Safari.",
  "no-push": "This browser cannot receive alarm notifications. Use Chrome, Edge, Firefox or Safari.",
  "ios-needs-home-screen": "On iPhone and iPad, alarms arrive only in the installed app: tap Share, then “Add to Home Screen”, open Pump Portal from there and come back to this page.",
};

/** "Enable on this device", test, and turn off — for the browser the user is holding. */
export function ThisDevice({ publicKey, devices }: { publicKey: string | null; devices: { id: string; endpoint: string; label: string }[] }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ kind: "checking" });
  const [label, setLabel] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const why = pushSupport();
      if (why !== "supported") return setStatus({ kind: "unsupported", why });
      setLabel((l) => l || suggestedDeviceLabel());
      const sub = await currentSubscription().catch(() => null);
      const known = sub ? devices.find((d) => d.endpoint === sub.endpoint) : undefined;
      if (!cancelled) setStatus(known && sub && Notification.permission === "granted" ? { kind: "on", endpoint: sub.endpoint, label: known.label } : { kind: "off" });
    })();
    return () => {
      cancelled = true;
    };
  }, [devices]);

  async function run(work: () => Promise<string | null>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const enable = () =>
    run(async () => {
      if (!publicKey) throw new Error("The server has no push keys configured. Ask your administrator.");
      if (!label.trim()) throw new Error("Give this device a name, e.g. “Sam’s phone”.");
      const sub = await subscribeThisDevice(publicKey);
      const res = await fetch("/api/push/subscribe", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...sub.toJSON(), label: label.trim() }) });
      if (!res.ok) throw new Error(await apiError(res));
      setStatus({ kind: "on", endpoint: sub.endpoint, label: label.trim() });
      return "Alarms are on for this device. Send a test notification to check that it arrives.";
    });

  const test = () =>
    run(async () => {
      const id = status.kind === "on" ? devices.find((d) => d.endpoint === status.endpoint)?.id : undefined;
      const res = await fetch("/api/push/test", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(id ? { subscriptionId: id } : {}) });
      if (!res.ok) throw new Error(await apiError(res));
      const body = (await res.json()) as { results: { delivered: boolean; error: string | null }[]; removed: number };
      if (body.removed > 0) throw new Error("The push service no longer knows this device, so it was removed. Turn alarms on again.");
      const r = body.results[0];
      if (!r?.delivered) throw new Error(`The test could not be delivered yet (${r?.error ?? "no answer"}). It will be retried.`);
      return "Test sent. It should appear on this device within a few seconds.";
    });

  const disable = () =>
    run(async () => {
      const sub = await currentSubscription();
      if (sub) {
        const res = await fetch("/api/push/unsubscribe", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ endpoint: sub.endpoint }) });
        if (!res.ok) throw new Error(await apiError(res));
        await sub.unsubscribe();
      }
      setStatus({ kind: "off" });
      return "Alarms are off for this device. Your other devices still receive them.";
    });

  return (
    <div className="flex flex-col gap-3" data-testid="this-device" data-push-status={status.kind}>
      {status.kind === "checking" ? <p>Checking this device…</p> : null}
      {status.kind === "unsupported" ? <p data-alert="warning">{UNSUPPORTED[status.why]}</p> : null}
      {status.kind === "off" ? (
        <>
          <p>Alarms are not turned on for this device.</p>
          <div className="flex flex-col gap-1">
            <label htmlFor="device-label" className="text-base font-medium">
              Name for this device
            </label>
            <input id="device-label" value={label} maxLength={60} onChange={(e) => setLabel(e.target.value)} className="min-h-12 rounded-xl border-2 border-slate-400 bg-white px-4 text-base" />
          </div>
          <div>
            <Button type="button" onClick={enable} disabled={busy}>
              Turn on alarms on this device
            </Button>
          </div>
        </>
      ) : null}
      {status.kind === "on" ? (
        <>
          <p>
            Alarms are on for this device (<strong>{status.label}</strong>).
          </p>
          <div className="flex flex-wrap gap-3">
            <Button type="button" onClick={test} disabled={busy}>
              Send a test notification
            </Button>
            <Button type="button" variant="secondary" onClick={disable} disabled={busy}>
              Turn off on this device
            </Button>
          </div>
        </>
      ) : null}
      {error ? (
        <p data-alert="danger" role="alert" className="font-medium text-red-800">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p data-alert="success" role="status" className="font-medium text-emerald-900">
          {notice}
        </p>
      ) : null}
    </div>
  );
}
