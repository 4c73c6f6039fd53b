import { migrateHandle, openFromEnv, selectedDriver, type Db, type DbHandle } from "./client";

// Kept on globalThis: Turbopack may load this module once per bundle (pages and route handlers),
// and two PGlite instances on one folder would corrupt it (STACK-NOTES).
const globalKey = Symbol.for("pump-portal.db");
type Holder = { promise?: Promise<DbHandle> };
const holder: Holder = ((globalThis as Record<symbol, unknown>)[globalKey] as Holder | undefined) ?? {};
(globalThis as Record<symbol, unknown>)[globalKey] = holder;

async function init(): Promise<DbHandle> {
  const handle = await openFromEnv();
  // The embedded database migrates and seeds itself: it is the zero-setup default.
  // A server database migrates when AUTO_MIGRATE=1 (the local start script sets it) or via `npm run db:migrate`.
  if (handle.driver === "pglite" || process.env.AUTO_MIGRATE === "1") {
    await migrateHandle(handle);
  }
  if (handle.driver === "pglite" && process.env.SEED_DEMO !== "0") {
    const { seedDemoIfEmpty } = await import("./seed");
    await seedDemoIfEmpty(handle.db);
  }
  return handle;
}

export async function getDb(): Promise<Db> {
  if (!holder.promise) {
    holder.promise = init().catch((e: unknown) => {
      holder.promise = undefined;
      throw e;
    });
  }
  return (await holder.promise).db;
}

export function currentDriver() {
  return selectedDriver();
}

export type { Db };
