import type { Metadata } from "next";
import { and, asc, eq } from "drizzle-orm";
import { RefillsSection } from "@/components/pump/sections";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { patients, refillAppointments } from "@/db/schema";
import { pagePatient } from "@/lib/patients/page-access";
import { utcToLocalInput } from "@/lib/pump/local-time";
import { getPatientPump } from "@/lib/pump/therapy";
import { formatDateTime } from "@/lib/pump/time";
import { ManageAppointment, ScheduleForm } from "./refill-forms";

export const metadata: Metadata = { title: "Refills" };

const DONE_TEXT: Record<string, string> = {
  complete: "Refill recorded. The reservoir reading is updated.",
  cancel: "Appointment cancelled.",
};

export default async function ClinicRefillsPage({ params, searchParams }: { params: Promise<{ patientId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { patientId } = await params;
  const done = (await searchParams).done;
  const doneText = typeof done === "string" ? DONE_TEXT[done] : undefined;
  const { db } = await pagePatient("clinician", patientId, "refills:write");
  const pump = await getPatientPump(db, patientId);
  const [patient] = await db.select({ timeZone: patients.timeZone }).from(patients).where(eq(patients.id, patientId));
  const tz = patient?.timeZone ?? "Europe/London";
  const upcoming = pump
    ? await db.select().from(refillAppointments).where(and(eq(refillAppointments.pumpId, pump.id), eq(refillAppointments.status, "scheduled"))).orderBy(asc(refillAppointments.scheduledAt))
    : [];
  return (
    <RefillsSection role="clinician" patientId={patientId}>
      {doneText ? (
        <Alert tone="success" live>
          {doneText}
        </Alert>
      ) : null}
      {pump ? (
        <>
          {upcoming.map((a) => (
            <Card key={a.id} title={`Booked: ${formatDateTime(a.scheduledAt, tz)}`}>
              <ManageAppointment patientId={patientId} appointmentId={a.id} timeZone={tz} localValue={utcToLocalInput(a.scheduledAt, tz)} capacityUl={pump.reservoirCapacityUl} />
            </Card>
          ))}
          <Card title="Book a refill">
            <ScheduleForm patientId={patientId} timeZone={tz} defaultLocation={upcoming[0]?.location ?? ""} />
          </Card>
        </>
      ) : null}
    </RefillsSection>
  );
}
