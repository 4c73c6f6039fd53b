import Link from "next/link";
import { DataAge } from "@/components/data-age";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import type { PumpStatus } from "@/lib/pump/status-query";
import { formatDate, formatDateTime } from "@/lib/pump/time";
import { formatConcentration, formatDailyDose, formatDose, formatVolume } from "@/lib/pump/units";
import { ReservoirGauge } from "./reservoir-gauge";
import { RefillCheckBanner } from "./refill-check";

/** The pump at a glance — for the patient, a caregiver with the status scope, or a clinician. */
export function StatusView({ status, refillsHref }: { status: PumpStatus; refillsHref: string | null }) {
  const { patient, pump, prescription, drug, bolusPermission, reading, projection, nextRefill, now } = status;
  const tz = patient.timeZone;
  return (
    <div className="flex flex-col gap-4" data-testid="pump-status">
      {!reading ? (
        <Alert tone="warning">No reading has been synced from this pump yet. Sync the handheld to see its status.</Alert>
      ) : reading.stale ? (
        <Alert tone="warning">
          <strong data-testid="stale-banner">Not synced for <DataAge at={reading.recordedAt} now={now} timeZone={tz} /></strong> — what you see may be out of date. Sync the handheld to update it.
        </Alert>
      ) : null}
      {reading?.alarms.length ? (
        <Card title="Pump alarms at last sync">
          <ul className="flex flex-col gap-2" data-testid="device-alarms">
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
          <div className="flex flex-col gap-3">
            <p className="text-3xl font-bold" data-testid="reservoir-volume">
              {formatVolume(reading.reservoirUl)}
              <span className="ml-2 text-lg font-medium text-muted">
                of {formatVolume(pump.reservoirCapacityUl)} · {reading.percent}%
              </span>
            </p>
            <ReservoirGauge volumeUl={reading.reservoirUl} capacityUl={pump.reservoirCapacityUl} thresholdUl={prescription?.lowReservoirThresholdUl ?? null} />
            <p className="text-base" data-testid="reading-age">
              Measured <DataAge at={reading.recordedAt} now={now} timeZone={tz} staleAfterSeconds={patient.staleSyncThresholdSeconds} /> ({formatDateTime(reading.recordedAt, tz)})
            </p>
            {projection.kind === "known" && projection.estimatedCurrentUl !== null ? (
              <p className="text-base text-muted">About {formatVolume(Math.round(projection.estimatedCurrentUl))} now, estimated from the daily dose and recent boluses.</p>
            ) : null}
            {prescription ? <p className="text-base text-muted">The pump alarms at {formatVolume(prescription.lowReservoirThresholdUl)}.</p> : null}
          </div>
        ) : (
          <p>No reading yet.</p>
        )}
      </Card>
      <Card title="Therapy">
        {prescription && drug ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-base">
            <dt className="text-muted">Drug</dt>
            <dd data-testid="drug-name">{drug.displayName}</dd>
            <dt className="text-muted">Concentration</dt>
            <dd data-testid="concentration">{formatConcentration(prescription.concentration, drug.id)}</dd>
            <dt className="text-muted">Daily dose</dt>
            <dd data-testid="daily-dose">{formatDailyDose(prescription.dailyDose, drug.id)}</dd>
            {bolusPermission ? (
              <>
                <dt className="text-muted">Personal bolus</dt>
                <dd>{bolusPermission.enabled ? `${formatDose(bolusPermission.dose, drug.id)}, up to ${bolusPermission.maxPer24h} a day` : "Switched off by your clinician"}</dd>
              </>
            ) : null}
            <dt className="text-muted">Since</dt>
            <dd>{formatDate(prescription.effectiveFrom, tz)}</dd>
          </dl>
        ) : (
          <p>No prescription has been set yet.</p>
        )}
      </Card>
      <Card title="Pump battery">
        <p className="text-base" data-testid="battery">
          {reading?.batteryPercent !== null && reading?.batteryPercent !== undefined ? <>{reading.batteryPercent}% at last sync</> : "Not reported yet"}
          {pump.batteryReplacementDueAt ? <> · replacement due {formatDate(pump.batteryReplacementDueAt, tz)}</> : null}
        </p>
      </Card>
      <Card title="Next refill">
        {nextRefill ? (
          <div className="flex flex-col gap-2">
            <p className="text-base" data-testid="next-refill">
              <strong>{formatDateTime(nextRefill.scheduledAt, tz)}</strong>
              <br />
              {nextRefill.location}
              {nextRefill.clinicianName ? <> · {nextRefill.clinicianName}</> : null}
            </p>
            <RefillCheckBanner check={nextRefill.check} status={status} />
          </div>
        ) : (
          <RefillCheckBanner check="no_appointment" status={status} />
        )}
        {refillsHref ? (
          <Link prefetch={false} href={refillsHref} className="mt-3 inline-flex min-h-12 items-center font-semibold text-brand-700 underline">
            Refill plan and dates
          </Link>
        ) : null}
      </Card>
    </div>
  );
}
