import { afterEach, describe, expect, it, vi } from "vitest";
import { PumpLinkClient } from "@/lib/pump-link/client";
import type { PumpLinkClientOptions, PumpLinkEvent } from "@/lib/pump-link/client";
import { PumpLinkError } from "@/lib/pump-link/errors";
import { PumpSimulator } from "@/lib/pump-link/simulator";
import type { SimulatorConfig } from "@/lib/pump-link/simulator";
import { SimulatorTransport } from "@/lib/pump-link/simulator-transport";
import type { RandomFaults } from "@/lib/pump-link/simulator-transport";

const HOUR = 3600;

function setup(config: SimulatorConfig = {}, options: Partial<PumpLinkClientOptions> & { faults?: RandomFaults } = {}) {
  const sim = new PumpSimulator({ reservoirReadingIntervalS: 0, batterySecondsPerPercent: 0, ...config });
  const transport = new SimulatorTransport(sim, { faults: options.faults });
  const events: PumpLinkEvent[] = [];
  const sleeps: number[] = [];
  const client = new PumpLinkClient({
    transport,
    initialRequestId: 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onEvent: (e) => events.push(e),
    ...options,
  });
  return { sim, transport, client, events, sleeps };
}

const seqs = (records: readonly { seq: number }[]) => records.map((r) => r.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

afterEach(() => {
  vi.useRealTimers();
});

describe("status", () => {
  it("connects and decodes the status", async () => {
    const { client, sim } = setup();
    const status = await client.connect();
    expect(status).toEqual(sim.status());
  });

  it("re-reads a corrupted status and reports it", async () => {
    const { client, transport, events } = setup();
    transport.corruptNextRead("status");
    await client.connect();
    expect(events).toContainEqual(expect.objectContaining({ type: "crc_retry", characteristic: "status", attempt: 1 }));
  });

  it("gives up with an integrity error after bounded retries", async () => {
    const { client } = setup({}, { faults: { seed: 1, corruptReadRate: 1 }, maxCrcRetries: 2 });
    await expect(client.readStatus()).rejects.toMatchObject({ name: "PumpLinkError", code: "integrity" });
  });
});

describe("record sync", () => {
  it("lands 600 records exactly once, in batches of at least 15", async () => {
    const { client, sim, transport } = setup();
    sim.seedHistory(600);
    const batches: number[] = [];
    const result = await client.syncRecords({ afterSeq: 0, onBatch: (b) => void batches.push(b.length) });
    expect(seqs(result.records)).toEqual(range(1, 600));
    expect(result.records).toEqual(sim.heldRecords());
    expect(result).toMatchObject({ lastSeq: 600, complete: true, gaps: [], crcRetries: 0, reconnects: 0, logId: sim.status().logId });
    expect(batches.slice(0, -1).every((n) => n >= 15)).toBe(true);
    // status + (select write + response read) + one read per batch
    expect(transport.stats.reads + transport.stats.writes).toBe(1 + 2 + batches.length);
  });

  it("fetches only new records on the next sync", async () => {
    const { client, sim } = setup({ permission: { enabled: true, dose: 50, lockoutS: 0, maxPer24h: 10 } });
    sim.seedHistory(600);
    const first = await client.syncRecords({ afterSeq: 0 });
    sim.seedHistory(25);
    const r = await client.requestBolus({ token: 42, dose: 50, permissionVersion: 1 });
    expect(r.state).toBe("confirmed");
    const second = await client.syncRecords({ afterSeq: first.lastSeq, logId: first.logId });
    expect(seqs(second.records)).toEqual(range(601, 626));
    expect(second.records.at(-1)).toMatchObject({ kind: "bolus_delivered", token: 42 });
    const third = await client.syncRecords({ afterSeq: second.lastSeq, logId: first.logId });
    expect(third.records).toEqual([]);
    expect(third).toMatchObject({ lastSeq: 626, complete: true });
  });

  it.each([0, 1, 2, 3, 5, 8, 13, 21])("resumes after a drop at op %i with no loss or duplicates", async (dropAt) => {
    const { client, sim, transport, sleeps } = setup();
    sim.seedHistory(600);
    transport.dropAfterOps(dropAt);
    const persisted: number[] = [];
    const result = await client.syncRecords({ afterSeq: 0, onBatch: (b) => void persisted.push(...seqs(b)) });
    expect(seqs(result.records)).toEqual(range(1, 600));
    expect(persisted).toEqual(range(1, 600));
    expect(result.reconnects).toBe(1);
    expect(sleeps).toEqual([250]);
    expect(transport.stats.drops).toBe(1);
  });

  it("backs off exponentially across repeated failures and gives up with the partial result", async () => {
    const { client, sim, transport, sleeps } = setup({}, { maxReconnects: 3, backoff: { initialMs: 100, maxMs: 300 } });
    sim.seedHistory(100);
    await client.connect();
    transport.dropAfterOps(2);
    transport.failNextConnects(10);
    const err = await client.syncRecords({ afterSeq: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PumpLinkError);
    expect(err).toMatchObject({ code: "link_lost" });
    const partial = (err as PumpLinkError).details.partial as { records: { seq: number }[] };
    expect(seqs(partial.records)).toEqual(range(1, partial.records.length));
    expect(sleeps).toEqual([100, 200, 300]);
  });

  it("retries a records read whose CRC fails, without losing the batch", async () => {
    const { client, sim, transport, events } = setup();
    sim.seedHistory(100);
    await client.connect();
    transport.corruptNextRead("records");
    const result = await client.syncRecords({ afterSeq: 0 });
    expect(seqs(result.records)).toEqual(range(1, 100));
    expect(result.crcRetries).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: "crc_retry", characteristic: "records" }));
  });

  it("stops with an integrity error when records keep failing", async () => {
    const { client, sim } = setup({}, { faults: { seed: 3, corruptReadRate: 1 } });
    sim.seedHistory(10);
    await expect(client.syncRecords({ afterSeq: 0 })).rejects.toMatchObject({ code: "integrity" });
  });

  it("reports records the device no longer holds as a gap", async () => {
    const { client, sim, events } = setup({ logCapacity: 100 });
    sim.seedHistory(300);
    const result = await client.syncRecords({ afterSeq: 50 });
    expect(result.gaps).toEqual([{ from: 51, to: 200 }]);
    expect(seqs(result.records)).toEqual(range(201, 300));
    expect(events).toContainEqual({ type: "gap", from: 51, to: 200 });
  });

  it("detects a reset log", async () => {
    const { client, sim } = setup({ logId: 7 });
    sim.seedHistory(5);
    await expect(client.syncRecords({ afterSeq: 0, logId: 8 })).rejects.toMatchObject({ code: "log_reset", details: { logId: 7 } });
    await expect(client.syncRecords({ afterSeq: 6, logId: 7 })).rejects.toMatchObject({ code: "log_reset" });
  });

  it("honours maxRecords and small select counts", async () => {
    const { client, sim } = setup({}, { selectMaxCount: 7 });
    sim.seedHistory(50);
    const partial = await client.syncRecords({ afterSeq: 0, maxRecords: 20 });
    expect(seqs(partial.records)).toEqual(range(1, 20));
    expect(partial.complete).toBe(false);
    const rest = await client.syncRecords({ afterSeq: partial.lastSeq });
    expect(seqs(rest.records)).toEqual(range(21, 50));
    expect(rest.complete).toBe(true);
  });

  it("works with devices that send short batches", async () => {
    const { client, sim } = setup({ maxRecordsPerRead: 1 });
    sim.seedHistory(30);
    expect(seqs((await client.syncRecords({ afterSeq: 0 })).records)).toEqual(range(1, 30));
  });

  it("times out a hung read and resumes over a fresh link", async () => {
    vi.useFakeTimers();
    const { client, sim, transport, events } = setup({}, { timeoutMs: 5_000 });
    sim.seedHistory(40);
    await client.connect();
    transport.hangNextOp();
    const done = client.syncRecords({ afterSeq: 0 });
    await vi.advanceTimersByTimeAsync(5_000);
    const result = await done;
    expect(seqs(result.records)).toEqual(range(1, 40));
    expect(events).toContainEqual({ type: "timeout", operation: "read status" });
    expect(result.reconnects).toBe(1);
  });
});

describe("bolus", () => {
  const request = { token: 0xc0ffee, dose: 50, permissionVersion: 1 };

  it("confirms a delivered bolus", async () => {
    const { client, sim } = setup();
    const r = await client.requestBolus(request);
    expect(r).toEqual({ state: "confirmed", token: 0xc0ffee, dose: 50, volumeUl: 25, deviceTime: sim.deviceTime(), recordSeq: 1, replayed: false });
  });

  it("reports the device's denial reason", async () => {
    const { client, sim } = setup();
    sim.injectAlarm("memoryError");
    const r = await client.requestBolus(request);
    expect(r).toMatchObject({ state: "denied", reason: "critical_alarm_active", replayed: false });
    expect(sim.deliveries()).toHaveLength(0);
  });

  it("a lost response is unconfirmed; the retry with the same token returns the original outcome", async () => {
    const { client, sim, transport, events } = setup();
    await client.connect();
    transport.loseNextResponseRead();
    const first = await client.requestBolus(request);
    expect(first).toMatchObject({ state: "unconfirmed", token: 0xc0ffee });
    expect(events).toContainEqual(expect.objectContaining({ type: "bolus_unconfirmed" }));
    expect(sim.deliveries()).toHaveLength(1); // it did happen — the app just could not know
    const retry = await client.requestBolus(request);
    expect(retry).toMatchObject({ state: "confirmed", replayed: true, recordSeq: 1 });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("a lost write acknowledgement is unconfirmed, and the retry delivers nothing new", async () => {
    const { client, sim, transport } = setup();
    await client.connect();
    transport.loseNextWriteAck();
    expect((await client.requestBolus(request)).state).toBe("unconfirmed");
    expect((await client.requestBolus(request)).state).toBe("confirmed");
    expect(sim.deliveries().map((d) => d.token)).toEqual([0xc0ffee]);
  });

  it("a drop before the write arrives is unconfirmed; the retry delivers once", async () => {
    const { client, sim, transport } = setup();
    await client.connect();
    transport.dropAfterOps(0);
    expect((await client.requestBolus(request)).state).toBe("unconfirmed");
    expect(sim.deliveries()).toHaveLength(0);
    expect(await client.requestBolus(request)).toMatchObject({ state: "confirmed", replayed: false });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("a write corrupted in transit is rejected by the device and nothing is delivered", async () => {
    const { client, sim, transport } = setup();
    await client.connect();
    transport.corruptNextWrite();
    expect(await client.requestBolus(request)).toEqual({ state: "rejected", token: 0xc0ffee, result: "bad_crc" });
    expect(sim.deliveries()).toHaveLength(0);
  });

  it("after an unanswered attempt, a later attempt the device did not act on stays unconfirmed", async () => {
    const { client, sim, transport } = setup();
    await client.connect();
    transport.loseNextWriteAck();
    expect((await client.requestBolus(request)).state).toBe("unconfirmed");
    transport.corruptNextWrite();
    // The device refused this write (bad CRC), but the first one was delivered: "rejected" would mislead.
    expect(await client.requestBolus(request)).toMatchObject({ state: "unconfirmed", message: expect.stringMatching(/bad_crc/) });
    expect(await client.requestBolus(request)).toMatchObject({ state: "confirmed", replayed: true });
    expect(sim.deliveries()).toHaveLength(1);
    // Resolved: later plain rejections of other tokens are reported as such.
    sim.setBusy(true);
    expect(await client.requestBolus({ ...request, token: 5 })).toMatchObject({ state: "rejected", result: "busy" });
  });

  it("busy is a rejection that may be retried with the same token", async () => {
    const { client, sim } = setup();
    sim.setBusy(true);
    expect(await client.requestBolus(request)).toEqual({ state: "rejected", token: 0xc0ffee, result: "busy" });
    sim.setBusy(false);
    expect((await client.requestBolus(request)).state).toBe("confirmed");
  });

  it("is not_sent when there is no link", async () => {
    const { client, transport } = setup();
    transport.failNextConnects(1);
    expect(await client.requestBolus(request)).toMatchObject({ state: "not_sent" });
  });

  it("times out to unconfirmed, never to delivered", async () => {
    vi.useFakeTimers();
    const { client, transport } = setup({}, { timeoutMs: 3_000 });
    await client.connect();
    transport.hangNextOp();
    const pending = client.requestBolus(request);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await pending).toMatchObject({ state: "unconfirmed" });
  });

  it("queryBolus reports without delivering", async () => {
    const { client, sim } = setup();
    expect(await client.queryBolus(9)).toEqual({ state: "token_unknown", token: 9 });
    await client.requestBolus(request);
    expect(await client.queryBolus(request.token)).toMatchObject({ state: "confirmed", replayed: true });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("refuses an invalid request before sending anything", async () => {
    const { client, transport } = setup();
    expect(() => client.requestBolus({ token: 0, dose: 50, permissionVersion: 1 })).toThrow(/token 0/);
    expect(transport.stats.writes).toBe(0);
  });

  it("serialises concurrent operations", async () => {
    const { client, sim } = setup({ permission: { enabled: true, dose: 50, lockoutS: HOUR, maxPer24h: 4 } });
    sim.seedHistory(200);
    const [sync, a, b] = await Promise.all([
      client.syncRecords({ afterSeq: 0 }),
      client.requestBolus({ token: 1, dose: 50, permissionVersion: 1 }),
      client.requestBolus({ token: 2, dose: 50, permissionVersion: 1 }),
    ]);
    expect(seqs(sync.records)).toEqual(range(1, 200));
    expect(a.state).toBe("confirmed");
    expect(b).toMatchObject({ state: "denied", reason: "lockout_active" });
  });
});

describe("set time", () => {
  it("sets the device clock and returns the previous time", async () => {
    const { client, sim } = setup({ deviceTime: 1_700_000_000 });
    expect(await client.setTime(1_800_000_000)).toEqual({ previousTime: 1_700_000_000, newTime: 1_800_000_000 });
    expect(sim.deviceTime()).toBe(1_800_000_000);
  });

  it("resends a SET_TIME write that was corrupted in transit", async () => {
    const { client, sim, transport } = setup({ deviceTime: 1_700_000_000 });
    await client.connect();
    transport.corruptNextWrite();
    await client.setTime(1_800_000_000);
    expect(sim.deviceTime()).toBe(1_800_000_000);
  });
});
