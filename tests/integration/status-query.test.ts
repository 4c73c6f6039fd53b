import { and, asc, desc, eq, gte, lte } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import { bolusPermissions, deviceEvents, patients, prescriptions, pumps, pumpStatusReadings, refillAppointments, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { getPumpStatus } from "@/lib/pump/status-query";
import { freshDb, testDrivers, type TestDb } from "../support/db";

// getPumpStatus reads everything in one statement (LEFT JOIN LATERAL per part). These tests pin it
// to the plain reading of the rules — one simple query per part — on both drivers, including the
// cases a lateral join gets wrong most easily: nothing to join (null, not an all-null object),
// future versions, older pumps, non-scheduled appointments, events outside the 7-day window.

const NOW = new Date("2026-11-25T10:00:00Z");
const DAY = 86_400_000;

/** The reference: one straightforward query per part. */
async function reference(db: Db, patientId: string, now: Date) {
  const [pump] = await db.select().from(pumps).where(eq(pumps.patientId, patientId)).orderBy(desc(pumps.createdAt)).limit(1);
  if (!pump) return { pump: null };
  const [prescription] = await db
    .select()
    .from(prescriptions)
    .where(and(eq(prescriptions.pumpId, pump.id), lte(prescriptions.effectiveFrom, now)))
    .orderBy(desc(prescriptions.version))
    .limit(1);
  const [permission] = await db
    .select()
    .from(bolusPermissions)
    .where(and(eq(bolusPermissions.pumpId, pump.id), lte(bolusPermissions.effectiveFrom, now)))
    .orderBy(desc(bolusPermissions.version))
    .limit(1);
  const [reading] = await db.select().from(pumpStatusReadings).where(eq(pumpStatusReadings.pumpId, pump.id)).orderBy(desc(pumpStatusReadings.recordedAt)).limit(1);
  const [refill] = await db
    .select({ a: refillAppointments, clinicianName: users.name })
    .from(refillAppointments)
    .leftJoin(users, eq(users.id, refillAppointments.clinicianUserId))
    .where(and(eq(refillAppointments.pumpId, pump.id), eq(refillAppointments.status, "scheduled")))
    .orderBy(asc(refillAppointments.scheduledAt))
    .limit(1);
  const boluses = await db
    .select({ payload: deviceEvents.payload })
    .from(deviceEvents)
    .where(and(eq(deviceEvents.pumpId, pump.id), eq(deviceEvents.type, "bolus_delivered"), gte(deviceEvents.occurredAt, new Date(now.getTime() - 7 * DAY))));
  return { pump, prescription: prescription ?? null, permission: permission ?? null, reading: reading ?? null, refill: refill ?? null, boluses };
}

describe.each(testDrivers)("pump status in one round trip on %s", (driver) => {
  let h: TestDb;
  let alexId = "";
  let pumpId = "";

  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, NOW);
    const [u] = await h.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.patient));
    const [p] = await h.db.select().from(patients).where(eq(patients.userId, u!.id));
    alexId = p!.id;
    const [pump] = await h.db.select().from(pumps).where(eq(pumps.patientId, alexId));
    pumpId = pump!.id;
  });
  afterAll(async () => h?.destroy());

  it("matches the plain per-part queries for the demo patient", async () => {
    const s = await getPumpStatus(h.db, alexId, NOW);
    const ref = await reference(h.db, alexId, NOW);
    expect(s?.pump).toEqual(ref.pump);
    if (!s?.pump || !ref.pump) throw new Error("the demo patient has a pump");
    expect(s.prescription).toEqual(ref.prescription);
    expect(s.bolusPermission).toEqual(ref.permission);
    const { stale: _stale, percent: _percent, alarms: _alarms, ...reading } = s.reading!;
    expect(reading).toEqual(ref.reading);
    const { clinicianName, check: _check, ...appointment } = s.nextRefill!;
    expect(appointment).toEqual(ref.refill!.a);
    expect(clinicianName).toBe(ref.refill!.clinicianName);
    expect(ref.boluses.length).toBeGreaterThan(0);
    expect(s.reading!.recordedAt).toBeInstanceOf(Date);
  });

  it("ignores a future prescription version, later appointments, non-scheduled ones and events older than 7 days", async () => {
    const before = await getPumpStatus(h.db, alexId, NOW);
    const current = before!.prescription!;
    await h.db.insert(prescriptions).values({ ...current, id: undefined, version: current.version + 1, dailyDose: current.dailyDose * 2, effectiveFrom: new Date(NOW.getTime() + DAY) });
    await h.db.insert(refillAppointments).values([
      { pumpId, scheduledAt: new Date(NOW.getTime() + 2 * DAY), location: "Earlier but cancelled", status: "cancelled" },
      { pumpId, scheduledAt: new Date(NOW.getTime() + 400 * DAY), location: "Much later", status: "scheduled" },
    ]);
    await h.db.insert(deviceEvents).values({ pumpId, logId: 77, deviceSeq: 1, occurredAt: new Date(NOW.getTime() - 8 * DAY), type: "bolus_delivered", payload: { volumeUl: 999_999 } });
    const after = await getPumpStatus(h.db, alexId, NOW);
    expect(after!.prescription).toEqual(current);
    expect(after!.nextRefill!.id).toBe(before!.nextRefill!.id);
    expect(after!.projection).toEqual(before!.projection);
  });

  it("counts device-reported bolus volume of the last 7 days in the projection", async () => {
    const before = await getPumpStatus(h.db, alexId, NOW);
    await h.db.insert(deviceEvents).values({ pumpId, logId: 77, deviceSeq: 2, occurredAt: new Date(NOW.getTime() - DAY), type: "bolus_delivered", payload: { volumeUl: 5_000 } });
    const after = await getPumpStatus(h.db, alexId, NOW);
    expect(after!.projection).not.toEqual(before!.projection);
  });

  it("uses the newest pump and answers null parts (not empty objects) when it has no data yet", async () => {
    await h.db.insert(pumps).values({ patientId: alexId, model: "Replacement", serialNumber: `REPL-${driver}`, reservoirCapacityUl: 40_000, createdAt: new Date(Date.now() + DAY) });
    const s = await getPumpStatus(h.db, alexId, NOW);
    expect(s!.pump!.model).toBe("Replacement");
    expect(s!.prescription).toBeNull();
    expect(s!.bolusPermission).toBeNull();
    expect(s!.reading).toBeNull();
    expect(s!.nextRefill).toBeNull();
  });

  it("answers pump: null for a patient without a pump, and null for an unknown patient", async () => {
    const [jordanUser] = await h.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.otherPatient));
    const [jordan] = await h.db.select().from(patients).where(eq(patients.userId, jordanUser!.id));
    await h.db.delete(pumps).where(eq(pumps.patientId, jordan!.id));
    const s = await getPumpStatus(h.db, jordan!.id, NOW);
    expect(s).toMatchObject({ pump: null, patient: { id: jordan!.id } });
    expect(await getPumpStatus(h.db, "00000000-0000-4000-8000-000000000000", NOW)).toBeNull();
  });
});
