import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, bolusRequests, deviceEvents, patients, pumps, pumpStatusReadings, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { AppError } from "@/lib/http/errors";
import { PumpLinkClient } from "@/lib/pump-link/client";
import { ManualClock, PumpSimulator } from "@/lib/pump-link/simulator";
import { SimulatorTransport } from "@/lib/pump-link/simulator-transport";
import type { PumpLinkEvent } from "@/lib/pump-link/client";
import { getSyncState, ingestSync } from "@/lib/sync/ingest";
import { runSync, SyncFailure, type SyncApi } from "@/lib/sync/run-sync";
import { syncUploadSchema, type SyncRecord, type SyncUpload } from "@/lib/sync/schema";
import { freshDb, testDrivers, type TestDb } from "../support/db";

const NOW = new Date("2026-11-25T10:00:00Z");
const NOW_S = NOW.getTime() / 1000;

describe.each(testDrivers)("history sync ingestion on %s", (driver) => {
  let h: TestDb;
  let alexId = "";
  let alexUserId = "";
  let pumpId = "";
  let uploadN = 0;

  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, NOW);
    const [u] = await h.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.patient));
    const [p] = await h.db.select().from(patients).where(eq(patients.userId, u!.id));
    const [pump] = await h.db.select().from(pumps).where(eq(pumps.patientId, p!.id));
    alexUserId = u!.id;
    alexId = p!.id;
    pumpId = pump!.id;
  });
  afterAll(async () => h?.destroy());

  const uploadId = () => `00000000-0000-4000-8000-${String(++uploadN).padStart(12, "0")}`;
  const status = (over: Partial<SyncUpload["device"]["status"]> = {}): SyncUpload["device"]["status"] => ({
    deviceTime: NOW_S - 3600,
    reservoirUl: 21_000,
    capacityUl: 40_000,
    batteryPercent: 66,
    alarmFlags: 0,
    therapyState: "running",
    highestSeq: 10,
    ...over,
  });
  const readings = (seq: number[], t0 = NOW_S - 7200): SyncRecord[] => seq.map((s) => ({ seq: s, time: t0 + s * 60, kind: "reservoir_reading", reservoirUl: 30_000 - s }));
  // Everything goes through the same schema the route applies, as JSON, like a real request.
  const ingest = (body: SyncUpload, now = NOW) =>
    ingestSync(h.db, { patientId: alexId, actorUserId: alexUserId, upload: syncUploadSchema.parse(JSON.parse(JSON.stringify(body))), now });
  const eventsIn = async (logId: number) =>
    (await h.db.select({ n: count() }).from(deviceEvents).where(and(eq(deviceEvents.pumpId, pumpId), eq(deviceEvents.logId, logId))))[0]!.n;
  const readingCount = async () => (await h.db.select({ n: count() }).from(pumpStatusReadings).where(eq(pumpStatusReadings.pumpId, pumpId)))[0]!.n;

  it("stores new records once, counts duplicates on a retry, and stores the status reading once", async () => {
    const log = 0x1001;
    const body: SyncUpload = { uploadId: uploadId(), device: { logId: log, status: status() }, records: readings([1, 2, 3]) };
    const readingsBefore = await readingCount();
    expect(await ingest(body)).toEqual({ newEvents: 3, duplicateEvents: 0, lastSeq: 3, readingStored: true });
    expect(await ingest(body)).toEqual({ newEvents: 0, duplicateEvents: 3, lastSeq: 3, readingStored: false });
    expect(await readingCount()).toBe(readingsBefore + 1);
    // Overlap with what is stored: only the new ones count as new.
    expect(await ingest({ ...body, uploadId: uploadId(), records: readings([2, 3, 4, 5]) })).toEqual({ newEvents: 2, duplicateEvents: 2, lastSeq: 5, readingStored: false });
    expect(await eventsIn(log)).toBe(5);

    const [row] = await h.db.select().from(deviceEvents).where(and(eq(deviceEvents.logId, log), eq(deviceEvents.deviceSeq, 4)));
    expect(row).toMatchObject({ pumpId, type: "reservoir_reading", payload: { reservoirUl: 29_996 }, occurredAt: new Date((NOW_S - 7200 + 240) * 1000) });
    const [reading] = await h.db.select().from(pumpStatusReadings).where(and(eq(pumpStatusReadings.pumpId, pumpId), eq(pumpStatusReadings.recordedAt, new Date((NOW_S - 3600) * 1000))));
    expect(reading).toMatchObject({ reservoirUl: 21_000, batteryPercent: 66, alarmFlags: 0, therapyState: "running", source: "sync" });

    const audits = await h.db.select().from(auditLog).where(and(eq(auditLog.patientId, alexId), eq(auditLog.action, "sync:upload")));
    expect(audits.map((a) => a.detail)).toContainEqual(expect.objectContaining({ uploadId: body.uploadId, newEvents: 3, logId: log }));
  });

  it("keeps each event log apart and reports where each one left off", async () => {
    await ingest({ uploadId: uploadId(), device: { logId: 0x2002, status: status({ deviceTime: NOW_S - 3000 }) }, records: readings([1, 2, 3, 4, 5, 6, 7]) });
    expect(await getSyncState(h.db, alexId, 0x1001)).toMatchObject({ logId: 0x1001, lastSeq: 5, firstSeq: 1, eventCount: 5 });
    expect(await getSyncState(h.db, alexId, 0x2002)).toMatchObject({ logId: 0x2002, lastSeq: 7, firstSeq: 1, eventCount: 7 });
    expect(await getSyncState(h.db, alexId, 0x7777)).toMatchObject({ logId: 0x7777, lastSeq: 0, firstSeq: 0, eventCount: 0 });
    // Without a log id: the log of the latest stored event.
    const latest = await getSyncState(h.db, alexId);
    expect(latest).toMatchObject({ logId: 0x2002, lastSeq: 7 });
    expect(new Date(latest.lastSyncAt ?? 0).getTime()).toBeGreaterThanOrEqual(NOW.getTime());
  });

  it("dates a status from a pump whose clock runs ahead no later than now, so it cannot look fresh forever", async () => {
    const r = await ingest({ uploadId: uploadId(), device: { logId: 0x1001, status: status({ deviceTime: NOW_S + 5 * 3600, reservoirUl: 20_500 }) }, records: [] });
    expect(r).toEqual({ newEvents: 0, duplicateEvents: 0, lastSeq: 5, readingStored: true });
    const [reading] = await h.db.select().from(pumpStatusReadings).where(and(eq(pumpStatusReadings.pumpId, pumpId), eq(pumpStatusReadings.reservoirUl, 20_500)));
    expect(reading?.recordedAt).toEqual(NOW);
  });

  it("refuses records from a pump with another reservoir size, storing nothing", async () => {
    const before = { events: await eventsIn(0x3003), readings: await readingCount() };
    const err = await ingest({ uploadId: uploadId(), device: { logId: 0x3003, status: status({ capacityUl: 20_000, reservoirUl: 10_000 }) }, records: readings([1, 2]) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 422, code: "unprocessable:pump_mismatch" });
    expect((err as AppError).message).toContain("20 mL");
    expect({ events: await eventsIn(0x3003), readings: await readingCount() }).toEqual(before);
  });

  it("writes nothing at all when any step of the transaction fails", async () => {
    const before = { events: await eventsIn(0x4004), readings: await readingCount() };
    const auditsBefore = (await h.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, "sync:upload")))[0]!.n;
    const failing = async () => {
      throw new Error("re-check failed");
    };
    const body = syncUploadSchema.parse({ uploadId: uploadId(), device: { logId: 0x4004, status: status({ deviceTime: NOW_S - 1234 }) }, records: readings([1, 2, 3]) });
    await expect(ingestSync(h.db, { patientId: alexId, actorUserId: alexUserId, upload: body, now: NOW }, { reconcile: failing })).rejects.toThrow("re-check failed");
    expect({ events: await eventsIn(0x4004), readings: await readingCount() }).toEqual(before);
    expect((await h.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, "sync:upload")))[0]!.n).toBe(auditsBefore);
  });

  it("re-checks synced boluses against the permission in force and flags a violation", async () => {
    // Alex may have 50 µg every 3 h; the pump reports two deliveries 20 minutes apart.
    const t = NOW_S - 4 * 3600;
    const records: SyncRecord[] = [
      { seq: 1, time: t, kind: "bolus_delivered", token: 0xdead_0001, dose: 50, volumeUl: 25, permissionVersion: 1 },
      { seq: 2, time: t + 1200, kind: "bolus_delivered", token: 0xdead_0002, dose: 50, volumeUl: 25, permissionVersion: 1 },
      { seq: 3, time: t + 1300, kind: "bolus_denied", token: 0xdead_0003, requestedDose: 50, reason: "lockout_active" },
    ];
    expect(await ingest({ uploadId: uploadId(), device: { logId: 0x5005, status: status({ deviceTime: t + 2000 }) }, records })).toMatchObject({ newEvents: 3 });
    const rows = await h.db.select().from(bolusRequests).where(eq(bolusRequests.pumpId, pumpId));
    const byToken = new Map(rows.map((r) => [r.token, r]));
    expect(byToken.get(0xdead_0001)).toMatchObject({ state: "confirmed", outcomeSource: "sync" });
    expect(byToken.get(0xdead_0002)).toMatchObject({ state: "confirmed", limitViolation: true });
    expect(byToken.get(0xdead_0003)).toMatchObject({ state: "denied", resultCode: "lockout_active" });
    // Re-uploading the same history does not re-raise anything: nothing new was stored.
    expect(await ingest({ uploadId: uploadId(), device: { logId: 0x5005, status: status({ deviceTime: t + 2000 }) }, records })).toMatchObject({ newEvents: 0, duplicateEvents: 3 });
  });

  describe("from the pump simulator through the real client", () => {
    const api = (): SyncApi & { uploads: SyncUpload[] } => {
      const uploads: SyncUpload[] = [];
      return {
        uploads,
        getState: (logId) => getSyncState(h.db, alexId, logId),
        upload: async (body) => {
          uploads.push(body);
          return { kind: "stored", result: await ingest(body) };
        },
      };
    };
    // Device clocks a day behind and distinct per pump, so each pump's status is a reading of its own.
    const pump = (logId: number) =>
      new PumpSimulator({ clock: new ManualClock(0), deviceTime: NOW_S - 86_400 - (logId % 10_000), logId, capacityUl: 40_000, reservoirUl: 30_000 });
    const client = (transport: SimulatorTransport, events: PumpLinkEvent[] = []) =>
      new PumpLinkClient({ transport, sleep: async () => {}, onEvent: (e) => events.push(e), initialRequestId: 1 });

    it("lands a 600-record first sync exactly once despite a dropped link and a corrupted batch; the next sync moves only new records", async () => {
      const sim = pump(0x6006);
      sim.seedHistory(600);
      const transport = new SimulatorTransport(sim);
      const events: PumpLinkEvent[] = [];
      const listeners = new Set<(e: PumpLinkEvent) => void>();
      const c = new PumpLinkClient({ transport, sleep: async () => {}, onEvent: (e) => (events.push(e), listeners.forEach((l) => l(e))) });
      transport.dropAfterOps(9);
      let corruptedOnce = false;
      const a = api();
      const first = await runSync({
        client: c,
        api: a,
        chunkSize: 250,
        subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
        onProgress: (p) => {
          if (!corruptedOnce && p.received > 300) {
            corruptedOnce = true;
            transport.corruptNextRead("records");
          }
        },
      });
      expect(first).toMatchObject({ received: 600, newEvents: 600, duplicateEvents: 0, resumedAfterSeq: 0, lastSeq: 600, deviceHighestSeq: 600, integrityRetries: 1, reconnects: 1 });
      expect(a.uploads.map((u) => u.records.length)).toEqual([250, 250, 100]);
      expect(await getSyncState(h.db, alexId, 0x6006)).toMatchObject({ firstSeq: 1, lastSeq: 600, eventCount: 600 });

      sim.seedHistory(30);
      const readsBefore = transport.stats.reads;
      const second = await runSync({ client: c, api: a });
      expect(second).toMatchObject({ received: 30, newEvents: 30, duplicateEvents: 0, resumedAfterSeq: 600, lastSeq: 630 });
      // Status (where to resume), the client's own status check, the selection's response, ONE batch
      // of 30 records and the end-of-sync status: nothing already stored crossed the link again.
      expect(transport.stats.reads - readsBefore).toBe(5);
      expect(await getSyncState(h.db, alexId, 0x6006)).toMatchObject({ firstSeq: 1, lastSeq: 630, eventCount: 630 });
    });

    it("keeps what arrived when the link is lost for good, and the next sync resumes after it", async () => {
      const sim = pump(0x7007);
      sim.seedHistory(700);
      const transport = new SimulatorTransport(sim);
      const c = client(transport);
      const a = api();
      let cut = false;
      const failure = await runSync({
        client: c,
        api: a,
        chunkSize: 2000,
        onProgress: (p) => {
          if (!cut && p.received >= 200) {
            cut = true;
            transport.failNextConnects(100);
            transport.dropLink();
          }
        },
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(SyncFailure);
      expect(failure).toMatchObject({ kind: "link" });
      const saved = (failure as SyncFailure).saved;
      expect(saved.received).toBeGreaterThanOrEqual(200);
      expect(saved.newEvents).toBe(saved.received);
      expect((failure as Error).message).toContain("saved");
      expect(await getSyncState(h.db, alexId, 0x7007)).toMatchObject({ lastSeq: saved.received, eventCount: saved.received });

      transport.failNextConnects(0);
      const resumed = await runSync({ client: c, api: a });
      expect(resumed).toMatchObject({ resumedAfterSeq: saved.received, newEvents: 700 - saved.received, duplicateEvents: 0, lastSeq: 700 });
      expect(await getSyncState(h.db, alexId, 0x7007)).toMatchObject({ firstSeq: 1, lastSeq: 700, eventCount: 700 });
    });

    it("stores a status reading even when there is nothing new", async () => {
      const sim = pump(0x8008);
      const c = client(new SimulatorTransport(sim));
      const before = await readingCount();
      const r = await runSync({ client: c, api: api() });
      expect(r).toMatchObject({ received: 0, newEvents: 0, uploads: 1, lastSeq: 0 });
      expect(await readingCount()).toBe(before + 1);
    });
  });
});
