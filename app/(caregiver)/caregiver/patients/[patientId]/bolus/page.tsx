import type { Metadata } from "next";
import { PatientTabs } from "@/components/pump/patient-tabs";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { DENIAL_TEXT } from "@/components/bolus/reasons";
import { listBoluses } from "@/lib/bolus/record";
import { pagePatient } from "@/lib/patients/page-access";
import { getPumpStatus } from "@/lib/pump/status-query";
import { formatDateTime } from "@/lib/pump/time";
import { formatDose } from "@/lib/pump/units";

export const metadata: Metadata = { title: "Bolus use" };

const STATE_TEXT = { requested: "Requested", confirmed: "Delivered", denied: "Not given", unconfirmed: "Not confirmed" } as const;

// Read only: caregivers see bolus use when the patient granted it, and can never trigger one.
export default async function CaregiverBolusPage({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  const { db, base } = await pagePatient("caregiver", patientId, "bolus:read");
  const status = await getPumpStatus(db, patientId);
  if (!status?.pump) return <Alert tone="info">No pump is registered for this person yet.</Alert>;
  const boluses = await listBoluses(db, status.pump.id, 50);
  const tz = status.patient.timeZone;
  return (
    <>
      <h1 className="text-2xl font-bold">Bolus use · {status.patient.displayName}</h1>
      <PatientTabs base={base} current={`${base}/bolus`} extra={[{ href: `${base}/bolus`, label: "Bolus use" }]} />
      <Card title="Recent boluses">
        {status.bolusPermission && status.drug ? (
          <p className="mb-3 text-base text-muted">
            Permitted: {formatDose(status.bolusPermission.dose, status.drug)}, up to {status.bolusPermission.maxPer24h} in 24 hours. Only {status.patient.displayName} can ask the pump for one.
          </p>
        ) : null}
        {boluses.length === 0 ? (
          <p>None recorded.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-200" data-testid="caregiver-bolus-history">
            {boluses.map((b) => (
              <li key={b.token} className="flex flex-wrap justify-between gap-2 py-2 text-base" data-state={b.state}>
                <span>{formatDateTime(new Date(b.deliveredAt ?? b.requestedAt), tz)}</span>
                <span className="font-semibold">
                  {STATE_TEXT[b.state]}
                  {b.state === "denied" && b.resultCode ? <span className="font-normal text-muted"> — {DENIAL_TEXT[b.resultCode] ?? b.resultCode}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
