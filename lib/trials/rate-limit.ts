import "server-only";
/**
 * Fixed-window-by-age rate limit kept in Postgres (`rate_limit_hits`), so it holds across
 * several stateless server instances. Used for the public intake, which anyone can POST to.
 */
import { and, count, eq, gt, lte, min, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rateLimitHits } from "@/db/schema";

export interface RateLimit {
  readonly bucket: string;
  /** Requests allowed per key within `windowMs`. */
  readonly max: number;
  readonly windowMs: number;
}

/**
 * Ten submissions per address per 15 minutes: far above what a person filling in the form
 * needs (the browser checks the form before sending, so mistakes rarely cost a request),
 * low enough to make scripted flooding slow.
 */
export const INTAKE_RATE_LIMIT: RateLimit = { bucket: "trial-intake", max: 10, windowMs: 15 * 60_000 };

export type RateLimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Records one hit for `key` and says whether it is allowed. Refused requests are not
 * recorded, so the limit lifts one window after the last accepted request. Serialised per
 * key with an advisory lock, so concurrent requests cannot all slip under the limit.
 * `key` is the client address; requests without one share the key "unknown".
 */
export async function hitRateLimit(db: Db, limit: RateLimit, key: string | null, now = new Date()): Promise<RateLimitDecision> {
  const k = key ?? "unknown";
  const since = new Date(now.getTime() - limit.windowMs);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rate:${limit.bucket}:${k}`}))`);
    // Housekeeping: hits older than the window can never count again.
    await tx.delete(rateLimitHits).where(and(eq(rateLimitHits.bucket, limit.bucket), eq(rateLimitHits.key, k), lte(rateLimitHits.at, since)));
    const [row] = await tx
      .select({ n: count(), oldest: min(rateLimitHits.at) })
      .from(rateLimitHits)
      .where(and(eq(rateLimitHits.bucket, limit.bucket), eq(rateLimitHits.key, k), gt(rateLimitHits.at, since)));
    if ((row?.n ?? 0) >= limit.max) {
      const oldest = row?.oldest ? new Date(row.oldest).getTime() : now.getTime();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + limit.windowMs - now.getTime()) / 1000)) } as const;
    }
    await tx.insert(rateLimitHits).values({ bucket: limit.bucket, key: k, at: now });
    return { allowed: true } as const;
  });
}
