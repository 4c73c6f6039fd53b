import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

/**
 * One drizzle database type for all three drivers. Query code only uses the common
 * pg-core surface (select/insert/update/transaction/execute), so the HKT is erased.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DriverName = "pglite" | "node-postgres" | "vercel-postgres";

export interface DbHandle {
  db: Db;
  driver: DriverName;
  close(): Promise<void>;
}

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PUMP_PORTAL_DATA_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), ".data"));
}

export function migrationsFolder(): string {
  // Shipped with the server output (next.config.ts outputFileTracingIncludes); read at run time.
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "db", "migrations");
}

/** Which driver the environment selects (DESIGN.md): POSTGRES_URL → Vercel, DATABASE_URL → pg, else PGlite. */
export function selectedDriver(env: NodeJS.ProcessEnv = process.env): DriverName {
  if (env.POSTGRES_URL) return "vercel-postgres";
  if (env.DATABASE_URL) return "node-postgres";
  return "pglite";
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${folder} is in use by process ${pid}. ` +
        `Stop that process first (only one process may open an embedded database folder).`,
    );
    this.name = "DatabaseInUseError";
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite does not lock its folder and two processes on one folder silently lose writes
 * (STACK-NOTES), so we take an exclusive lock file before opening it.
 */
export function acquireFolderLock(folder: string): () => void {
  fs.mkdirSync(folder, { recursive: true });
  const lockPath = path.join(folder, "pump-portal.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isFinite(holder) && holder !== process.pid && pidAlive(holder)) {
        throw new DatabaseInUseError(folder, holder);
      }
      // A stale lock from a process that died: take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${folder}`);
}

export async function openPglite(folder: string | null): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let release = () => {};
  if (folder) release = acquireFolderLock(folder);
  const client = folder ? new PGlite(path.join(folder, "pgdata")) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    async close() {
      await client.close();
      release();
    },
  };
}

export async function openNodePostgres(url: string): Promise<DbHandle> {
  const { Pool } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    // Fail fast when the server is down instead of hanging requests.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Notice a silently vanished server (no FIN) on idle connections.
    keepAlive: true,
  });
  pool.on("error", (err) => console.error("[db] idle client error:", err.message));
  // pg-pool listens for errors only on idle clients. When PostgreSQL goes away while a client is
  // checked out but between queries (inside a transaction, say), the client emits "error" with no
  // listener: an uncaughtException (seen in `npm run soak` on every restart). The request using it
  // still fails on its next query (mapped to 503), and the pool discards the client on release.
  pool.on("connect", (client) => {
    client.on("error", (err) => console.error("[db] connection lost:", err.message));
  });
  const db = drizzle(pool, { schema }) as unknown as Db;
  return { db, driver: "node-postgres", close: () => pool.end() };
}

export async function openVercelPostgres(): Promise<DbHandle> {
  const { sql } = await import("@vercel/postgres");
  const { drizzle } = await import("drizzle-orm/vercel-postgres");
  const db = drizzle(sql, { schema }) as unknown as Db;
  return { db, driver: "vercel-postgres", close: async () => sql.end() };
}

export async function migrateHandle(handle: DbHandle): Promise<void> {
  const migrationsConfig = { migrationsFolder: migrationsFolder() };
  switch (handle.driver) {
    case "pglite": {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      await migrate(handle.db as never, migrationsConfig);
      return;
    }
    case "node-postgres": {
      const { migrate } = await import("drizzle-orm/node-postgres/migrator");
      await migrate(handle.db as never, migrationsConfig);
      return;
    }
    case "vercel-postgres": {
      const { migrate } = await import("drizzle-orm/vercel-postgres/migrator");
      await migrate(handle.db as never, migrationsConfig);
      return;
    }
  }
}

/** Opens the database the environment selects. */
export async function openFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<DbHandle> {
  switch (selectedDriver(env)) {
    case "vercel-postgres":
      return openVercelPostgres();
    case "node-postgres":
      return openNodePostgres(env.DATABASE_URL!);
    case "pglite":
      return openPglite(path.join(dataDir(), "pglite"));
  }
}
