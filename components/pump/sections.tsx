import { notFound } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import type { Role } from "@/db/schema";
import { pagePatient } from "@/lib/patients/page-access";
import { getHistory, getPumpStatus, listRefillHistory } from "@/lib/pump/status-query";
import { HistoryCharts } from "./history-charts";
import { PatientTabs } from "./patient-tabs";
import { RefillView } from "./refill-view";
import { StatusView } from "./status-view";

const clinicianExtra = (role: Role, base: string) =>
  role === "clinician" ? [{ href: `${base}/therapy`, label: "Therapy settings" }] : role === "caregiver" ? [{ href: `${base}/bolus`, label: "Bolus use" }] : [];

async function loadStatus(role: Role, patientIdParam: string | null, action: "status:read" | "refills:read" | "history:read") {
  const access = await pagePatient(role, patientIdParam, action);
  const status = await getPumpStatus(access.db, access.patientId);
  if (!status) notFound();
  return { ...access, status };
}

function NoPump({ name }: { name: string }) {
  return <Alert tone="info">No pump is registered for {name} yet.</Alert>;
}

export async function StatusSection({ role, patientId }: { role: Role; patientId: string | null }) {
  const { access, base, status } = await loadStatus(role, patientId, "status:read");
  if (!status.pump) return <NoPump name={status.patient.displayName} />;
  const title = role === "patient" ? "My pump" : status.patient.displayName;
  const canRefills = access.can("refills:read");
  return (
    <>
      <h1 className="text-2xl font-bold">{title}</h1>
      <PatientTabs base={base} current={base} extra={clinicianExtra(role, base)} />
      <StatusView status={{ ...status, nextRefill: canRefills ? status.nextRefill : null }} refillsHref={canRefills ? `${base}/refills` : null} />
    </>
  );
}

export async function RefillsSection({ role, patientId, children }: { role: Role; patientId: string | null; children?: React.ReactNode }) {
  const { db, base, status } = await loadStatus(role, patientId, "refills:read");
  if (!status.pump) return <NoPump name={status.patient.displayName} />;
  const history = await listRefillHistory(db, status.pump.id);
  return (
    <>
      <h1 className="text-2xl font-bold">{role === "patient" ? "Refills" : `Refills · ${status.patient.displayName}`}</h1>
      <PatientTabs base={base} current={`${base}/refills`} extra={clinicianExtra(role, base)} />
      <RefillView status={status} history={history} icsBase={`/api/patients/${status.patient.id}/refills`} />
      {children}
    </>
  );
}

export async function HistorySection({ role, patientId }: { role: Role; patientId: string | null }) {
  const { db, base, status } = await loadStatus(role, patientId, "history:read");
  if (!status.pump) return <NoPump name={status.patient.displayName} />;
  const history = await getHistory(db, status.pump.id, status.patient.timeZone);
  return (
    <>
      <h1 className="text-2xl font-bold">{role === "patient" ? "History" : `History · ${status.patient.displayName}`}</h1>
      <PatientTabs base={base} current={`${base}/history`} extra={clinicianExtra(role, base)} />
      <HistoryCharts history={history} capacityUl={status.pump.reservoirCapacityUl} timeZone={status.patient.timeZone} thresholdUl={status.prescription?.lowReservoirThresholdUl ?? null} />
    </>
  );
}
