"use client";

import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { getDrug } from "@/lib/pump/drugs";
import { formatDate, formatDateTime, formatRelativeAge } from "@/lib/pump/time";
import { formatConcentration, formatDailyDose, formatVolume } from "@/lib/pump/units";
import { readOfflineSnapshot, type OfflineStatus, type StatusSnapshot } from "./offline-read";
import type { Me } from "./offline-store";
import { setPwaState, useOnline } from "./pwa-state";

type Loaded = { state: "loading" } | { state: "loaded"; me: Me | null; snapshot: StatusSnapshot | null };

const REFILL_CHECK_TEXT: Record<string, string> = {
  ok: "This appointment is before the reservoir is expected to run low.",
  after_worst_case: "This appointment is after the date the reservoir could run low if every permitted bolus is used. Ask the clinic about an earlier date.",
  after_expected: "Refill needed sooner: at the current rate the reservoir runs low before this appointment. Contact the clinic to bring it forward.",
  unknown: "We could not check this appointment against the reservoir.",
};

/**
 * The offline page's content: the signed-in patient's last saved status, read from this device
 * (components/pwa/offline-store.ts), always with the time it was last updated (safety rule 7).
 */
export function OfflineStatus() {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const online = useOnline();

  useEffect(() => {
    let cancelled = false;
    setPwaState({ offlinePage: true });
    (async () => {
      const result = "caches" in window ? await readOfflineSnapshot(caches).catch(() => ({ me: null, snapshot: null })) : { me: null, snapshot: null };
      if (cancelled) return;
      setLoaded({ state: "loaded", ...result });
    })();
    return () => {
      cancelled = true;
      setPwaState({ offlinePage: false });
    };
  }, []);

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{loaded.state === "loaded" && loaded.snapshot ? "My pump (saved on this device)" : "You are offline"}</h1>
      {online ? (
        <Alert tone="info">
          <span data-testid="back-online">The connection is back: open Pump Portal to see the latest information.</span>
        </Alert>
      ) : null}
      {loaded.state === "loading" ? (
        <p className="text-base text-muted">Looking for information saved on this device…</p>
      ) : loaded.snapshot ? (
        <SavedStatus status={loaded.snapshot.status} />
      ) : (
        <Alert tone="warning">
          <span data-testid="offline-nothing-saved">
            {loaded.me?.patientId
              ? "No pump status has been saved on this device yet. Connect to the internet and open Pump Portal once to keep a copy for offline use."
              : "Pump Portal needs an internet connection for this page. Connect and try again."}
          </span>
        </Alert>
      )}
      <div>
        <button
          type="button"
          // A full page load on purpose: this page may be standing in for another address, and the
          // router state it hydrated with belongs to /offline.
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination
          onClick={() => window.location.assign("/")}
          className="min-h-12 rounded-xl border-2 border-brand-600 bg-white px-5 text-base font-semibold text-brand-700 hover:bg-brand-50"
        >
          {online ? "Open Pump Portal" : "Try again"}
        </button>
      </div>
    </div>
  );
}

function SavedStatus({ status }: { status: OfflineStatus }) {
  const tz = status.patient.timeZone;
  const generatedAt = new Date(status.generatedAt);
  const { reading, therapy, nextRefill, projection, pump } = status;
  const drug = therapy ? getDrug(therapy.drug) : undefined;
  return (
    <div className="flex flex-col gap-4" data-testid="offline-status">
      <Alert tone="warning">
        <span data-testid="offline-last-updated">
          <strong>Offline — last updated at {formatDateTime(generatedAt, tz)}.</strong> This is the copy saved on this device; the pump may have changed since.
        </span>
      </Alert>
      {reading?.alarms.length ? (
        <Card title="Pump alarms at last sync">
          <ul className="flex flex-col gap-2">
            {reading.alarms.map((a) => (
              <li key={a.name}>
                <Alert tone={a.severity === "critical" ? "danger" : "warning"}>{a.text}</Alert>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title="Reservoir">
        {reading ? (
          <div className="flex flex-col gap-2">
            <p className="text-3xl font-bold" data-testid="offline-reservoir">
              {formatVolume(reading.reservoirUl)}
              <span className="ml-2 text-lg font-medium text-muted">
                of {formatVolume(pump.reservoirCapacityUl)} · {reading.percent}%
              </span>
            </p>
            <p className="text-base" data-testid="offline-reading-age">
              Measured {formatDateTime(new Date(reading.recordedAt), tz)} ({formatRelativeAge(new Date(reading.recordedAt), generatedAt)} before the last update)
            </p>
            {reading.stale ? <Alert tone="warning">Not synced for a long time — this may be out of date.</Alert> : null}
          </div>
        ) : (
          <p>No reading had been synced from the pump.</p>
        )}
      </Card>
      <Card title="Next refill">
        {nextRefill ? (
          <div className="flex flex-col gap-2">
            <p className="text-base" data-testid="offline-next-refill">
              <strong>{formatDateTime(new Date(nextRefill.scheduledAt), tz)}</strong>
              <br />
              {nextRefill.location}
              {nextRefill.clinicianName ? <> · {nextRefill.clinicianName}</> : null}
            </p>
            <p className="text-base">{REFILL_CHECK_TEXT[nextRefill.check] ?? REFILL_CHECK_TEXT.unknown}</p>
          </div>
        ) : (
          <p className="text-base" data-testid="offline-next-refill">
            No refill appointment was booked.
          </p>
        )}
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-base">
          <dt className="text-muted">Could run low from</dt>
          <dd data-testid="offline-worst-case">{projection.worstCase.lowReservoirAt ? formatDate(new Date(projection.worstCase.lowReservoirAt), tz) : "—"}</dd>
          <dt className="text-muted">Expected to run low</dt>
          <dd data-testid="offline-expected">{projection.expected.lowReservoirAt ? formatDate(new Date(projection.expected.lowReservoirAt), tz) : "—"}</dd>
        </dl>
      </Card>
      <Card title="Therapy">
        {therapy ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-base">
            <dt className="text-muted">Drug</dt>
            <dd data-testid="offline-drug">{therapy.drugName}</dd>
            {drug ? (
              <>
                <dt className="text-muted">Concentration</dt>
                <dd>{formatConcentration(therapy.concentration, drug)}</dd>
                <dt className="text-muted">Daily dose</dt>
                <dd>{formatDailyDose(therapy.dailyDose, drug)}</dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p>No prescription had been set.</p>
        )}
      </Card>
      <Card title="Pump battery">
        <p className="text-base">
          {reading?.batteryPercent !== null && reading?.batteryPercent !== undefined ? <>{reading.batteryPercent}% at last sync</> : "Not reported"}
          {pump.batteryReplacementDueAt ? <> · replacement due {formatDate(new Date(pump.batteryReplacementDueAt), tz)}</> : null}
        </p>
      </Card>
    </div>
  );
}
