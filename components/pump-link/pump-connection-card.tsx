"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { describeAlarmFlags } from "@/lib/pump/alarm-text";
import { formatDateTime, formatRelativeAge } from "@/lib/pump/time";
import { formatVolume } from "@/lib/pump/units";
import { useLinkRuntimePreload, usePumpLink } from "./provider";
import { SimulatedPumpControls } from "./simulated-pump-controls";
import { useNow } from "./use-now";

/** Protocol §8.1: a pump clock off by more than a few minutes is pointed out (never changed silently). */
const CLOCK_SKEW_LIMIT_S = 5 * 60;

function skewText(seconds: number): string {
  const abs = Math.abs(seconds);
  const amount = abs >= 86_400 ? `${Math.round(abs / 8640) / 10} days` : abs >= 3600 ? `${Math.round(abs / 360) / 10} h` : `${Math.round(abs / 60)} min`;
  return `${amount} ${seconds > 0 ? "ahead of" : "behind"}`;
}

/**
 * Connecting the pump: "Connect handheld" (Web Bluetooth) or "Use simulated pump", a plain-words
 * explanation where this browser has no Web Bluetooth, and, once connected, what the pump itself
 * reports, with the time it was read. Used by the Sync and Bolus pages.
 */
export function PumpConnectionCard({ timeZone, title = "Your pump" }: { timeZone: string; title?: string }) {
  const link = usePumpLink();
  useLinkRuntimePreload();
  const now = useNow();
  const [clockBusy, setClockBusy] = useState(false);
  const [clockError, setClockError] = useState<string | null>(null);
  const status = link.deviceStatus;
  const connected = link.state === "connected";
  const bluetoothKnown = link.support.supported || link.support.reason !== "no_browser";

  const setPumpClock = async () => {
    if (!link.client) return;
    setClockBusy(true);
    setClockError(null);
    try {
      await link.client.setTime(Math.floor(Date.now() / 1000));
      await link.refreshStatus();
    } catch (err) {
      setClockError(`The pump's clock was not changed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setClockBusy(false);
    }
  };

  const skew = status && link.statusReadAt ? status.deviceTime - Math.round(link.statusReadAt.getTime() / 1000) : 0;
  const alarms = status ? describeAlarmFlags(status.alarmFlags) : [];

  return (
    <Card title={title}>
      <div className="flex flex-col gap-4" data-testid="pump-connection" data-state={link.state} data-mode={link.mode ?? ""}>
        {!connected ? (
          <>
            {link.state === "connecting" ? (
              <p className="text-base" role="status">
                {link.mode === "simulated" ? "Starting the simulated pump…" : "Connecting to your pump… choose it in the list your browser shows."}
              </p>
            ) : null}
            {link.error ? (
              <Alert tone="danger" live>
                <span data-testid="pump-connection-error">{link.error}</span>
              </Alert>
            ) : null}
            {bluetoothKnown && !link.support.supported ? (
              <Alert tone="info">
                <span data-testid="bluetooth-unsupported">{link.support.message}</span>
              </Alert>
            ) : null}
            <div className="flex flex-wrap gap-3">
              {link.support.supported ? (
                <Button type="button" onClick={() => void link.connectBluetooth()} disabled={link.state === "connecting"}>
                  Connect handheld
                </Button>
              ) : null}
              <Button type="button" variant="secondary" onClick={() => void link.useSimulated()} disabled={link.state === "connecting"}>
                Use simulated pump
              </Button>
            </div>
            <p className="text-base text-muted">
              The simulated pump is a demo that runs in this browser, set up like your own pump. It is not connected to your pump and changes nothing on it.
            </p>
          </>
        ) : (
          <>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-base" data-testid="pump-connected">
                Connected to <strong>{link.mode === "simulated" ? "the simulated pump (demo)" : (link.deviceName ?? "your handheld")}</strong>.
              </p>
              <Button type="button" variant="secondary" onClick={() => link.disconnect()}>
                Disconnect
              </Button>
            </div>
            {status && link.statusReadAt ? (
              <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-base sm:grid-cols-2" data-testid="device-status">
                <div>
                  <dt className="text-muted">Reservoir (as the pump reports it)</dt>
                  <dd className="font-semibold" data-testid="device-reservoir">
                    {formatVolume(status.reservoirUl)} of {formatVolume(status.capacityUl)}
                  </dd>
                </div>
                <div>
                  <dt className="text-muted">Pump battery</dt>
                  <dd className="font-semibold">{status.batteryPercent}%</dd>
                </div>
                <div>
                  <dt className="text-muted">Pump clock</dt>
                  <dd className="font-semibold">{formatDateTime(new Date(status.deviceTime * 1000), timeZone)}</dd>
                </div>
                <div>
                  <dt className="text-muted">Newest record on the pump</dt>
                  <dd className="font-semibold" data-testid="device-highest-seq">
                    {status.highestSeq === 0 ? "none yet" : `#${status.highestSeq}`}
                  </dd>
                </div>
              </dl>
            ) : null}
            {status && link.statusReadAt ? (
              <p className="text-base text-muted">
                Read from the pump{" "}
                <time dateTime={link.statusReadAt.toISOString()} title={formatDateTime(link.statusReadAt, timeZone)} data-testid="device-status-age">
                  {formatRelativeAge(link.statusReadAt, now)}
                </time>
                .
              </p>
            ) : null}
            {alarms.length > 0 ? (
              <Alert tone={alarms.some((a) => a.severity === "critical") ? "danger" : "warning"}>
                <ul className="list-disc pl-5" data-testid="device-alarms">
                  {alarms.map((a) => (
                    <li key={a.name}>{a.text}</li>
                  ))}
                </ul>
              </Alert>
            ) : null}
            {Math.abs(skew) > CLOCK_SKEW_LIMIT_S ? (
              <Alert tone="warning">
                <div className="flex flex-col gap-3" data-testid="clock-skew">
                  <p>
                    The pump&apos;s clock is {skewText(skew)} this phone&apos;s clock. Records are still stored in order, but their times will be off.
                  </p>
                  <div>
                    <Button type="button" variant="secondary" disabled={clockBusy} onClick={() => void setPumpClock()}>
                      Set the pump&apos;s clock to this phone&apos;s time
                    </Button>
                  </div>
                  {clockError ? <p className="font-medium text-red-800">{clockError}</p> : null}
                </div>
              </Alert>
            ) : null}
            {link.error ? (
              <Alert tone="danger" live>
                <span data-testid="pump-connection-error">{link.error}</span>
              </Alert>
            ) : null}
            <SimulatedPumpControls />
          </>
        )}
      </div>
    </Card>
  );
}
