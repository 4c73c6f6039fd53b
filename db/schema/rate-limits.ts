import { bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Generic rate-limit hits kept in Postgres (stateless servers): bucket + key within a window. */
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("rate_limit_hits_bucket_key_at_idx").on(t.bucket, t.key, t.at)],
);
