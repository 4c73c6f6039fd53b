import type { Metadata } from "next";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { listClinicsForAdmin } from "@/lib/admin/mutations";
import { requirePageActor } from "@/lib/auth/guard";
import { ClinicForm, ClinicianForm } from "./admin-forms";

export const metadata: Metadata = { title: "Administration" };

export default async function AdminHome() {
  await connection();
  const actor = await requirePageActor("admin");
  const db = await getDb();
  const clinics = await listClinicsForAdmin(db, actor);
  return (
    <>
      <h1 className="text-2xl font-bold">Clinics</h1>
      <Card>
        <table className="w-full text-left text-base" data-testid="admin-clinics">
          <thead>
            <tr className="border-b border-slate-300">
              <th className="py-2">Clinic</th>
              <th className="py-2">Clinicians</th>
              <th className="py-2">Patients</th>
            </tr>
          </thead>
          <tbody>
            {clinics.map((c) => (
              <tr key={c.id} className="border-b border-slate-100">
                <td className="py-2">{c.name}</td>
                <td className="py-2">{c.clinicians}</td>
                <td className="py-2">{c.patients}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Add a clinic">
        <ClinicForm />
      </Card>
      <Card title="Add a clinician">
        <ClinicianForm clinics={clinics} />
      </Card>
    </>
  );
}
