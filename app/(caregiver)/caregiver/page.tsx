import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requirePageActor } from "@/lib/auth/guard";
import { listPatientsForCaregiver } from "@/lib/care-links/queries";
import { SCOPE_LABEL } from "@/lib/care-links/schemas";

export const metadata: Metadata = { title: "People I care for" };

export default async function CaregiverHome() {
  await connection();
  const actor = await requirePageActor("caregiver");
  const db = await getDb();
  const people = await listPatientsForCaregiver(db, actor.userId);
  return (
    <>
      <h1 className="text-2xl font-bold">People I care for</h1>
      {people.length === 0 ? (
        <Card>
          <p>Nobody has shared their pump with you yet. Ask them for an invite code.</p>
        </Card>
      ) : (
        <ul className="flex flex-col gap-4" data-testid="caregiver-patients">
          {people.map((p) => (
            <li key={p.patientId}>
              <Card>
                <Link href={`/caregiver/patients/${p.patientId}`} className="text-xl font-semibold text-brand-700 underline">
                  {p.displayName}
                </Link>
                <p className="mt-1 text-sm text-muted">You can see: {p.scopes.map((s) => SCOPE_LABEL[s]).join(", ")}</p>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
