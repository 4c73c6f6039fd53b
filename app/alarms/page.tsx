import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { alarmPatientsForActor, listPatientAlarms } from "@/lib/alarms/queries";
import { mayPatient, requirePageActor } from "@/lib/auth/guard";
import { formatDateTime } from "@/lib/pump/time";
import { AlarmCard } from "./_components/alarm-card";
import { LiveRefresh } from "./_components/live-refresh";
import { SeverityBadge } from "./_components/severity-badge";

export const metadata: Metadata = { title: "Alarms" };

export default async function AlarmsPage({ searchParams }: { searchParams: Promise<{ patient?: string }> }) {
  await connection();
  const actor = await requirePageActor();
  const db = await getDb();
  const { patient: only } = await searchParams;
  const candidates = (await alarmPatientsForActor(db, actor)).filter((p) => !only || p.patientId === only);
  const now = new Date();
  const sections = [];
  for (const p of candidates) {
    // Each patient's alarms are a read of their data: authorised and audited one by one.
    if (!(await mayPatient(db, actor, p.patientId, "alarms:read"))) continue;
    sections.push({ ...p, ...(await listPatientAlarms(db, p.patientId, actor.userId, { now })) });
  }
  // Clinicians see clinic patients with open alarms first; quiet ones are listed once, briefly.
  const busy = sections.filter((s) => s.relation !== "clinician" || s.active.length > 0);
  const quiet = sections.filter((s) => s.relation === "clinician" && s.active.length === 0);
  return (
    <>
      <LiveRefresh />
      <h1 className="text-2xl font-bold">Alarms</h1>
      {sections.length === 0 ? (
        <Card>
          <p>There are no alarms you can see. Patients choose who receives their alarms when they share their pump.</p>
        </Card>
      ) : null}
      {busy.map((s) => (
        <section key={s.patientId} aria-labelledby={`alarms-${s.patientId}`} className="flex flex-col gap-3" data-testid="patient-alarms" data-patient-id={s.patientId}>
          <h2 id={`alarms-${s.patientId}`} className="text-xl font-semibold">
            {s.relation === "self" ? "Your alarms" : s.displayName}
          </h2>
          {s.active.length === 0 ? (
            <p className="text-base" data-testid="no-active-alarms">
              No open alarms.
            </p>
          ) : (
            <ul className="flex flex-col gap-3" aria-label="Open alarms" data-testid="active-alarms">
              {s.active.map((a) => (
                <AlarmCard key={a.id} alarm={a} timeZone={s.timeZone} now={now} />
              ))}
            </ul>
          )}
          {s.past.length > 0 ? (
            <details className="rounded-xl border border-slate-200 bg-white p-3">
              <summary className="min-h-12 cursor-pointer py-2 text-base font-medium">Past alarms ({s.past.length})</summary>
              <table className="mt-2 w-full text-left text-sm" data-testid="past-alarms">
                <thead>
                  <tr>
                    <th scope="col" className="py-1 pr-2">Raised</th>
                    <th scope="col" className="py-1 pr-2">Alarm</th>
                    <th scope="col" className="py-1 pr-2">Acknowledged</th>
                    <th scope="col" className="py-1">Ended</th>
                  </tr>
                </thead>
                <tbody>
                  {s.past.map((a) => (
                    <tr key={a.id} className="border-t border-slate-200 align-top">
                      <td className="py-2 pr-2">{formatDateTime(a.raisedAt, s.timeZone)}</td>
                      <td className="py-2 pr-2">
                        <SeverityBadge severity={a.severity} />{" "}
                        <Link href={`/alarms/${a.id}`} className="text-brand-800 underline">
                          {a.headline}
                        </Link>
                      </td>
                      <td className="py-2 pr-2">{a.acknowledgedAt ? `${a.acknowledgedBy}, ${formatDateTime(a.acknowledgedAt, s.timeZone)}` : a.severity === "info" ? "Not needed" : "No"}</td>
                      <td className="py-2">{a.resolvedAt ? formatDateTime(a.resolvedAt, s.timeZone) : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </section>
      ))}
      {quiet.length > 0 ? (
        <Card title="Clinic patients with no open alarms">
          <ul className="flex flex-wrap gap-2">
            {quiet.map((s) => (
              <li key={s.patientId}>
                <Link href={`/alarms?patient=${s.patientId}`} className="inline-flex min-h-12 items-center rounded-lg px-3 text-base text-brand-800 underline">
                  {s.displayName}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </>
  );
}
