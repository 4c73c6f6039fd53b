import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bolusRequests, patients, pumps, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { reconcileSyncedBoluses } from "@/lib/bolus/reconcile";
import { listBoluses, recordBolus } from "@/lib/bolus/record";
import { loadActor, type Actor } from "@/lib/auth/guard";
import { freshDb, testDrivers, type TestDb } from "../support/db";

describe.each(testDrivers)("bolus records on %s", (driver) => {
  let h: TestDb;
  let actor: Actor;
  let pumpId = "";
  let patientId = "";
  const now = new Date("2026-11-25T12:00:00Z");
  const iso = (ms: number) => new Date(now.getTime() + ms);

  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, now);
    const [u] = await h.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.patient));
    actor = (await loadActor(h.db, u!.id))!;
    const [p] = await h.db.select().from(patients).where(eq(patients.userId, u!.id));
    patientId = p!.id;
    const [pump] = await h.db.select().from(pumps).where(eq(pumps.patientId, patientId));
    pumpId = pump!.id;
  });
  afterAll(async () => h?.destroy());

  const rows = (token: number) => h.db.select().from(bolusRequests).where(and(eq(bolusRequests.pumpId, pumpId), eq(bolusRequests.token, token)));

  it("one token is one record: repeated and concurrent uploads never create a second", async () => {
    const input = { token: 4242, dose: 50, permissionVersion: 1, requestedAt: now };
    await Promise.all([recordBolus(h.db, actor, pumpId, patientId, input), recordBolus(h.db, actor, pumpId, patientId, input)]);
    const confirmed = await recordBolus(h.db, actor, pumpId, patientId, { ...input, outcome: { state: "confirmed", deliveredAt: iso(1000), deviceSeq: 90001 } });
    expect(confirmed).toMatchObject({ state: "confirmed", deviceSeq: 90001, outcomeSource: "live", limitViolation: false });
    // A late "unconfirmed" or "denied" from a stale tab cannot undo a confirmed delivery.
    expect((await recordBolus(h.db, actor, pumpId, patientId, { ...input, outcome: { state: "denied", resultCode: "lockout_active" } })).state).toBe("confirmed");
    expect(await rows(4242)).toHaveLength(1);
  });

  it("refuses a token reused for a different dose", async () => {
    await expect(recordBolus(h.db, actor, pumpId, patientId, { token: 4242, dose: 100, permissionVersion: 1, requestedAt: now })).rejects.toMatchObject({ status: 409 });
  });

  it("an unconfirmed bolus is reconciled by the synced device record into the same row", async () => {
    await recordBolus(h.db, actor, pumpId, patientId, { token: 777, dose: 50, permissionVersion: 1, requestedAt: iso(4 * 3600_000), outcome: { state: "unconfirmed" } });
    const r = await reconcileSyncedBoluses(h.db, {
      pumpId,
      patientId,
      events: [{ deviceSeq: 90002, logId: 0, occurredAt: iso(4 * 3600_000 + 5000), type: "bolus_delivered", payload: { token: 777, dose: 50, volumeUl: 25, permissionVersion: 1 } }],
    });
    expect(r).toEqual({ reconciled: 1, violations: 0 });
    const [row] = await rows(777);
    expect(row).toMatchObject({ state: "confirmed", deviceSeq: 90002, outcomeSource: "live" });
    expect(await rows(777)).toHaveLength(1);
  });

  it("a synced delivery that breaks the lockout is flagged as a limit violation", async () => {
    const r = await reconcileSyncedBoluses(h.db, {
      pumpId,
      patientId,
      events: [{ deviceSeq: 90003, logId: 0, occurredAt: iso(4 * 3600_000 + 600_000), type: "bolus_delivered", payload: { token: 778, dose: 50, volumeUl: 25, permissionVersion: 1 } }],
    });
    expect(r.violations).toBe(1);
    const [row] = await rows(778);
    expect(row?.limitViolation).toBe(true);
    expect(JSON.stringify(row?.violationDetail)).toContain("lockout");
    // Re-syncing the same record changes nothing and flags nothing new.
    expect((await reconcileSyncedBoluses(h.db, { pumpId, patientId, events: [{ deviceSeq: 90003, logId: 0, occurredAt: iso(4 * 3600_000 + 600_000), type: "bolus_delivered", payload: { token: 778, dose: 50, volumeUl: 25, permissionVersion: 1 } }] })).violations).toBe(0);
  });

  it("a denied record never downgrades a confirmed token, and the history lists all states", async () => {
    await reconcileSyncedBoluses(h.db, { pumpId, patientId, events: [{ deviceSeq: 90004, logId: 0, occurredAt: iso(5 * 3600_000), type: "bolus_denied", payload: { token: 777, requestedDose: 50, reason: "lockout_active" } }] });
    expect((await rows(777))[0]?.state).toBe("confirmed");
    await reconcileSyncedBoluses(h.db, { pumpId, patientId, events: [{ deviceSeq: 90005, logId: 0, occurredAt: iso(5 * 3600_000), type: "bolus_denied", payload: { token: 779, requestedDose: 50, reason: "daily_max_reached" } }] });
    const list = await listBoluses(h.db, pumpId, 10);
    expect(list.find((b) => b.token === 779)).toMatchObject({ state: "denied", resultCode: "daily_max_reached" });
    expect(new Set(list.map((b) => b.state))).toEqual(new Set(["confirmed", "denied"]));
  });
});
