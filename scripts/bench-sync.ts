/**
 * npm run bench:sync — history-sync speed: GATT round trips per 100 records and records per second,
 * measured over the simulator transport (the protocol and client code the browser runs), plus the
 * server's ingestion into an in-memory PGlite through the same code path as the route.
 * Results go in docs/benchmarks.md ("Pump link sync"). Run with: tsx --conditions=react-server
 * (lib/sync/ingest.ts is server-only).
 *
 *   npm run bench:sync [-- --records 5000 --runs 3]
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { migrateHandle, openPglite } from "@/db/client";
import { patients, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { PumpLinkClient } from "@/lib/pump-link/client";
import { encodeControlPoint } from "@/lib/pump-link/codec";
import { ManualClock, PumpSimulator } from "@/lib/pump-link/simulator";
import { SimulatorTransport } from "@/lib/pump-link/simulator-transport";
import type { PumpCharacteristic } from "@/lib/pump-link/uuids";
import { getSyncState, ingestSync } from "@/lib/sync/ingest";
import { runSync } from "@/lib/sync/run-sync";
import { syncUploadSchema } from "@/lib/sync/schema";

const { values } = parseArgs({ options: { records: { type: "string", default: "5000" }, runs: { type: "string", default: "3" } } });
const N = Number(values.records);
const RUNS = Number(values.runs);
const MTUS = [23, 185, 517] as const;

/** ATT round trips for one GATT read of `length` bytes: a Read, then Read Blobs of MTU−1 bytes. */
function attReads(length: number, mtu: number): number {
  return Math.floor(length / (mtu - 1)) + 1;
}

/** Counts what crosses the link: GATT operations, and ATT round trips at each MTU. */
class MeasuringTransport extends SimulatorTransport {
  gattOps = 0;
  att: Record<number, number> = Object.fromEntries(MTUS.map((m) => [m, 0]));
  override async read(characteristic: PumpCharacteristic): Promise<Uint8Array> {
    const value = await super.read(characteristic);
    this.gattOps++;
    for (const m of MTUS) this.att[m]! += attReads(value.length, m);
    return value;
  }
  override async write(characteristic: PumpCharacteristic, value: Uint8Array): Promise<void> {
    await super.write(characteristic, value);
    this.gattOps++;
    for (const m of MTUS) this.att[m]! += 1; // writes are ≤ 20 bytes: one Write Request
  }
}

function mixedHistory(n: number): PumpSimulator {
  const sim = new PumpSimulator({ clock: new ManualClock(0), logId: 1, logCapacity: n + 10 });
  sim.seedHistory(n);
  return sim;
}

/** The longest common records: every other one a bolus delivered (24 B) or denied (19 B). */
function bolusHeavy(n: number): PumpSimulator {
  const clock = new ManualClock(0);
  const sim = new PumpSimulator({ clock, logId: 2, logCapacity: n + 10, permission: { enabled: true, dose: 50, lockoutS: 60, maxPer24h: 255 }, reservoirUl: 20_000, capacityUl: 20_000, basalDosePerDay: 0 });
  let id = 1;
  while (sim.status().highestSeq < n) {
    const s = sim.status();
    sim.writeControlPoint(encodeControlPoint({ op: "request_bolus", requestId: id & 0xffff, token: id, dose: 50, permissionVersion: s.permission.version }, id & 0xff));
    id++;
    clock.advance(30); // half the requests fall inside the 60 s lockout: denied
    if (s.reservoirUl < 3000) sim.refill(20_000);
  }
  return sim;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const f1 = (x: number) => x.toLocaleString("en-GB", { maximumFractionDigits: 1 });
const f0 = (x: number) => Math.round(x).toLocaleString("en-GB");

async function linkBench(name: string, make: (n: number) => PumpSimulator) {
  const times: number[] = [];
  let last: MeasuringTransport | null = null;
  let received = 0;
  // One untimed run first, so that the JIT has compiled the codec before anything is timed.
  await new PumpLinkClient({ transport: new SimulatorTransport(make(N)) }).syncRecords({ afterSeq: 0 });
  for (let r = 0; r < RUNS; r++) {
    const sim = make(N);
    const transport = new MeasuringTransport(sim);
    const client = new PumpLinkClient({ transport });
    const t0 = performance.now();
    const result = await client.syncRecords({ afterSeq: 0 });
    times.push(performance.now() - t0);
    received = result.records.length;
    last = transport;
  }
  const t = last!;
  const per100 = (x: number) => (x * 100) / received;
  return {
    name,
    received,
    gattPer100: per100(t.gattOps),
    att: Object.fromEntries(MTUS.map((m) => [m, per100(t.att[m]!)])) as Record<number, number>,
    cpuRecordsPerS: received / (median(times) / 1000),
  };
}

async function endToEnd() {
  const h = await openPglite(null);
  await migrateHandle(h);
  await seedDemo(h.db);
  const [u] = await h.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.patient));
  const [p] = await h.db.select().from(patients).where(eq(patients.userId, u!.id));
  const times: number[] = [];
  const uploadMs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const sim = new PumpSimulator({ clock: new ManualClock(0), logId: 100 + r, capacityUl: 40_000, reservoirUl: 30_000, logCapacity: N + 10 });
    sim.seedHistory(N);
    const client = new PumpLinkClient({ transport: new SimulatorTransport(sim) });
    const t0 = performance.now();
    const summary = await runSync({
      client,
      api: {
        getState: (logId) => getSyncState(h.db, p!.id, logId),
        upload: async (body) => {
          const u0 = performance.now();
          // As the route does it: JSON on the wire, validated by the schema, one transaction.
          const parsed = syncUploadSchema.parse(JSON.parse(JSON.stringify(body)));
          const result = await ingestSync(h.db, { patientId: p!.id, actorUserId: u!.id, upload: parsed });
          if (body.records.length === 500) uploadMs.push(performance.now() - u0);
          return { kind: "stored", result };
        },
      },
    });
    times.push(performance.now() - t0);
    if (summary.newEvents !== N) throw new Error(`expected ${N} new events, got ${summary.newEvents}`);
  }
  await h.close();
  return { recordsPerS: N / (median(times) / 1000), upload500Ms: median(uploadMs) };
}

async function main() {
  console.log(`pump link sync benchmark: ${N} records, median of ${RUNS} runs, Node ${process.version}\n`);
  const rows = [await linkBench("mixed history (reservoir, battery, therapy records)", mixedHistory), await linkBench("bolus-heavy (bolus delivered/denied records)", bolusHeavy)];
  console.log("| history | GATT operations / 100 records | ATT round trips / 100 records at MTU 23 · 185 · 517 | client + simulator, in process (records/s) | on air at 30 ms per ATT round trip (records/s, model) |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    const air = (mtu: number) => 100 / ((r.att[mtu]! * 30) / 1000);
    console.log(
      `| ${r.name} | ${f1(r.gattPer100)} | ${MTUS.map((m) => f1(r.att[m]!)).join(" · ")} | ${f0(r.cpuRecordsPerS)} | ${MTUS.map((m) => f0(air(m))).join(" · ")} |`,
    );
  }
  const e2e = await endToEnd();
  console.log(`\nend to end in process (simulator → client → runSync → schema → ingest into in-memory PGlite, 500-record uploads):`);
  console.log(`  ${f0(e2e.recordsPerS)} records/s; one 500-record upload stored in ${f0(e2e.upload500Ms)} ms (median)`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
