import { randomBytes } from "node:crypto";
import { migrateHandle, openNodePostgres, openPglite, type DbHandle } from "@/db/client";

export type TestDriver = "pglite" | "postgres";

/** DB tests run on PGlite always, and also on the real PostgreSQL when DATABASE_URL is set (CI sets it). */
export const testDrivers: TestDriver[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDb extends DbHandle {
  /** Drops the database (PostgreSQL) or discards the in-memory instance (PGlite). */
  destroy(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated, empty database for one test file. */
export async function freshDb(driver: TestDriver, { migrate = true } = {}): Promise<TestDb> {
  if (driver === "pglite") {
    const handle = await openPglite(null);
    if (migrate) await migrateHandle(handle);
    return { ...handle, destroy: () => handle.close() };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `pp_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const { Client } = await import("pg");
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const handle = await openNodePostgres(withDatabase(adminUrl, name));
  if (migrate) await migrateHandle(handle);
  return {
    ...handle,
    async destroy() {
      await handle.close();
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
