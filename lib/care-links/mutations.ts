import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { careLinks, patients, userRoles, users, type CareScope } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import type { Actor } from "@/lib/auth/guard";
import { authorizePatient } from "@/lib/auth/guard";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/http/errors";
import { hashInviteCode, newInviteCode } from "./code";

export const INVITE_TTL_MS = 7 * 24 * 3600_000;

export async function createInvite(db: Db, actor: Actor, patientId: string, input: { label: string; scopes: CareScope[] }, now = new Date()) {
  await authorizePatient(db, actor, patientId, "links:manage");
  const code = newInviteCode();
  const [link] = await db
    .insert(careLinks)
    .values({
      patientId,
      inviteLabel: input.label,
      inviteCodeHash: hashInviteCode(code),
      inviteExpiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      scopes: [...new Set(input.scopes)],
      status: "invited",
    })
    .returning({ id: careLinks.id, inviteExpiresAt: careLinks.inviteExpiresAt });
  await audit(db, { actorUserId: actor.userId, patientId, action: "links:invite", outcome: "done", detail: { linkId: link?.id } });
  return { code, linkId: link!.id, expiresAt: link!.inviteExpiresAt };
}

const invalidCode = () =>
  new AppError(400, "bad_request:invite", "That invite code is not valid, has expired or has already been used. Ask the patient for a new one.", {
    code: "That invite code is not valid, has expired or has already been used.",
  });

/** Accepts an invite for an existing user; the user gains the caregiver role if they lacked it. */
export async function acceptInvite(db: Db, userId: string, code: string, now = new Date()) {
  return db.transaction(async (tx) => {
    // FOR UPDATE: two people racing for one code cannot both get it.
    const [link] = await tx.select().from(careLinks).where(eq(careLinks.inviteCodeHash, hashInviteCode(code))).for("update").limit(1);
    if (!link || link.status !== "invited" || link.inviteExpiresAt.getTime() <= now.getTime()) throw invalidCode();
    const [patient] = await tx.select({ userId: patients.userId }).from(patients).where(eq(patients.id, link.patientId)).limit(1);
    if (patient?.userId === userId) throw new AppError(400, "bad_request:invite", "You cannot be your own caregiver.", { code: "You cannot be your own caregiver." });
    const [existing] = await tx
      .select({ id: careLinks.id })
      .from(careLinks)
      .where(and(eq(careLinks.patientId, link.patientId), eq(careLinks.caregiverUserId, userId), eq(careLinks.status, "active")))
      .limit(1);
    if (existing) {
      throw new AppError(409, "conflict:invite", "You are already a caregiver for this patient.", { code: "You are already a caregiver for this patient." });
    }
    await tx
      .update(careLinks)
      .set({ caregiverUserId: userId, status: "active", acceptedAt: now })
      .where(and(eq(careLinks.id, link.id), eq(careLinks.status, "invited")));
    await tx.insert(userRoles).values({ userId, role: "caregiver" }).onConflictDoNothing();
    await audit(tx as unknown as Db, { actorUserId: userId, patientId: link.patientId, action: "links:accept", outcome: "done", detail: { linkId: link.id } });
    return { linkId: link.id, patientId: link.patientId };
  });
}

/** Creates a caregiver account and accepts the invite in one transaction: nothing partial is stored. */
export async function signUpCaregiverWithInvite(db: Db, input: { code: string; name: string; email: string; password: string }, now = new Date()) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
    if (taken) {
      throw new AppError(409, "conflict:email", "An account with this e-mail already exists. Sign in first, then enter the invite code.", {
        email: "An account with this e-mail already exists. Sign in first, then enter the invite code.",
      });
    }
    const [user] = await tx.insert(users).values({ email: input.email, name: input.name, passwordHash }).returning({ id: users.id });
    await tx.insert(userRoles).values({ userId: user!.id, role: "caregiver" });
    const [link] = await tx.select().from(careLinks).where(eq(careLinks.inviteCodeHash, hashInviteCode(input.code))).for("update").limit(1);
    if (!link || link.status !== "invited" || link.inviteExpiresAt.getTime() <= now.getTime()) throw invalidCode();
    await tx.update(careLinks).set({ caregiverUserId: user!.id, status: "active", acceptedAt: now }).where(eq(careLinks.id, link.id));
    await audit(tx as unknown as Db, { actorUserId: user!.id, patientId: link.patientId, action: "links:accept", outcome: "done", detail: { linkId: link.id, newAccount: true } });
    return { userId: user!.id, patientId: link.patientId };
  });
}

/** Revocation takes effect on the caregiver's very next request: the guard reads links every time. */
export async function revokeLink(db: Db, actor: Actor, linkId: string, now = new Date()) {
  const [link] = await db.select({ id: careLinks.id, patientId: careLinks.patientId, status: careLinks.status }).from(careLinks).where(eq(careLinks.id, linkId)).limit(1);
  if (!link) throw new AppError(404, "not_found", "That caregiver link was not found.");
  await authorizePatient(db, actor, link.patientId, "links:manage");
  if (link.status === "revoked") return { alreadyRevoked: true };
  await db.update(careLinks).set({ status: "revoked", revokedAt: now, revokedByUserId: actor.userId }).where(eq(careLinks.id, linkId));
  await audit(db, { actorUserId: actor.userId, patientId: link.patientId, action: "links:revoke", outcome: "done", detail: { linkId } });
  return { alreadyRevoked: false };
}
