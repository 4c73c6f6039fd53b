import { asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, patients, rateLimitHits, trialConsents, trialIntakes, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { loadActor, type Actor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { authorizeIntake } from "@/lib/trials/access";
import { loadCatalogue, matchIntake } from "@/lib/trials/catalogue";
import { consentToShow, loadConsentState, revokeConsent } from "@/lib/trials/consent";
import { buildConsent } from "@/lib/trials/fhir";
import { requireActiveConsent } from "@/lib/trials/http";
import { checkSubmission, createIntake, storedAnswers, type CreateContext } from "@/lib/trials/intake";
import { seedTrialCatalogue } from "@/lib/trials/import";
import { hitRateLimit, type RateLimit } from "@/lib/trials/rate-limit";
import { signedDocument } from "@/lib/trials/consent";
import { freshDb, testDrivers, type TestDb } from "../support/db";
import { NOW, validPayload } from "../unit/trials/intake-fixtures";

const ctx = (overrides: Partial<CreateContext> = {}): CreateContext => ({
  now: NOW,
  ip: "203.0.113.7",
  userAgent: "vitest",
  submittedByUserId: null,
  patientId: null,
  ...overrides,
});

describe.each(testDrivers)("trial-matching intake on %s", (driver) => {
  let h: TestDb;
  let alex: Actor;
  let jordan: Actor;
  let alexPatientId = "";

  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, NOW);
    await seedTrialCatalogue(h.db, NOW);
    const actor = async (email: string) => {
      const [u] = await h.db.select().from(users).where(eq(users.email, email));
      return (await loadActor(h.db, u!.id))!;
    };
    alex = await actor(DEMO_ACCOUNTS.patient);
    jordan = await actor(DEMO_ACCOUNTS.otherPatient);
    const [p] = await h.db.select().from(patients).where(eq(patients.userId, alex.userId));
    alexPatientId = p!.id;
  });
  afterAll(async () => h?.destroy());

  const counts = async () => {
    const [i] = await h.db.select({ n: count() }).from(trialIntakes);
    const [c] = await h.db.select({ n: count() }).from(trialConsents);
    return { intakes: i?.n ?? 0, consents: c?.n ?? 0 };
  };

  async function submit(payload: unknown, context = ctx()) {
    const check = checkSubmission(payload, context.now);
    if (!check.ok) throw new Error(`unexpected field errors: ${JSON.stringify(check.fields)}`);
    return createIntake(h.db, check.input, check.location, context);
  }

  it("stores the intake and one signed consent row holding the hash of the exact text shown", async () => {
    const before = await counts();
    const payload = validPayload();
    const created = await submit(payload);
    expect(await counts()).toEqual({ intakes: before.intakes + 1, consents: before.consents + 1 });

    const [intake] = await h.db.select().from(trialIntakes).where(eq(trialIntakes.id, created.intakeId));
    expect(intake).toMatchObject({ cancerTypeId: "breast", dateOfBirth: "1980-02-03", sex: "female", zip: "02115", travelKm: 80, timeZone: "America/New_York", patientId: null });
    expect(intake!.latitude).toBeCloseTo(42.34, 1);
    expect(intake!.accessTokenHash).not.toContain(created.accessToken);
    expect(storedAnswers(intake!.answers)).toMatchObject({ patientName: "Ann Lee", consentExpiresOn: "2027-11-25", currentTreatments: ["chemotherapy"] });
    expect(intake!.answers).not.toHaveProperty("consent");

    const rows = await h.db.select().from(trialConsents).where(eq(trialConsents.intakeId, created.intakeId));
    const shown = consentToShow(NOW, "America/New_York");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      event: "signed",
      textVersion: shown.version,
      textSha256: shown.sha256,
      signerName: "Ann Lee",
      signerRole: "self",
      guardianRelationship: null,
      ip: "203.0.113.7",
      userAgent: "vitest",
      at: NOW,
      expiresAt: new Date("2027-11-26T04:59:59.999Z"),
    });
    // The PDF/FHIR path rebuilds the same text from the stored version and verifies the hash.
    expect(signedDocument(rows[0]!, "2027-11-25").text).toBe(shown.text);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, "trial-intake:create"));
    expect(entry?.detail).toMatchObject({ intakeId: created.intakeId });
    expect(JSON.stringify(entry?.detail)).not.toContain("Ann Lee");
  });

  it("explains matches from the stored catalogue, sorted by fit then distance", async () => {
    const created = await submit(validPayload());
    const [intake] = await h.db.select().from(trialIntakes).where(eq(trialIntakes.id, created.intakeId));
    const matches = matchIntake(intake!, await loadCatalogue(h.db), NOW);
    expect(matches).toHaveLength(17);
    expect(matches[0]).toMatchObject({ nctId: "NCT09000101", verdict: "eligible" });
    expect(matches[0]!.distanceKm).toBeLessThan(10);
    expect(matches[0]!.reasons.map((r) => r.criterion)).toEqual(["status", "condition", "age", "sex", "distance", "phase"]);
    const rank = { eligible: 0, needs_review: 1, not_eligible: 2 } as const;
    for (let i = 1; i < matches.length; i++) expect(rank[matches[i]!.verdict]).toBeGreaterThanOrEqual(rank[matches[i - 1]!.verdict]);
  });

  it("stores nothing for a submission without consent, with a future birthday, an unknown ZIP or a wrong consent hash", async () => {
    const before = await counts();
    const bad = [
      validPayload({ consent: { accepted: false as never } }),
      validPayload({ dateOfBirth: "2026-11-26" }),
      validPayload({ zip: "00000" }),
      validPayload({ consent: { sha256: "0".repeat(64) } }),
      (() => {
        const { consent: _c, ...rest } = validPayload();
        return rest;
      })(),
    ];
    const fieldsSeen = bad.map((p) => {
      const r = checkSubmission(p, NOW);
      expect(r.ok).toBe(false);
      return r.ok ? [] : Object.keys(r.fields);
    });
    expect(fieldsSeen).toEqual([["consent.accepted"], ["dateOfBirth"], ["zip"], ["consent"], ["consent"]]);
    expect(await counts()).toEqual(before);
  });

  it("stores nothing partial when a write fails midway (intake written, consent refused)", async () => {
    const before = await counts();
    const check = checkSubmission(validPayload(), NOW);
    if (!check.ok) throw new Error("fixture invalid");
    // PostgreSQL refuses NUL in text: the consent insert, after the intake insert, fails.
    await expect(createIntake(h.db, check.input, check.location, ctx({ userAgent: "bad\u0000agent" }))).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });

  it("links a signed-in patient's own intake; access is for the signer, the linked patient and the token holder only", async () => {
    const created = await submit(validPayload({ patientName: "Alex Morgan", consent: { signatureName: "Alex Morgan" } }), ctx({ submittedByUserId: alex.userId, patientId: alexPatientId }));
    const id = created.intakeId;
    expect((await authorizeIntake(h.db, id, { actor: alex, token: null }, "read")).via).toBe("signer");
    expect((await authorizeIntake(h.db, id, { actor: null, token: created.accessToken }, "read")).via).toBe("token");
    await expect(authorizeIntake(h.db, id, { actor: jordan, token: null }, "read")).rejects.toMatchObject({ status: 404 });
    await expect(authorizeIntake(h.db, id, { actor: null, token: null }, "read")).rejects.toBeInstanceOf(AppError);
    const other = await submit(validPayload());
    await expect(authorizeIntake(h.db, id, { actor: null, token: other.accessToken }, "read")).rejects.toMatchObject({ status: 404 });
    await expect(authorizeIntake(h.db, "not-a-uuid", { actor: alex, token: null }, "read")).rejects.toMatchObject({ status: 404 });

    // Submitted anonymously but linked to Alex's record (e.g. by a clinic): the linked patient may see it.
    const [row] = await h.db.insert(trialIntakes).values({ ...(await h.db.select().from(trialIntakes).where(eq(trialIntakes.id, other.intakeId)))[0]!, id: undefined, accessTokenHash: "f".repeat(64), patientId: alexPatientId, submittedByUserId: null }).returning();
    expect((await authorizeIntake(h.db, row!.id, { actor: alex, token: null }, "read")).via).toBe("patient");

    const denied = await h.db.select().from(auditLog).where(eq(auditLog.action, "trial-intake:read"));
    expect(denied.some((a) => a.outcome === "denied" && a.actorUserId === jordan.userId)).toBe(true);
  });

  it("records a guardian's signature with their relationship", async () => {
    const created = await submit(
      validPayload({ signerRole: "guardian", guardianRelationship: "parent", patientName: "Sam Lee", dateOfBirth: "2015-06-01", cancerTypeId: "glioma", zip: "19104", consent: { signatureName: "Ann Lee" } }),
    );
    const [row] = await h.db.select().from(trialConsents).where(eq(trialConsents.intakeId, created.intakeId));
    expect(row).toMatchObject({ signerRole: "guardian", guardianRelationship: "parent", signerName: "Ann Lee" });
  });

  it("revokes by appending a row: the signed row is untouched, sharing stops, and a second revocation adds nothing", async () => {
    const created = await submit(validPayload());
    const id = created.intakeId;
    const [signedBefore] = await h.db.select().from(trialConsents).where(eq(trialConsents.intakeId, id));
    const later = new Date(NOW.getTime() + 3600_000);

    const r = await revokeConsent(h.db, id, { name: "Ann Lee", role: "self", actorUserId: null, ip: "198.51.100.1", userAgent: "ua", now: later });
    expect(r.kind).toBe("revoked");
    const again = await revokeConsent(h.db, id, { name: "Ann Lee", role: "self", actorUserId: null, ip: null, userAgent: null, now: new Date(later.getTime() + 1000) });
    expect(again.kind).toBe("already_revoked");

    const rows = await h.db.select().from(trialConsents).where(eq(trialConsents.intakeId, id)).orderBy(asc(trialConsents.at));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual(signedBefore);
    expect(rows[1]).toMatchObject({ event: "revoked", at: later, signerName: "Ann Lee", ip: "198.51.100.1", textSha256: signedBefore!.textSha256 });

    const state = await loadConsentState(h.db, id, later);
    expect(state?.status).toBe("revoked");
    expect(() => requireActiveConsent(state)).toThrow(expect.objectContaining({ status: 403, code: "forbidden:consent_revoked" }));
    // The person keeps access to their own record (to see that it is revoked, and download the copy).
    expect((await authorizeIntake(h.db, id, { actor: null, token: created.accessToken }, "read")).via).toBe("token");
  });

  it("never appends two revocations, even when revoked twice at once", async () => {
    const { intakeId } = await submit(validPayload());
    const input = { name: "Ann Lee", role: "self" as const, actorUserId: null, ip: null, userAgent: null, now: new Date(NOW.getTime() + 60_000) };
    const results = await Promise.all([revokeConsent(h.db, intakeId, input), revokeConsent(h.db, intakeId, input), revokeConsent(h.db, intakeId, input)]);
    expect(results.filter((r) => r.kind === "revoked")).toHaveLength(1);
    const rows = await h.db.select().from(trialConsents).where(eq(trialConsents.intakeId, intakeId));
    expect(rows.filter((r) => r.event === "revoked")).toHaveLength(1);
  });

  it("exports an active consent as FHIR with the stored hash", async () => {
    const created = await submit(validPayload());
    const { intake } = await authorizeIntake(h.db, created.intakeId, { actor: null, token: created.accessToken }, "fhir");
    const state = await loadConsentState(h.db, created.intakeId, NOW);
    requireActiveConsent(state);
    const answers = storedAnswers(intake.answers)!;
    const c = buildConsent({ id: intake.id, createdAt: intake.createdAt, zip: intake.zip, answers }, state.signed, signedDocument(state.signed, answers.consentExpiresOn));
    expect(c.extension[0]?.valueString).toBe(created.consentSha256);
  });

  it("rate-limits per address in Postgres, and lifts the limit when the window passes", async () => {
    const limit: RateLimit = { bucket: "test-intake", max: 3, windowMs: 10 * 60_000 };
    const t0 = new Date("2026-11-25T12:00:00Z");
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    expect(await hitRateLimit(h.db, limit, "192.0.2.1", at(0))).toEqual({ allowed: true });
    expect(await hitRateLimit(h.db, limit, "192.0.2.1", at(1))).toEqual({ allowed: true });
    expect(await hitRateLimit(h.db, limit, "192.0.2.1", at(2))).toEqual({ allowed: true });
    expect(await hitRateLimit(h.db, limit, "192.0.2.1", at(3))).toEqual({ allowed: false, retryAfterSeconds: 7 * 60 });
    // Another address is not affected; neither is another bucket.
    expect(await hitRateLimit(h.db, limit, "192.0.2.2", at(3))).toEqual({ allowed: true });
    expect(await hitRateLimit(h.db, { ...limit, bucket: "other" }, "192.0.2.1", at(3))).toEqual({ allowed: true });
    // Refused attempts are not recorded: once the first hit ages out, one more is allowed.
    expect(await hitRateLimit(h.db, limit, "192.0.2.1", at(10.5))).toEqual({ allowed: true });
    expect((await hitRateLimit(h.db, limit, "192.0.2.1", at(10.6))).allowed).toBe(false);
    // Old hits are pruned, not kept forever.
    const rows = await h.db.select().from(rateLimitHits).where(eq(rateLimitHits.key, "192.0.2.1"));
    expect(rows.every((r) => r.at.getTime() > at(0).getTime())).toBe(true);
  });

  it("counts concurrent requests exactly", async () => {
    const limit: RateLimit = { bucket: "test-concurrent", max: 5, windowMs: 60_000 };
    const now = new Date("2026-11-25T13:00:00Z");
    const results = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(h.db, limit, "192.0.2.9", now)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });
});
