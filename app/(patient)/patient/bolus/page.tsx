import type { Metadata } from "next";
import { BolusPanel } from "@/components/bolus/bolus-panel";
import { PumpConnectionCard } from "@/components/pump-link/pump-connection-card";
import { PumpLinkScope } from "@/components/pump-link/provider";
import { Alert } from "@/components/ui/alert";
import { listBoluses, recentDeliveries } from "@/lib/bolus/record";
import { pagePatient } from "@/lib/patients/page-access";
import { hasCriticalAlarm } from "@/lib/pump-link/alarms";
import { getPumpStatus } from "@/lib/pump/status-query";
import { doseToVolumeUl, formatDose } from "@/lib/pump/units";

export const metadata: Metadata = { title: "Bolus" };

export default async function BolusPage() {
  const { db, patientId } = await pagePatient("patient", null, "bolus:read");
  const status = await getPumpStatus(db, patientId);
  if (!status?.pump) return <Alert tone="info">No pump is registered for you yet.</Alert>;
  const { prescription, drug, bolusPermission, reading, patient, pump } = status;
  const recent = await recentDeliveries(db, pump.id);
  const history = await listBoluses(db, pump.id, 30);
  const volume = bolusPermission && prescription && drug ? doseToVolumeUl(bolusPermission.dose, prescription.concentration, drug) : null;
  return (
    <>
      <h1 className="text-2xl font-bold">Bolus</h1>
      <PumpLinkScope patientId={patientId}>
      <PumpConnectionCard timeZone={patient.timeZone} />
      <BolusPanel
        patientId={patientId}
        drugName={drug?.displayName ?? "drug"}
        doseText={bolusPermission && drug ? formatDose(bolusPermission.dose, drug) : "—"}
        timeZone={patient.timeZone}
        permission={
          bolusPermission && {
            version: bolusPermission.version,
            enabled: bolusPermission.enabled,
            dose: bolusPermission.dose,
            lockoutSeconds: bolusPermission.lockoutSeconds,
            maxPer24h: bolusPermission.maxPer24h,
            effectiveFrom: bolusPermission.effectiveFrom.toISOString(),
          }
        }
        serverDeliveries={recent.map((d) => d.toISOString())}
        reservoirUl={reading?.reservoirUl ?? null}
        thresholdUl={prescription?.lowReservoirThresholdUl ?? null}
        bolusVolumeUl={volume === null ? null : Math.ceil(volume)}
        criticalAlarm={reading ? hasCriticalAlarm(reading.alarmFlags) : false}
        history={history.map((h) => ({ token: h.token, state: h.state, dose: h.dose, requestedAt: h.requestedAt, resultCode: h.resultCode, deliveredAt: h.deliveredAt, deviceSeq: h.deviceSeq }))}
      />
      </PumpLinkScope>
    </>
  );
}
