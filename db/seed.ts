import { count } from "drizzle-orm";
import { hashPassword } from "../lib/auth/password";
import type { Db } from "./client";
import * as s from "./schema";

export const DEMO_PASSWORD = "pump-demo-2026";
export const DEMO_ACCOUNTS = {
  patient: "alex.patient@demo.pumpportal.test",
  caregiver: "sam.caregiver@demo.pumpportal.test",
  clinician: "dr.okafor@demo.pumpportal.test",
  admin: "admin@demo.pumpportal.test",
  otherPatient: "jordan.patient@demo.pumpportal.test",
  otherClinician: "dr.lindqvist@demo.pumpportal.test",
} as const;

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Small deterministic PRNG so the demo looks the same on every machine. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(s.users);
  return (row?.n ?? 0) === 0;
}

export async function seedDemoIfEmpty(db: Db, now = new Date()): Promise<boolean> {
  // The sample trial catalogue is idempotent: (re)importing it writes nothing when unchanged.
  const { seedTrialCatalogue } = await import("../lib/trials/import");
  if (!(await isEmpty(db))) {
    await seedTrialCatalogue(db);
    return false;
  }
  await seedDemo(db, now);
  await seedTrialCatalogue(db);
  return true;
}

interface PumpHistoryPlan {
  pumpId: string;
  capacityUl: number;
  basalUlPerDay: number;
  bolusUl: number;
  bolusDose: number;
  lockoutMs: number;
  maxPerDay: number;
  meanBolusesPerDay: number;
  /** Refills (days ago, filled to this volume), oldest first. */
  refills: { daysAgo: number; fillToUl: number }[];
  lastSyncAgoMs: number;
  batteryStart: number;
  concentration: number;
  seed: number;
}

/**
 * Simulates 90 days of a pump: basal drain, patient boluses within the permission,
 * refills, battery. Produces 6-hourly status readings and the device event log.
 */
function simulateHistory(plan: PumpHistoryPlan, now: number) {
  const rand = mulberry32(plan.seed);
  const start = now - 90 * DAY;
  const end = now - plan.lastSyncAgoMs;
  const readings: (typeof s.pumpStatusReadings.$inferInsert)[] = [];
  const events: (typeof s.deviceEvents.$inferInsert)[] = [];
  let seq = 1000;
  let reservoir = plan.refills[0]?.fillToUl ?? plan.capacityUl;
  const refills = plan.refills.map((r) => ({ at: now - r.daysAgo * DAY, fillTo: r.fillToUl, done: false }));
  // Drain from the first refill before the window to the start of the window.
  const firstRefill = refills[0];
  if (firstRefill && firstRefill.at < start) {
    firstRefill.done = true;
    reservoir = firstRefill.fillTo - Math.round(((start - firstRefill.at) / DAY) * (plan.basalUlPerDay + plan.meanBolusesPerDay * plan.bolusUl));
  }
  let lastBolus = -Infinity;
  const recentBoluses: number[] = [];
  const stepMs = HOUR;
  for (let t = start; t <= end; t += stepMs) {
    reservoir -= plan.basalUlPerDay / 24;
    for (const r of refills) {
      if (!r.done && r.at <= t) {
        r.done = true;
        const before = Math.round(reservoir);
        reservoir = r.fillTo;
        events.push({
          pumpId: plan.pumpId,
          deviceSeq: seq++,
          occurredAt: new Date(t),
          type: "refill",
          // Same payload shape as a synced device record (lib/pump-link RecordKind "refill").
          payload: { addedUl: r.fillTo - before, reservoirUl: r.fillTo, concentration: plan.concentration },
        });
      }
    }
    const hourOfDay = new Date(t).getUTCHours();
    const awake = hourOfDay >= 7 && hourOfDay <= 22;
    while (recentBoluses.length && recentBoluses[0]! <= t - DAY) recentBoluses.shift();
    const wants = awake && rand() < plan.meanBolusesPerDay / 16;
    if (wants && t - lastBolus >= plan.lockoutMs && recentBoluses.length < plan.maxPerDay) {
      const at = t + Math.floor(rand() * 50) * 60_000;
      lastBolus = at;
      recentBoluses.push(at);
      reservoir -= plan.bolusUl;
      events.push({
        pumpId: plan.pumpId,
        deviceSeq: seq++,
        occurredAt: new Date(at),
        type: "bolus_delivered",
        payload: { token: Math.floor(rand() * 0xffffffff), dose: plan.bolusDose, volumeUl: plan.bolusUl, permissionVersion: 1 },
      });
    }
    const daysIn = (t - start) / DAY;
    if (Math.round((t - start) / HOUR) % 6 === 0 || t + stepMs > end) {
      const battery = Math.max(5, Math.round(plan.batteryStart - daysIn * 0.05));
      readings.push({
        pumpId: plan.pumpId,
        recordedAt: new Date(t),
        receivedAt: new Date(t),
        reservoirUl: Math.max(0, Math.round(reservoir)),
        batteryPercent: battery,
        alarmFlags: 0,
        therapyState: "running",
        source: "sync",
      });
      if (Math.round((t - start) / HOUR) % 24 === 0) {
        events.push({
          pumpId: plan.pumpId,
          deviceSeq: seq++,
          occurredAt: new Date(t),
          type: "reservoir_reading",
          payload: { reservoirUl: Math.max(0, Math.round(reservoir)) },
        });
      }
    }
  }
  return { readings, events };
}

export async function seedDemo(db: Db, nowDate = new Date()): Promise<void> {
  const now = nowDate.getTime();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const [clinic] = await tx
      .insert(s.clinics)
      .values({ name: "Riverside Neuromodulation Clinic", timeZone: "Europe/London", address: "Riverside Hospital, Level 3, Pain & Spasticity Unit" })
      .returning();
    const [otherClinic] = await tx
      .insert(s.clinics)
      .values({ name: "Northgate Pain Centre", timeZone: "Europe/London", address: "Northgate Medical Centre" })
      .returning();
    if (!clinic || !otherClinic) throw new Error("seed: clinic insert failed");

    const mkUser = async (email: string, name: string, roles: s.Role[]) => {
      const [u] = await tx.insert(s.users).values({ email, name, passwordHash, timeZone: "Europe/London" }).returning();
      if (!u) throw new Error("seed: user insert failed");
      await tx.insert(s.userRoles).values(roles.map((role) => ({ userId: u.id, role })));
      return u;
    };
    const clinician = await mkUser(DEMO_ACCOUNTS.clinician, "Dr Ada Okafor", ["clinician"]);
    const otherClinician = await mkUser(DEMO_ACCOUNTS.otherClinician, "Dr Erik Lindqvist", ["clinician"]);
    await mkUser(DEMO_ACCOUNTS.admin, "Morgan Admin", ["admin"]);
    const patientUser = await mkUser(DEMO_ACCOUNTS.patient, "Alex Morgan", ["patient"]);
    const caregiverUser = await mkUser(DEMO_ACCOUNTS.caregiver, "Sam Morgan", ["caregiver"]);
    const otherPatientUser = await mkUser(DEMO_ACCOUNTS.otherPatient, "Jordan Reyes", ["patient"]);
    await tx.insert(s.clinicMembers).values([
      { clinicId: clinic.id, userId: clinician.id },
      { clinicId: otherClinic.id, userId: otherClinician.id },
    ]);

    const [patient] = await tx
      .insert(s.patients)
      .values({ userId: patientUser.id, clinicId: clinic.id, displayName: "Alex Morgan", dateOfBirth: "1979-04-17", timeZone: "Europe/London" })
      .returning();
    const [otherPatient] = await tx
      .insert(s.patients)
      .values({ userId: otherPatientUser.id, clinicId: clinic.id, displayName: "Jordan Reyes", dateOfBirth: "1966-09-02", timeZone: "Europe/London" })
      .returning();
    if (!patient || !otherPatient) throw new Error("seed: patient insert failed");

    // Sam cares for Alex with every scope; Sam has no link to Jordan.
    await tx.insert(s.careLinks).values({
      patientId: patient.id,
      caregiverUserId: caregiverUser.id,
      inviteLabel: "Sam (partner)",
      inviteCodeHash: "seed-accepted-" + patient.id,
      inviteExpiresAt: new Date(now - 80 * DAY),
      scopes: ["status", "refills", "bolus", "alarms"],
      status: "active",
      createdAt: new Date(now - 87 * DAY),
      acceptedAt: new Date(now - 86 * DAY),
    });

    const [pump] = await tx
      .insert(s.pumps)
      .values({
        patientId: patient.id,
        model: "SynchroMed-class programmable pump, 40 mL",
        serialNumber: "DEMO-40-000731",
        reservoirCapacityUl: 40_000,
        implantedAt: new Date(now - 2 * 365 * DAY),
        batteryReplacementDueAt: new Date(now - 2 * 365 * DAY + 7 * 365 * DAY),
      })
      .returning();
    const [otherPump] = await tx
      .insert(s.pumps)
      .values({
        patientId: otherPatient.id,
        model: "Prometra-class constant-flow pump, 20 mL",
        serialNumber: "DEMO-20-004412",
        reservoirCapacityUl: 20_000,
        implantedAt: new Date(now - 400 * DAY),
      })
      .returning();
    if (!pump || !otherPump) throw new Error("seed: pump insert failed");

    await tx.insert(s.prescriptions).values([
      { pumpId: pump.id, version: 1, drug: "baclofen", concentration: 2000, dailyDose: 350, lowReservoirThresholdUl: 2000, effectiveFrom: new Date(now - 200 * DAY), setByUserId: clinician.id, note: "Initial programming" },
      { pumpId: pump.id, version: 2, drug: "baclofen", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: 2000, effectiveFrom: new Date(now - 60 * DAY), setByUserId: clinician.id, note: "Increased for evening spasms" },
      { pumpId: otherPump.id, version: 1, drug: "morphine", concentration: 10_000, dailyDose: 1500, lowReservoirThresholdUl: 2000, effectiveFrom: new Date(now - 300 * DAY), setByUserId: clinician.id },
    ]);
    await tx.insert(s.bolusPermissions).values([
      { pumpId: pump.id, version: 1, enabled: true, dose: 50, durationSeconds: 600, lockoutSeconds: 3 * 3600, maxPer24h: 4, effectiveFrom: new Date(now - 200 * DAY), setByUserId: clinician.id },
      { pumpId: otherPump.id, version: 1, enabled: true, dose: 100, durationSeconds: 300, lockoutSeconds: 4 * 3600, maxPer24h: 3, effectiveFrom: new Date(now - 300 * DAY), setByUserId: clinician.id },
    ]);

    const alex = simulateHistory(
      {
        pumpId: pump.id, capacityUl: 40_000, basalUlPerDay: 200, bolusUl: 25, bolusDose: 50, lockoutMs: 3 * HOUR, maxPerDay: 4,
        meanBolusesPerDay: 1.6, refills: [{ daysAgo: 130, fillToUl: 40_000 }, { daysAgo: 42, fillToUl: 40_000 }],
        lastSyncAgoMs: 2 * HOUR + 17 * 60_000, batteryStart: 71, concentration: 2000, seed: 731,
      },
      now,
    );
    const jordan = simulateHistory(
      {
        pumpId: otherPump.id, capacityUl: 20_000, basalUlPerDay: 150, bolusUl: 10, bolusDose: 100, lockoutMs: 4 * HOUR, maxPerDay: 3,
        meanBolusesPerDay: 1.2, refills: [{ daysAgo: 100, fillToUl: 20_000 }, { daysAgo: 20, fillToUl: 20_000 }],
        lastSyncAgoMs: 30 * HOUR, batteryStart: 58, concentration: 10_000, seed: 4412,
      },
      now,
    );
    for (const { readings, events } of [alex, jordan]) {
      for (let i = 0; i < readings.length; i += 500) await tx.insert(s.pumpStatusReadings).values(readings.slice(i, i + 500));
      for (let i = 0; i < events.length; i += 500) await tx.insert(s.deviceEvents).values(events.slice(i, i + 500));
      // The bolus history as it would stand after syncing these events (one row per token).
      const boluses = events
        .filter((e) => e.type === "bolus_delivered")
        .map((e) => ({
          pumpId: e.pumpId,
          token: e.payload!.token as number,
          requestedAt: e.occurredAt,
          dose: e.payload!.dose as number,
          permissionVersion: 1,
          state: "confirmed" as const,
          deliveredAt: e.occurredAt,
          deviceSeq: e.deviceSeq,
          outcomeSource: "sync",
        }));
      for (let i = 0; i < boluses.length; i += 500) await tx.insert(s.bolusRequests).values(boluses.slice(i, i + 500)).onConflictDoNothing();
    }

    const at = (daysFromNow: number, hourLocal: number) => {
      const d = new Date(now + daysFromNow * DAY);
      d.setUTCHours(hourLocal, 30, 0, 0);
      return d;
    };
    const lastAlex = alex.readings.at(-1)?.reservoirUl ?? 0;
    await tx.insert(s.refillAppointments).values([
      { pumpId: pump.id, scheduledAt: at(-130, 10), location: "Riverside Hospital, Pain & Spasticity Unit, Room 3.12", clinicianUserId: clinician.id, status: "completed", completedAt: at(-130, 10), volumeAddedUl: 18_600, newReservoirUl: 40_000 },
      { pumpId: pump.id, scheduledAt: at(-42, 9), location: "Riverside Hospital, Pain & Spasticity Unit, Room 3.12", clinicianUserId: clinician.id, status: "completed", completedAt: at(-42, 9), volumeAddedUl: 19_900, newReservoirUl: 40_000 },
      { pumpId: pump.id, scheduledAt: at(33, 10), location: "Riverside Hospital, Pain & Spasticity Unit, Room 3.12", clinicianUserId: clinician.id, status: "scheduled", notes: `Reservoir at last sync: ${lastAlex} µL` },
      { pumpId: otherPump.id, scheduledAt: at(-20, 14), location: "Riverside Hospital, Room 3.04", clinicianUserId: clinician.id, status: "completed", completedAt: at(-20, 14), volumeAddedUl: 11_200, newReservoirUl: 20_000 },
      // Deliberately after Jordan's projected low-reservoir date: the clinic worklist flags it.
      { pumpId: otherPump.id, scheduledAt: at(120, 11), location: "Riverside Hospital, Room 3.04", clinicianUserId: clinician.id, status: "scheduled" },
    ]);
  });
}
