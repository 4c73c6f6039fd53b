import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { freshDb, testDrivers, type TestDb } from "../support/db";

// The audit trail is written with group commit (lib/audit/log.ts): concurrent entries share one
// INSERT. Every caller must still see its own entry durable before it goes on, a bad entry must
// fail only its own caller, and an entry written inside a transaction lives and dies with it.

describe.each(testDrivers)("audit trail on %s", (driver) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await freshDb(driver);
  });
  afterAll(async () => h?.destroy());

  const rowsFor = async (action: string) => (await h.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0]!.n;

  it("stores every one of 300 concurrent entries, each before its caller continues", async () => {
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        await audit(h.db, { actorUserId: null, patientId: null, action: "test:burst", outcome: "allowed", detail: { i } });
        // Durable now: the caller's own row is already readable.
        const [row] = await h.db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, "test:burst"), sql`${auditLog.detail}->>'i' = ${String(i)}`)).limit(1);
        if (row) seen.push(i);
      }),
    );
    expect(seen).toHaveLength(300);
    expect(await rowsFor("test:burst")).toBe(300);
    const details = await h.db.select({ detail: auditLog.detail }).from(auditLog).where(eq(auditLog.action, "test:burst"));
    expect(new Set(details.map((d) => (d.detail as { i: number }).i)).size).toBe(300);
  });

  it("records the moment of access, not the moment of the write", async () => {
    const before = Date.now();
    await audit(h.db, { actorUserId: null, patientId: null, action: "test:at", outcome: "allowed" });
    const [row] = await h.db.select({ at: auditLog.at }).from(auditLog).where(eq(auditLog.action, "test:at"));
    expect(row!.at.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(row!.at.getTime()).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("a bad entry fails only its own caller; its neighbours in the batch are stored", async () => {
    // PostgreSQL's jsonb refuses a lone surrogate (\ud800): this row cannot be written.
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        audit(h.db, { actorUserId: null, patientId: null, action: "test:mixed", outcome: "allowed", detail: i === 7 ? { bad: "\ud800" } : { i } }),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(results[7]!.status).toBe("rejected");
    expect(await rowsFor("test:mixed")).toBe(19);
  });

  it("inside a transaction the entry commits or rolls back with it", async () => {
    await h.db.transaction(async (tx) => {
      await audit(tx as never, { actorUserId: null, patientId: null, action: "test:tx-commit", outcome: "done" });
    });
    await expect(
      h.db.transaction(async (tx) => {
        await audit(tx as never, { actorUserId: null, patientId: null, action: "test:tx-rollback", outcome: "done" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await rowsFor("test:tx-commit")).toBe(1);
    expect(await rowsFor("test:tx-rollback")).toBe(0);
  });
});
