import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, careLinks, patients, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { authorizePatient, loadActor, type Actor } from "@/lib/auth/guard";
import { PATIENT_ACTIONS } from "@/lib/auth/policy";
import { acceptInvite, createInvite, revokeLink, signUpCaregiverWithInvite } from "@/lib/care-links/mutations";
import { AppError } from "@/lib/http/errors";
import { freshDb, testDrivers, type TestDb } from "../support/db";

describe.each(testDrivers)("authorisation and care links on %s", (driver) => {
  let h: TestDb;
  const now = new Date("2026-11-25T10:00:00Z");
  const actors: Record<keyof typeof DEMO_ACCOUNTS, Actor> = {} as never;
  let alexId = "";
  let jordanId = "";

  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, now);
    for (const [key, email] of Object.entries(DEMO_ACCOUNTS)) {
      const [u] = await h.db.select().from(users).where(eq(users.email, email));
      actors[key as keyof typeof DEMO_ACCOUNTS] = (await loadActor(h.db, u!.id))!;
    }
    const [alex] = await h.db.select().from(patients).where(eq(patients.displayName, "Alex Morgan"));
    const [jordan] = await h.db.select().from(patients).where(eq(patients.displayName, "Jordan Reyes"));
    alexId = alex!.id;
    jordanId = jordan!.id;
  });
  afterAll(async () => h?.destroy());

  const allowed = async (actor: Actor, patientId: string, action: (typeof PATIENT_ACTIONS)[number]) => {
    try {
      await authorizePatient(h.db, actor, patientId, action);
      return true;
    } catch (e) {
      if (e instanceof AppError && e.status === 404) return false;
      throw e;
    }
  };

  it("lets each role see exactly what it may, for every action", async () => {
    const expectations: [keyof typeof DEMO_ACCOUNTS, string, (a: string) => boolean][] = [
      ["patient", "alex", (a) => !["therapy:write", "refills:write"].includes(a)],
      ["patient", "jordan", () => false],
      ["caregiver", "alex", (a) => !["sync:write", "bolus:record", "links:manage", "therapy:write", "refills:write"].includes(a)],
      ["caregiver", "jordan", () => false],
      ["clinician", "alex", (a) => !["sync:write", "bolus:record", "links:manage"].includes(a)],
      ["clinician", "jordan", (a) => !["sync:write", "bolus:record", "links:manage"].includes(a)],
      ["otherClinician", "alex", () => false],
      ["admin", "alex", () => false],
    ];
    for (const [who, patient, rule] of expectations) {
      for (const action of PATIENT_ACTIONS) {
        const got = await allowed(actors[who], patient === "alex" ? alexId : jordanId, action);
        expect({ who, patient, action, got }).toEqual({ who, patient, action, got: rule(action) });
      }
    }
  });

  it("audits allowed and denied reads", async () => {
    await allowed(actors.caregiver, jordanId, "status:read");
    const rows = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorUserId, actors.caregiver.userId), eq(auditLog.patientId, jordanId), eq(auditLog.outcome, "denied")));
    expect(rows.length).toBeGreaterThan(0);
    const ok = await h.db.select().from(auditLog).where(and(eq(auditLog.actorUserId, actors.caregiver.userId), eq(auditLog.patientId, alexId), eq(auditLog.outcome, "allowed")));
    expect(ok.length).toBeGreaterThan(0);
  });

  it("treats a malformed or unknown patient id as not found", async () => {
    expect(await allowed(actors.clinician, "not-a-uuid", "status:read")).toBe(false);
    expect(await allowed(actors.clinician, "00000000-0000-4000-8000-000000000000", "status:read")).toBe(false);
  });

  it("invites, accepts with scopes, and revokes with effect on the very next check", async () => {
    const invite = await createInvite(h.db, actors.otherPatient, jordanId, { label: "Neighbour", scopes: ["status"] }, now);
    expect(invite.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    // Another patient cannot invite for Jordan.
    await expect(createInvite(h.db, actors.patient, jordanId, { label: "x", scopes: ["status"] }, now)).rejects.toBeInstanceOf(AppError);
    expect(await allowed(actors.caregiver, jordanId, "status:read")).toBe(false);
    await acceptInvite(h.db, actors.caregiver.userId, invite.code.toLowerCase(), now);
    expect(await allowed(actors.caregiver, jordanId, "status:read")).toBe(true);
    expect(await allowed(actors.caregiver, jordanId, "refills:read")).toBe(false); // scope not granted
    // A used code cannot be used again.
    await expect(acceptInvite(h.db, actors.otherClinician.userId, invite.code, now)).rejects.toMatchObject({ code: "bad_request:invite" });
    // Only the patient can revoke.
    await expect(revokeLink(h.db, actors.caregiver, invite.linkId, now)).rejects.toBeInstanceOf(AppError);
    await revokeLink(h.db, actors.otherPatient, invite.linkId, now);
    expect(await allowed(actors.caregiver, jordanId, "status:read")).toBe(false);
    const [link] = await h.db.select().from(careLinks).where(eq(careLinks.id, invite.linkId));
    expect(link).toMatchObject({ status: "revoked", revokedByUserId: actors.otherPatient.userId });
  });

  it("refuses expired codes, self-links and duplicate links", async () => {
    const expired = await createInvite(h.db, actors.patient, alexId, { label: "Late", scopes: ["status"] }, new Date(now.getTime() - 8 * 24 * 3600_000));
    await expect(acceptInvite(h.db, actors.otherClinician.userId, expired.code, now)).rejects.toMatchObject({ code: "bad_request:invite" });
    const self = await createInvite(h.db, actors.patient, alexId, { label: "Me", scopes: ["status"] }, now);
    await expect(acceptInvite(h.db, actors.patient.userId, self.code, now)).rejects.toMatchObject({ message: "You cannot be your own caregiver." });
    await expect(acceptInvite(h.db, actors.caregiver.userId, self.code, now)).rejects.toMatchObject({ code: "conflict:invite" });
  });

  it("creates a caregiver account with an invite atomically: a bad code stores no account", async () => {
    await expect(
      signUpCaregiverWithInvite(h.db, { code: "ZZZZZ-ZZZZZ", name: "Eve", email: "eve@example.test", password: "long-enough-pass" }, now),
    ).rejects.toMatchObject({ code: "bad_request:invite" });
    expect(await h.db.select().from(users).where(eq(users.email, "eve@example.test"))).toHaveLength(0);
    const invite = await createInvite(h.db, actors.patient, alexId, { label: "Eve", scopes: ["alarms"] }, now);
    const r = await signUpCaregiverWithInvite(h.db, { code: invite.code, name: "Eve", email: "eve@example.test", password: "long-enough-pass" }, now);
    const eve = (await loadActor(h.db, r.userId))!;
    expect([...eve.roles]).toEqual(["caregiver"]);
    expect(await allowed(eve, alexId, "alarms:read")).toBe(true);
    expect(await allowed(eve, alexId, "status:read")).toBe(false);
  });
});
