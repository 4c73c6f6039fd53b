import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageActor } from "@/lib/auth/guard";
import { listClinicPatients } from "@/lib/patients/clinic";

export const metadata: Metadata = { title: "Clinic patients" };

export default async function ClinicHome() {
  await connection();
  const actor = await requirePageActor("clinician");
  const db = await getDb();
  const { clinics, patients } = await listClinicPatients(db, actor.userId);
  return (
    <>
      <h1 className="text-2xl font-bold">Patients</h1>
      <p className="text-base text-muted">{clinics.map((c) => c.clinicName).join(", ") || "You are not a member of any clinic yet."}</p>
      <Card>
        <ul className="divide-y divide-slate-200" data-testid="clinic-patients">
          {patients.map((p) => (
            <li key={p.patientId} className="py-3">
              <Link className="text-lg font-semibold text-brand-700 underline" href={`/clinic/patients/${p.patientId}`}>
                {p.displayName}
              </Link>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
