// Adds benchmark-sized history to the demo patient: one year of hourly status readings and
// 10,000 device events. Run with the server stopped (embedded DB) — `npm run bench` does.
import { desc, eq } from "drizzle-orm";
import { migrateHandle, openFromEnv } from "../db/client";
import { deviceEvents, patients, pumps, pumpStatusReadings, users } from "../db/schema";
import { DEMO_ACCOUNTS, seedDemoIfEmpty } from "../db/seed";

async function main() {
  const handle = await openFromEnv();
  try {
    await migrateHandle(handle);
    await seedDemoIfEmpty(handle.db);
    const db = handle.db;
    const [u] = await db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.patient));
    const [p] = await db.select().from(patients).where(eq(patients.userId, u!.id));
    const [pump] = await db.select().from(pumps).where(eq(pumps.patientId, p!.id));
    const [lastEvent] = await db.select().from(deviceEvents).where(eq(deviceEvents.pumpId, pump!.id)).orderBy(desc(deviceEvents.deviceSeq)).limit(1);
    const now = Date.now();
    const readings = [];
    for (let h = 365 * 24; h > 90 * 24; h--) {
      readings.push({ pumpId: pump!.id, recordedAt: new Date(now - h * 3600_000), reservoirUl: 10_000 + (h % 700) * 40, batteryPercent: 80, alarmFlags: 0, therapyState: "running", source: "bench" });
    }
    for (let i = 0; i < readings.length; i += 1000) await db.insert(pumpStatusReadings).values(readings.slice(i, i + 1000));
    // Old log (logId 1) so the demo's own sequence numbers stay untouched.
    const events = [];
    for (let i = 0; i < 10_000; i++) {
      events.push({ pumpId: pump!.id, logId: 1, deviceSeq: i + 1, occurredAt: new Date(now - (400 - i * 0.03) * 86_400_000), type: "reservoir_reading", payload: { reservoirUl: 20_000 } });
    }
    for (let i = 0; i < events.length; i += 1000) await db.insert(deviceEvents).values(events.slice(i, i + 1000)).onConflictDoNothing();
    console.log(JSON.stringify({ patientId: p!.id, readingsAdded: readings.length, eventsAdded: events.length, lastDemoSeq: lastEvent?.deviceSeq }));
  } finally {
    await handle.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
