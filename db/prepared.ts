import { selectedDriver, type Db } from "./client";

/**
 * Hot read paths (the status endpoint, the actor and access lookups every request makes) use
 * prepared queries: drizzle builds their SQL once instead of on every call — building was most
 * of their CPU cost (docs/benchmarks.md) — and PostgreSQL parses and plans a named statement once
 * per connection. Behind a transaction-mode pooler (Vercel Postgres / Neon's pooled URL) a named
 * statement may land on another server connection, so there the statement stays unnamed: the SQL
 * is still built only once.
 */
export function statementName(name: string): string {
  return selectedDriver() === "vercel-postgres" ? "" : name;
}

/** One prepared query per database handle (tests open several handles in one process). */
export function preparedPer<Q>(build: (db: Db) => Q): (db: Db) => Q {
  const cache = new WeakMap<Db, Q>();
  return (db) => {
    let q = cache.get(db);
    if (q === undefined) {
      q = build(db);
      cache.set(db, q);
    }
    return q;
  };
}
