import "server-only";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { signInAttempts } from "@/db/schema";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Five failures are allowed; the sixth attempt within the window is refused even with the right password. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Guards against one address spraying many accounts. */
export const MAX_FAILURES_PER_IP = 30;

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export type AttemptOutcome<T> = { kind: "rate_limited" } | { kind: "ok"; value: T } | { kind: "failed" };

/**
 * Runs one sign-in attempt under a per-account advisory lock, so concurrent attempts on
 * several server instances cannot slip past the limit. Refused attempts are not recorded:
 * the lock lifts 15 minutes after the fifth failure. `verify` must use the transaction it is
 * given (PGlite has one connection: a query outside the transaction would wait for it forever).
 */
export async function withSignInLimit<T>(
  db: Db,
  email: string,
  ip: string | null,
  verify: (tx: Db) => Promise<T | null>,
  now = new Date(),
): Promise<AttemptOutcome<T>> {
  const key = emailKey(email);
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"sign-in:" + key}))`);
    const [byAccount] = await tx
      .select({ n: count() })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.emailKey, key), eq(signInAttempts.succeeded, false), gt(signInAttempts.at, since)));
    let limited = (byAccount?.n ?? 0) >= MAX_FAILURES_PER_ACCOUNT;
    if (!limited && ip) {
      const [byIp] = await tx
        .select({ n: count() })
        .from(signInAttempts)
        .where(and(eq(signInAttempts.ip, ip), eq(signInAttempts.succeeded, false), gt(signInAttempts.at, since)));
      limited = (byIp?.n ?? 0) >= MAX_FAILURES_PER_IP;
    }
    if (limited) return { kind: "rate_limited" } as const;
    const value = await verify(tx as unknown as Db);
    await tx.insert(signInAttempts).values({ emailKey: key, ip, succeeded: value !== null, at: now });
    return value === null ? ({ kind: "failed" } as const) : ({ kind: "ok", value } as const);
  });
}
