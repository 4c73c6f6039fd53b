import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInAttempts, users } from "@/db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "@/db/seed";
import { checkCredentials } from "@/lib/auth/credentials";
import { SIGN_IN_WINDOW_MS } from "@/lib/auth/rate-limit";
import { freshDb, testDrivers, type TestDb } from "../support/db";

describe.each(testDrivers)("sign-in on %s", (driver) => {
  let h: TestDb;
  const t0 = new Date("2026-11-25T10:00:00Z");
  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, t0);
  });
  afterAll(async () => h?.destroy());

  it("accepts the right password, case-insensitively on the e-mail", async () => {
    const r = await checkCredentials(h.db, { email: "  Alex.Patient@Demo.PumpPortal.test ", password: DEMO_PASSWORD }, "10.0.0.1", t0);
    expect(r.kind).toBe("ok");
    if (r.kind === "ok") expect(r.user.email).toBe(DEMO_ACCOUNTS.patient);
  });

  it("answers a wrong password and an unknown account identically", async () => {
    const wrong = await checkCredentials(h.db, { email: DEMO_ACCOUNTS.caregiver, password: "nope" }, "10.0.0.2", t0);
    const unknown = await checkCredentials(h.db, { email: "nobody@example.test", password: "nope" }, "10.0.0.2", t0);
    expect(wrong).toEqual({ kind: "failed" });
    expect(unknown).toEqual({ kind: "failed" });
  });

  it("rejects malformed input without touching the database", async () => {
    const before = await h.db.select().from(signInAttempts);
    for (const bad of [null, {}, { email: 5, password: [] }, { email: "x".repeat(10_000), password: "p" }, { email: "a@b.test", password: "p".repeat(5000) }]) {
      expect(await checkCredentials(h.db, bad, null, t0)).toEqual({ kind: "invalid" });
    }
    expect((await h.db.select().from(signInAttempts)).length).toBe(before.length);
  });

  it("refuses the sixth attempt within 15 minutes even with the right password, then lifts", async () => {
    const email = DEMO_ACCOUNTS.clinician;
    for (let i = 0; i < 5; i++) {
      const at = new Date(t0.getTime() + i * 60_000);
      expect(await checkCredentials(h.db, { email, password: `wrong-${i}` }, "10.0.0.3", at)).toEqual({ kind: "failed" });
    }
    const sixth = new Date(t0.getTime() + 6 * 60_000);
    expect(await checkCredentials(h.db, { email, password: DEMO_PASSWORD }, "10.0.0.4", sixth)).toEqual({ kind: "rate_limited" });
    // Other accounts are unaffected.
    expect((await checkCredentials(h.db, { email: DEMO_ACCOUNTS.admin, password: DEMO_PASSWORD }, "10.0.0.4", sixth)).kind).toBe("ok");
    // Once the fifth failure is older than the window, the right password works again.
    const later = new Date(t0.getTime() + 4 * 60_000 + SIGN_IN_WINDOW_MS + 1000);
    expect((await checkCredentials(h.db, { email, password: DEMO_PASSWORD }, "10.0.0.4", later)).kind).toBe("ok");
  });

  it("counts concurrent failures exactly (advisory lock), never letting a sixth through", async () => {
    const email = DEMO_ACCOUNTS.otherClinician;
    const at = new Date(t0.getTime() + 3600_000);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => checkCredentials(h.db, { email, password: `bad-${i}` }, "10.0.0.5", at)));
    expect(results.filter((r) => r.kind === "failed")).toHaveLength(5);
    expect(results.filter((r) => r.kind === "rate_limited")).toHaveLength(3);
  });

  it("refuses a disabled account", async () => {
    await h.db.update(users).set({ disabledAt: t0 }).where(eq(users.email, DEMO_ACCOUNTS.otherPatient));
    expect(await checkCredentials(h.db, { email: DEMO_ACCOUNTS.otherPatient, password: DEMO_PASSWORD }, null, new Date(t0.getTime() + 7200_000))).toEqual({ kind: "failed" });
  });
});
