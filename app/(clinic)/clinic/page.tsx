import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { DataAge } from "@/components/data-age";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageActor } from "@/lib/auth/guard";
import { clinicWorklist, type WorklistFlag } from "@/lib/patients/worklist";
import { formatDate } from "@/lib/pump/time";
import { formatVolume } from "@/lib/pump/units";

export const metadata: Metadata = { title: "Refill worklist" };

const FLAG: Record<WorklistFlag, { text: string; cls: string }> = {
  overdue: { text: "Overdue", cls: "bg-red-700 text-white" },
  soon: { text: "Soon", cls: "bg-amber-300 text-ink" },
  ok: { text: "OK", cls: "bg-emerald-100 text-emerald-900" },
  unknown: { text: "Check", cls: "bg-slate-700 text-white" },
};

export default async function ClinicHome() {
  await connection();
  const actor = await requirePageActor("clinician");
  const db = await getDb();
  const now = new Date();
  const { clinics, rows } = await clinicWorklist(db, actor.userId, now);
  return (
    <>
      <h1 className="text-2xl font-bold">Patients</h1>
      <p className="text-base text-muted">
        {clinics.map((c) => c.clinicName).join(", ") || "You are not a member of any clinic yet."} · sorted by the worst-case low-reservoir date, most urgent first.
      </p>
      <Card>
        <div className="overflow-x-auto">
          <table className="w-full min-w-[36rem] text-left text-base" data-testid="clinic-worklist">
            <thead>
              <tr className="border-b border-slate-300">
                <th className="py-2 pr-2">Patient</th>
                <th className="py-2 pr-2">Refill</th>
                <th className="py-2 pr-2">Runs low (worst case)</th>
                <th className="py-2 pr-2">Next appointment</th>
                <th className="py-2">Last reading</th>
              </tr>
            </thead>
            <tbody data-testid="clinic-patients">
              {rows.map(({ patient, status, days, flag }) => {
                const tz = status?.patient.timeZone ?? "Europe/London";
                const worst = status?.projection.worstCase.lowReservoirAt ?? null;
                return (
                  <tr key={patient.patientId} className="border-b border-slate-100" data-flag={flag}>
                    <td className="py-3 pr-2">
                      <Link className="font-semibold text-brand-700 underline" href={`/clinic/patients/${patient.patientId}`}>
                        {patient.displayName}
                      </Link>
                    </td>
                    <td className="py-3 pr-2">
                      <span className={`inline-block rounded-lg px-2 py-1 text-sm font-bold ${FLAG[flag].cls}`}>{FLAG[flag].text}</span>
                    </td>
                    <td className="py-3 pr-2">
                      {worst ? formatDate(worst, tz) : "—"}
                      {days !== null ? <span className="block text-sm text-muted">{days <= 0 ? "already" : `in ${Math.floor(days)} days`}</span> : null}
                    </td>
                    <td className="py-3 pr-2">{status?.nextRefill ? formatDate(status.nextRefill.scheduledAt, tz) : "None booked"}</td>
                    <td className="py-3">
                      {status?.reading ? (
                        <>
                          {formatVolume(status.reading.reservoirUl)}
                          <span className="block text-sm">
                            <DataAge at={status.reading.recordedAt} now={now} timeZone={tz} staleAfterSeconds={status.patient.staleSyncThresholdSeconds} />
                          </span>
                        </>
                      ) : (
                        "No reading"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
