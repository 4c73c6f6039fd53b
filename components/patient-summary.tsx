import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DataAge, formatDateTime } from "@/components/data-age";
import type { PatientSummary } from "@/lib/patients/summary";
import { getDrug } from "@/lib/pump/drugs";
import { formatConcentration, formatDailyDose, formatVolume } from "@/lib/pump/units";

/** The patient's pump at a glance, for the patient, a caregiver with the status scope, or a clinician. */
export function PatientSummaryView({ summary, now }: { summary: PatientSummary; now: Date }) {
  const { patient, pump, prescription, latestReading, nextRefill } = summary;
  const tz = patient.timeZone;
  if (!pump) return <Alert tone="info">No pump is registered for {patient.displayName} yet.</Alert>;
  const drug = prescription ? getDrug(prescription.drug) : undefined;
  const stale = latestReading ? now.getTime() - latestReading.recordedAt.getTime() > patient.staleSyncThresholdSeconds * 1000 : true;
  const percent = latestReading ? Math.round((latestReading.reservoirUl / pump.reservoirCapacityUl) * 100) : null;
  return (
    <div className="flex flex-col gap-4" data-testid="patient-summary">
      {stale ? (
        <Alert tone="warning">
          <strong>Not recently synced.</strong> What you see may be out of date. Sync the handheld to update it.
        </Alert>
      ) : null}
      <Card title="Reservoir">
        {latestReading ? (
          <>
            <p className="text-3xl font-bold" data-testid="reservoir-volume">
              {formatVolume(latestReading.reservoirUl)} <span className="text-lg font-medium text-muted">of {formatVolume(pump.reservoirCapacityUl)} ({percent}%)</span>
            </p>
            <p className="mt-2 text-base">
              Last synced <DataAge at={latestReading.recordedAt} now={now} timeZone={tz} staleAfterSeconds={patient.staleSyncThresholdSeconds} />
              {latestReading.batteryPercent !== null ? <> · battery {latestReading.batteryPercent}%</> : null}
            </p>
          </>
        ) : (
          <p>No reading has been synced yet.</p>
        )}
      </Card>
      <Card title="Therapy">
        {prescription && drug ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-base">
            <dt className="text-muted">Drug</dt>
            <dd data-testid="drug-name">{drug.displayName}</dd>
            <dt className="text-muted">Concentration</dt>
            <dd>{formatConcentration(prescription.concentration, drug.id)}</dd>
            <dt className="text-muted">Daily dose</dt>
            <dd>{formatDailyDose(prescription.dailyDose, drug.id)}</dd>
          </dl>
        ) : (
          <p>No prescription has been set yet.</p>
        )}
      </Card>
      <Card title="Next refill">
        {nextRefill ? (
          <p className="text-base" data-testid="next-refill">
            <strong>{formatDateTime(nextRefill.scheduledAt, tz)}</strong>
            <br />
            {nextRefill.location}
            {nextRefill.clinicianName ? <> · {nextRefill.clinicianName}</> : null}
          </p>
        ) : (
          <p>No refill appointment is booked.</p>
        )}
      </Card>
    </div>
  );
}
