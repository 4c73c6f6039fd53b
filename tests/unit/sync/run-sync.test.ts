import { describe, expect, it } from "vitest";
import { PumpLinkClient, type PumpLinkEvent } from "@/lib/pump-link/client";
import { ManualClock, PumpSimulator } from "@/lib/pump-link/simulator";
import { SimulatorTransport } from "@/lib/pump-link/simulator-transport";
import { CountingTransport } from "@/components/pump-link/counting-transport";
import { runSync, SyncApiError, SyncFailure, type SyncApi, type SyncProgress, type UploadOutcome } from "@/lib/sync/run-sync";
import { syncUploadSchema, type SyncUpload } from "@/lib/sync/schema";

/**
 * A server that keeps records the way the real one does (unique per log and sequence number,
 * duplicates counted), validating every body with the real schema. The database version of this
 * is tests/integration/sync.test.ts.
 */
class MemoryServer implements SyncApi {
  readonly logs = new Map<number, Map<number, unknown>>();
  readonly bodies: SyncUpload[] = [];
  failNext: SyncApiError | null = null;
  queueEverything = false;

  async getState(logId: number) {
    const seqs = [...(this.logs.get(logId)?.keys() ?? [])];
    return { logId, lastSeq: seqs.length ? Math.max(...seqs) : 0, firstSeq: seqs.length ? Math.min(...seqs) : 0, eventCount: seqs.length, lastSyncAt: null };
  }

  async upload(raw: SyncUpload): Promise<UploadOutcome> {
    const body = syncUploadSchema.parse(JSON.parse(JSON.stringify(raw)));
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = null;
      throw err;
    }
    this.bodies.push(body);
    if (this.queueEverything) return { kind: "queued" };
    const log = this.logs.get(body.device.logId) ?? new Map<number, unknown>();
    this.logs.set(body.device.logId, log);
    let fresh = 0;
    for (const r of body.records) {
      if (!log.has(r.seq)) {
        log.set(r.seq, r);
        fresh++;
      }
    }
    return { kind: "stored", result: { newEvents: fresh, duplicateEvents: body.records.length - fresh, lastSeq: Math.max(0, ...log.keys()), readingStored: true } };
  }
}

function rig(records: number, options: { logId?: number; maxRecordsPerRead?: number } = {}) {
  const sim = new PumpSimulator({ clock: new ManualClock(0), logId: options.logId ?? 42, maxRecordsPerRead: options.maxRecordsPerRead });
  sim.seedHistory(records);
  const transport = new SimulatorTransport(sim);
  const listeners = new Set<(e: PumpLinkEvent) => void>();
  const client = new PumpLinkClient({ transport, sleep: async () => {}, initialRequestId: 7, onEvent: (e) => listeners.forEach((l) => l(e)) });
  const subscribe = (l: (e: PumpLinkEvent) => void) => {
    listeners.add(l);
    return () => void listeners.delete(l);
  };
  return { sim, transport, client, subscribe, server: new MemoryServer() };
}

describe("runSync", () => {
  it("uploads in chunks as records arrive and reports progress against the pump's newest record", async () => {
    const { client, server, subscribe } = rig(1234);
    const progress: SyncProgress[] = [];
    const summary = await runSync({ client, api: server, subscribe, chunkSize: 500, onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({ received: 1234, newEvents: 1234, duplicateEvents: 0, uploads: 3, lastSeq: 1234, deviceHighestSeq: 1234, integrityRetries: 0, reconnects: 0, gaps: [] });
    expect(server.bodies.map((b) => b.records.length)).toEqual([500, 500, 234]);
    // Each upload carries the pump's identity and a status; only the last one's status is read after the transfer.
    expect(new Set(server.bodies.map((b) => b.device.logId))).toEqual(new Set([42]));
    expect(new Set(server.bodies.map((b) => b.uploadId)).size).toBe(3);
    const receiving = progress.filter((p) => p.phase === "receiving");
    expect(receiving[0]).toMatchObject({ expected: 1234, deviceHighestSeq: 1234, received: 0 });
    expect(receiving.map((p) => p.received)).toEqual([...receiving.map((p) => p.received)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: "done", received: 1234, uploaded: 1234 });
  });

  it("resumes after what the server holds, so a second sync moves only new records", async () => {
    const { sim, client, server, transport } = rig(300);
    await runSync({ client, api: server });
    sim.seedHistory(12);
    const reads = transport.stats.reads;
    const summary = await runSync({ client, api: server });
    expect(summary).toMatchObject({ resumedAfterSeq: 300, received: 12, newEvents: 12, duplicateEvents: 0, lastSeq: 312 });
    expect(server.bodies.at(-1)?.records.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => 301 + i));
    expect(transport.stats.reads - reads).toBe(5);
  });

  it("survives dropped links and corrupted values on every characteristic without losing or repeating a record", async () => {
    const { client, server, transport, subscribe } = rig(900);
    transport.dropAfterOps(6);
    let step = 0;
    const summary = await runSync({
      client,
      api: server,
      subscribe,
      chunkSize: 200,
      onProgress: (p) => {
        if (p.phase !== "receiving") return;
        step++;
        if (step === 4) transport.corruptNextRead("records");
        if (step === 8) transport.corruptNextRead("status");
        if (step === 9) transport.corruptNextRead("response");
        if (step === 12) transport.dropAfterOps(1);
      },
    });
    expect(summary.received).toBe(900);
    expect(summary.newEvents).toBe(900);
    expect(summary.duplicateEvents).toBe(0);
    expect(summary.reconnects).toBe(2);
    expect(summary.integrityRetries).toBeGreaterThanOrEqual(2);
    expect([...(server.logs.get(42)?.keys() ?? [])].sort((a, b) => a - b)).toEqual(Array.from({ length: 900 }, (_, i) => i + 1));
  });

  it("counts a link that dropped between two operations, which the client re-establishes without any error", async () => {
    const { sim, server } = rig(300);
    const transport = new CountingTransport(new SimulatorTransport(sim));
    const client = new PumpLinkClient({ transport, sleep: async () => {} });
    await client.connect();
    let dropped = false;
    const inner = transport.inner as SimulatorTransport;
    const summary = await runSync({
      client,
      api: server,
      connectionCount: () => transport.connections,
      onProgress: (p) => {
        if (!dropped && p.received > 100) {
          dropped = true;
          inner.dropLink();
        }
      },
    });
    expect(summary).toMatchObject({ received: 300, newEvents: 300, reconnects: 1 });
    expect(transport.connections).toBe(2);
  });

  it("still counts CRC retries of Records without a link-event subscription", async () => {
    const { client, server, transport } = rig(100);
    transport.corruptNextRead("records");
    expect(await runSync({ client, api: server })).toMatchObject({ received: 100, integrityRetries: 1 });
  });

  it("uploads a status even when the pump has nothing new", async () => {
    const { client, server } = rig(0);
    const summary = await runSync({ client, api: server });
    expect(summary).toMatchObject({ received: 0, newEvents: 0, uploads: 1, lastSeq: 0 });
    expect(server.bodies).toHaveLength(1);
    expect(server.bodies[0]?.records).toEqual([]);
  });

  it("says so when the upload was queued for later, and counts nothing as stored", async () => {
    const { client, server } = rig(30);
    server.queueEverything = true;
    expect(await runSync({ client, api: server })).toMatchObject({ received: 30, newEvents: 0, queuedUploads: 1, lastSeq: 30 });
  });

  it("refuses to upload when the server holds more of this log than the pump has", async () => {
    const { client, server } = rig(5);
    server.logs.set(42, new Map([[9, {}]]));
    const err = await runSync({ client, api: server }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncFailure);
    expect(err).toMatchObject({ kind: "log_mismatch" });
    expect(server.bodies).toHaveLength(0);
  });

  it.each([
    ["offline", "upload_offline", /offline.*Nothing is lost/s],
    ["signed_out", "signed_out", /signed out/],
    ["rejected", "upload_rejected", /did not accept the records: because/],
    ["server", "upload_failed", /could not store the records just now/],
  ] as const)("explains an upload that failed as %s", async (kind, failure, text) => {
    const { client, server } = rig(10);
    server.failNext = new SyncApiError(kind, "because");
    const err = await runSync({ client, api: server }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: failure });
    expect((err as Error).message).toMatch(text);
  });

  it("keeps what arrived before the pump went away, and the next sync continues from there", async () => {
    const { client, server, transport } = rig(400);
    let cut = false;
    const err = await runSync({
      client,
      api: server,
      chunkSize: 2000,
      onProgress: (p) => {
        if (!cut && p.received >= 100) {
          cut = true;
          transport.failNextConnects(1000);
          transport.dropLink();
        }
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncFailure);
    const saved = (err as SyncFailure).saved;
    expect(saved.received).toBeGreaterThanOrEqual(100);
    expect(saved.newEvents).toBe(saved.received);
    expect((err as Error).message).toMatch(/kept dropping.*saved/s);
    transport.failNextConnects(0);
    expect(await runSync({ client, api: server })).toMatchObject({ resumedAfterSeq: saved.received, newEvents: 400 - saved.received, lastSeq: 400 });
  });

  it("reports records the pump had already overwritten as a gap", async () => {
    const sim = new PumpSimulator({ clock: new ManualClock(0), logId: 5, logCapacity: 100 });
    sim.seedHistory(50);
    const client = new PumpLinkClient({ transport: new SimulatorTransport(sim), sleep: async () => {} });
    const server = new MemoryServer();
    await runSync({ client, api: server });
    sim.seedHistory(150); // the ring buffer now holds 101..200
    const summary = await runSync({ client, api: server });
    expect(summary.gaps).toEqual([{ from: 51, to: 100 }]);
    expect(summary).toMatchObject({ received: 100, lastSeq: 200 });
  });
});
