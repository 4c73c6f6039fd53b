import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateHandle } from "@/db/client";
import { freshDb, testDrivers, type TestDb } from "../support/db";

// All three drivers return { rows } from execute(); the shared Db type erases that, so say it once here.
async function rows(h: TestDb, query: SQL): Promise<Record<string, unknown>[]> {
  return ((await h.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

async function schemaSnapshot(h: TestDb) {
  const columns = await rows(h, sql`
    select table_name, column_name, data_type, is_nullable, column_default
    from information_schema.columns where table_schema = 'public'
    order by table_name, column_name`);
  const indexes = await rows(h, sql`select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`);
  const applied = await rows(h, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return { columns, indexes, applied };
}

describe.each(testDrivers)("migrations on %s", (driver) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await freshDb(driver, { migrate: false });
  });
  afterAll(async () => h?.destroy());

  it("apply cleanly to an empty database and create every table", async () => {
    await migrateHandle(h);
    const names = (await rows(h, sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`)).map((r) => r.table_name);
    for (const t of ["users", "user_roles", "sign_in_attempts", "clinics", "clinic_members", "patients", "care_links", "pumps", "prescriptions", "bolus_permissions", "refill_appointments", "pump_status_readings", "device_events", "audit_log"]) {
      expect(names).toContain(t);
    }
  });

  it("re-running them changes nothing", async () => {
    const before = await schemaSnapshot(h);
    await migrateHandle(h);
    await migrateHandle(h);
    expect(await schemaSnapshot(h)).toEqual(before);
  });

  it("enforces one device event per (pump, device sequence number)", async () => {
    const unique = await rows(h, sql`select indexdef from pg_indexes where tablename = 'device_events' and indexdef ilike '%unique%'`);
    expect(JSON.stringify(unique)).toMatch(/pump_id, log_id, device_seq/);
  });
});
