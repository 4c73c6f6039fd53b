import "server-only";
import { asc, count, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db";
import { clinicMembers, clinics, patients, userRoles, users } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { requireRole, type Actor } from "@/lib/auth/guard";
import { hashPassword } from "@/lib/auth/password";
import { isUniqueViolation } from "@/lib/http/db-errors";
import { AppError } from "@/lib/http/errors";
import type { clinicianSchema, clinicSchema } from "./schemas";

export async function createClinic(db: Db, actor: Actor, input: z.infer<typeof clinicSchema>) {
  requireRole(actor, "admin");
  const [clinic] = await db.insert(clinics).values({ name: input.name, timeZone: input.timeZone, address: input.address || null }).returning({ id: clinics.id });
  await audit(db, { actorUserId: actor.userId, patientId: null, action: "admin:create-clinic", outcome: "done", detail: { clinicId: clinic?.id } });
  return clinic!;
}

export async function createClinician(db: Db, actor: Actor, input: z.infer<typeof clinicianSchema>) {
  requireRole(actor, "admin");
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [clinic] = await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, input.clinicId)).limit(1);
      if (!clinic) throw new AppError(400, "bad_request:clinic", "That clinic does not exist.", { clinicId: "That clinic does not exist." });
      const [user] = await tx.insert(users).values({ email: input.email, name: input.name, passwordHash }).returning({ id: users.id });
      await tx.insert(userRoles).values({ userId: user!.id, role: "clinician" });
      await tx.insert(clinicMembers).values({ clinicId: clinic.id, userId: user!.id });
      await audit(tx as unknown as Db, { actorUserId: actor.userId, patientId: null, action: "admin:create-clinician", outcome: "done", detail: { userId: user!.id, clinicId: clinic.id } });
      return user!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError(409, "conflict:email", "An account with this e-mail already exists.", { email: "An account with this e-mail already exists." });
    throw e;
  }
}

/** Clinics with head counts only: an admin sees no clinical data (DESIGN.md). */
export async function listClinicsForAdmin(db: Db, actor: Actor) {
  requireRole(actor, "admin");
  const rows = await db.select({ id: clinics.id, name: clinics.name, timeZone: clinics.timeZone }).from(clinics).orderBy(asc(clinics.name));
  const staff = await db.select({ clinicId: clinicMembers.clinicId, n: count() }).from(clinicMembers).groupBy(clinicMembers.clinicId);
  const people = await db.select({ clinicId: patients.clinicId, n: count() }).from(patients).groupBy(patients.clinicId);
  return rows.map((c) => ({ ...c, clinicians: staff.find((s) => s.clinicId === c.id)?.n ?? 0, patients: people.find((p) => p.clinicId === c.id)?.n ?? 0 }));
}
