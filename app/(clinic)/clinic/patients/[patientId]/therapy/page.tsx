import type { Metadata } from "next";
import { PatientTabs } from "@/components/pump/patient-tabs";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { pagePatient } from "@/lib/patients/page-access";
import { getDrug } from "@/lib/pump/drugs";
import { getPatientPump, therapyHistory } from "@/lib/pump/therapy";
import { formatDateTime } from "@/lib/pump/time";
import { formatConcentration, formatDailyDose, formatDose, formatVolume } from "@/lib/pump/units";
import { TherapyForm } from "./therapy-form";

export const metadata: Metadata = { title: "Therapy settings" };

// Rows from the database carry the drug as text; unknown ids are shown raw, never guessed.
function withDrug(drug: string, format: (d: NonNullable<ReturnType<typeof getDrug>>) => string, raw: number) {
  const d = getDrug(drug);
  return d ? format(d) : String(raw);
}

export default async function TherapyPage({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const { db, actor, base } = await pagePatient("clinician", patientId, "therapy:write");
  const pump = await getPatientPump(db, patientId);
  if (!pump) return <Alert tone="info">No pump is registered for this patient.</Alert>;
  const history = await therapyHistory(db, pump.id);
  const rx = history.prescriptions[0]?.row;
  const bp = history.bolusPermissions[0]?.row;
  const tz = actor.timeZone;
  return (
    <>
      <h1 className="text-2xl font-bold">Therapy settings</h1>
      <PatientTabs base={base} current={`${base}/therapy`} extra={[{ href: `${base}/therapy`, label: "Therapy settings" }]} />
      <Card title="Change therapy">
        <p className="mb-4 text-base text-muted">
          {pump.model} · reservoir {formatVolume(pump.reservoirCapacityUl)}. Every change is saved as a new version with your name and the time.
        </p>
        <TherapyForm
          patientId={patientId}
          capacityUl={pump.reservoirCapacityUl}
          defaults={{
            drug: rx?.drug ?? "baclofen",
            concentration: rx?.concentration ?? 2000,
            dailyDose: rx?.dailyDose ?? 0,
            lowReservoirThresholdUl: rx?.lowReservoirThresholdUl ?? 2000,
            bolusEnabled: bp?.enabled ?? false,
            bolusDose: bp?.dose ?? 50,
            bolusDurationSeconds: bp?.durationSeconds ?? 600,
            lockoutSeconds: bp?.lockoutSeconds ?? 10_800,
            maxPer24h: bp?.maxPer24h ?? 4,
          }}
        />
      </Card>
      <Card title="Prescription history">
        <ol className="flex flex-col gap-3" data-testid="prescription-history">
          {history.prescriptions.map(({ row, by }) => (
            <li key={row.id} className="rounded-xl border border-slate-200 p-3 text-base">
              <strong>Version {row.version}</strong> · {formatDateTime(row.effectiveFrom, tz)} · {by ?? "unknown"}
              <br />
              {getDrug(row.drug)?.displayName ?? row.drug} {withDrug(row.drug, (d) => formatConcentration(row.concentration, d), row.concentration)},{" "}
              {withDrug(row.drug, (d) => formatDailyDose(row.dailyDose, d), row.dailyDose)}, alarm at {formatVolume(row.lowReservoirThresholdUl)}
            </li>
          ))}
        </ol>
      </Card>
      <Card title="Bolus permission history">
        <ol className="flex flex-col gap-3" data-testid="bolus-permission-history">
          {history.bolusPermissions.map(({ row, by }) => (
            <li key={row.id} className="rounded-xl border border-slate-200 p-3 text-base">
              <strong>Version {row.version}</strong> · {formatDateTime(row.effectiveFrom, tz)} · {by ?? "unknown"}
              <br />
              {row.enabled ? "On" : "Off"} · {withDrug(rx?.drug ?? "", (d) => formatDose(row.dose, d), row.dose)} · lockout {Math.round(row.lockoutSeconds / 60)} min · up to {row.maxPer24h} per 24 h
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
