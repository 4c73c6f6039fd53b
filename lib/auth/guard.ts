import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb, type Db } from "@/db";
import { preparedPer, statementName } from "@/db/prepared";
import { careLinks, clinicMembers, patients, userRoles, users, type Role } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { AppError, forbidden, notFound, unauthenticated } from "@/lib/http/errors";
import { auth } from "./auth";
import { decide, type PatientAction } from "./policy";
import { homeFor } from "./roles";
import { lookupSession } from "./session-token";

export interface Actor {
  userId: string;
  email: string;
  name: string;
  timeZone: string;
  roles: ReadonlySet<Role>;
}

/** The signed-in user, re-read from the database (a disabled or deleted user is signed out at once). */
export async function currentActor(db?: Db): Promise<Actor | null> {
  const userId = await sessionUserId();
  if (!userId) return null;
  return loadActor(db ?? (await getDb()), userId);
}

/** The session's user id: decoded once per token (lib/auth/session-token.ts), else Auth.js decides. */
async function sessionUserId(): Promise<string | null> {
  const lookup = await lookupSession(await cookies(), process.env.AUTH_SECRET);
  if (lookup.kind === "anonymous") return null;
  if (lookup.kind === "user") return lookup.userId;
  const session = await auth();
  return session?.user?.id ?? null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Every request runs these two lookups, so they are prepared once (db/prepared.ts).
const actorQuery = preparedPer((db: Db) =>
  db
    .select({ user: users, role: userRoles.role })
    .from(users)
    .leftJoin(userRoles, eq(userRoles.userId, users.id))
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare(statementName("actor_v1")),
);

const relationshipQuery = preparedPer((db: Db) =>
  db
    .select({
      userId: patients.userId,
      clinicId: patients.clinicId,
      linkStatus: careLinks.status,
      linkScopes: careLinks.scopes,
      memberClinicId: clinicMembers.clinicId,
    })
    .from(patients)
    .leftJoin(careLinks, and(eq(careLinks.patientId, patients.id), eq(careLinks.caregiverUserId, sql.placeholder("userId")), eq(careLinks.status, "active")))
    .leftJoin(clinicMembers, and(eq(clinicMembers.clinicId, patients.clinicId), eq(clinicMembers.userId, sql.placeholder("userId"))))
    .where(eq(patients.id, sql.placeholder("patientId")))
    .limit(1)
    .prepare(statementName("relationship_v1")),
);

export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  if (!UUID_RE.test(userId)) return null;
  const rows = await actorQuery(db).execute({ userId });
  const first = rows[0];
  if (!first || first.user.disabledAt) return null;
  const roles = new Set<Role>();
  for (const r of rows) if (r.role) roles.add(r.role);
  return { userId: first.user.id, email: first.user.email, name: first.user.name, timeZone: first.user.timeZone, roles };
}

/** For route handlers and server actions: throws a 401 AppError when nobody is signed in. */
export async function requireActor(db?: Db): Promise<Actor> {
  const actor = await currentActor(db);
  if (!actor) throw unauthenticated();
  return actor;
}

/** For pages: redirects to sign-in, or to the user's own home when they lack the role. */
export async function requirePageActor(role?: Role): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  if (role && !actor.roles.has(role)) redirect(homeFor(actor.roles));
  return actor;
}

export function requireRole(actor: Actor, role: Role): void {
  if (!actor.roles.has(role)) throw forbidden("this page");
}

export interface PatientAccess {
  patientId: string;
  clinicId: string;
  via: "self" | "caregiver" | "clinician";
  /** Whether the same actor may also do `action` to this patient (same relationship, no new query). */
  can(action: PatientAction): boolean;
}

/**
 * The one gate for patient data: decides from role, care link and clinic membership read
 * now from the database (one query), and writes an audit entry whether allowed or denied.
 * Denials look like "not found" so that a probe cannot learn which patients exist.
 */
export async function authorizePatient(db: Db, actor: Actor, patientId: string, action: PatientAction): Promise<PatientAccess> {
  if (!UUID_RE.test(patientId)) throw notFound("That patient");
  const [row] = await relationshipQuery(db).execute({ userId: actor.userId, patientId });
  if (!row) {
    await audit(db, { actorUserId: actor.userId, patientId: null, action, outcome: "denied", detail: { reason: "no such patient" } });
    throw notFound("That patient");
  }
  const rel = {
    roles: actor.roles,
    isSelf: row.userId === actor.userId,
    careLink: row.linkStatus && row.linkScopes ? { status: row.linkStatus, scopes: row.linkScopes } : null,
    clinicMember: row.memberClinicId !== null,
  };
  const decision = decide(rel, action);
  if (!decision.allowed) {
    await audit(db, { actorUserId: actor.userId, patientId, action, outcome: "denied", detail: { reason: decision.reason } });
    throw new AppError(404, "not_found", "That patient was not found, or you do not have access to their information.");
  }
  await audit(db, { actorUserId: actor.userId, patientId, action, outcome: "allowed", detail: { via: decision.via } });
  return { patientId, clinicId: row.clinicId, via: decision.via, can: (other) => decide(rel, other).allowed };
}

/** The patient record of a signed-in patient (their own). */
export async function ownPatientId(db: Db, actor: Actor): Promise<string | null> {
  if (!actor.roles.has("patient")) return null;
  const [row] = await db.select({ id: patients.id }).from(patients).where(eq(patients.userId, actor.userId)).limit(1);
  return row?.id ?? null;
}

/** Like authorizePatient but answers yes/no (still audited): for optional parts of a page. */
export async function mayPatient(db: Db, actor: Actor, patientId: string, action: PatientAction): Promise<boolean> {
  try {
    await authorizePatient(db, actor, patientId, action);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return false;
    throw e;
  }
}
