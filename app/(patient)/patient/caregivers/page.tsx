import type { Metadata } from "next";
import { headers } from "next/headers";
import { connection } from "next/server";
import { formatDateTime } from "@/lib/pump/time";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { authorizePatient, ownPatientId, requirePageActor } from "@/lib/auth/guard";
import { listLinksForPatient } from "@/lib/care-links/queries";
import { SCOPE_LABEL } from "@/lib/care-links/schemas";
import { InviteForm } from "./invite-form";
import { RevokeButton } from "./revoke-button";

export const metadata: Metadata = { title: "Caregivers" };

const STATUS_TEXT = { invited: "Invite not yet used", active: "Active", revoked: "Revoked" } as const;

export default async function CaregiversPage() {
  await connection();
  const actor = await requirePageActor("patient");
  const db = await getDb();
  const patientId = await ownPatientId(db, actor);
  if (!patientId) return <p>Your patient record has not been set up yet.</p>;
  await authorizePatient(db, actor, patientId, "links:manage");
  const links = await listLinksForPatient(db, patientId);
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
  const now = new Date();
  return (
    <>
      <h1 className="text-2xl font-bold">Caregivers</h1>
      <p className="text-base text-muted">People you choose can see your pump information and receive your alarms. You can stop sharing at any time.</p>
      <Card title="People who can see your information">
        {links.length === 0 ? <p>Nobody yet.</p> : null}
        <ul className="flex flex-col gap-4" data-testid="care-links">
          {links.map((l) => {
            const expired = l.status === "invited" && l.inviteExpiresAt.getTime() <= now.getTime();
            const who = l.caregiverName ?? l.label;
            return (
              <li key={l.id} className="rounded-xl border border-slate-200 p-4" data-link-status={l.status}>
                <p className="text-lg font-semibold">{who}</p>
                <p className="text-base">
                  {expired ? "Invite expired" : STATUS_TEXT[l.status]}
                  {l.status === "revoked" && l.revokedAt ? ` on ${formatDateTime(l.revokedAt, actor.timeZone)}` : null}
                </p>
                <p className="text-sm text-muted">Can see: {l.scopes.map((s) => SCOPE_LABEL[s]).join(", ")}</p>
                {l.status !== "revoked" && !expired ? (
                  <div className="mt-3">
                    <RevokeButton linkId={l.id} who={who} pendingInvite={l.status === "invited"} />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      </Card>
      <Card title="Invite a caregiver">
        <InviteForm origin={origin} />
      </Card>
    </>
  );
}
