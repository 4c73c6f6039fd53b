// Benchmark: from a sync that raises a critical alarm to the last of N subscriptions receiving it.
//
//   npx tsx --conditions=react-server scripts/bench-push.ts [--subscriptions 1000] [--concurrency 50] [--batch 250] [--rounds 3]
//   DATABASE_URL=postgres://… npx tsx --conditions=react-server scripts/bench-push.ts   (a temporary database)
//
// Everything real except the push service: the app's own code evaluates the alarm, queues one
// outbox row per subscription and sends with web-push (aes128gcm + VAPID) to a local HTTPS push
// endpoint (tests/support/push-endpoint.ts) that verifies the VAPID JWT and decrypts every
// message, as a browser's push service and the browser would. The endpoint runs in this process
// (asynchronously); its decryption work is counted in the time, which makes the figure
// pessimistic. (--conditions=react-server lets the app's `server-only` modules load outside Next.)
import os from "node:os";
import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import webpush from "web-push";
import { careLinks, patients, pumps, pumpStatusReadings, pushSubscriptions, userRoles, users } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { deliverDue } from "@/lib/alarms/deliver";
import { evaluatePatientAlarms } from "@/lib/alarms/evaluate";
import { ALARM_BITS } from "@/lib/pump-link/types";
import { freshDb } from "../tests/support/db";
import { startPushEndpoint } from "../tests/support/push-endpoint";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
}

const N = arg("subscriptions", 1000);
const CONCURRENCY = arg("concurrency", 50);
const ROUNDS = arg("rounds", 3);
const BATCH = arg("batch", 250);
const DEVICES_PER_CAREGIVER = 4;
const CRITICAL_FLAGS = [ALARM_BITS.motorStall, ALARM_BITS.memoryError, ALARM_BITS.batteryEndOfService, ALARM_BITS.emptyReservoir];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main() {
  const driver = process.env.DATABASE_URL ? "postgres" : "pglite";
  const h = await freshDb(driver);
  // The receiver decrypts on its own thread: in production the browser does that work, not the server.
  const push = await startPushEndpoint({ thread: "process" });
  try {
    const start = new Date();
    await seedDemo(h.db, start);
    const [alex] = await h.db.select().from(patients).where(eq(patients.displayName, "Alex Morgan"));
    const [pump] = await h.db.select().from(pumps).where(eq(pumps.patientId, alex!.id));
    const keys = webpush.generateVAPIDKeys();
    const vapid = { ...keys, subject: "mailto:bench@example.org" };

    // N subscriptions: caregivers with the alarms scope, DEVICES_PER_CAREGIVER devices each (setup, not timed).
    const caregivers = Math.ceil(N / DEVICES_PER_CAREGIVER);
    const userRows = await h.db
      .insert(users)
      .values(Array.from({ length: caregivers }, (_, i) => ({ email: `bench-cg-${i}@example.test`, name: `Bench Caregiver ${i}`, passwordHash: "not-used" })))
      .returning({ id: users.id });
    await h.db.insert(userRoles).values(userRows.map((u) => ({ userId: u.id, role: "caregiver" as const })));
    await h.db.insert(careLinks).values(
      userRows.map((u, i) => ({ patientId: alex!.id, caregiverUserId: u.id, inviteLabel: `bench ${i}`, inviteCodeHash: `bench-${i}`, inviteExpiresAt: start, scopes: ["alarms" as const], status: "active" as const, acceptedAt: start })),
    );
    const subs = Array.from({ length: N }, (_, i) => ({ user: userRows[Math.floor(i / DEVICES_PER_CAREGIVER)]!.id, sub: push.subscribe() }));
    for (let i = 0; i < subs.length; i += 500) {
      await h.db.insert(pushSubscriptions).values(subs.slice(i, i + 500).map((s) => ({ userId: s.user, endpoint: s.sub.endpoint, p256dh: s.sub.keys.p256dh, auth: s.sub.keys.auth, label: "bench" })));
    }
    const benchIds = new Set(subs.map((s) => s.sub.id));

    const results: { totalMs: number; evaluateMs: number; sendMs: number; rate: number; p50: number; p95: number; serverCpuMs: number; queued: number; received: number }[] = [];
    let clock = start.getTime();
    for (let round = 0; round < Math.min(ROUNDS, CRITICAL_FLAGS.length); round++) {
      push.reset();
      clock += 60_000;
      const at = new Date(clock);
      const flags = 1 << CRITICAL_FLAGS[round]!;
      // --- timed: the sync stores the reading, evaluation raises and queues, delivery sends ---
      const t0 = performance.now();
      const wall0 = Date.now();
      const cpu0 = process.cpuUsage();
      await h.db.insert(pumpStatusReadings).values({ pumpId: pump!.id, recordedAt: at, receivedAt: at, reservoirUl: 20_000, batteryPercent: 60, alarmFlags: flags, therapyState: "running", source: "bench" });
      const evaluation = await evaluatePatientAlarms(h.db, alex!.id, at);
      const t1 = performance.now();
      await deliverDue(h.db, { now: at, vapid, agent: push.agent, concurrency: CONCURRENCY, batchSize: BATCH });
      const received = () => push.delivered().filter((a) => benchIds.has(a.subscriptionId) && a.payload?.kind === "raise").length;
      await push.waitUntil(() => received() >= N, 60_000);
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      // ---
      const arrivals = push.delivered().filter((a) => benchIds.has(a.subscriptionId)).map((a) => a.at - wall0);
      results.push({
        totalMs: t2 - t0,
        evaluateMs: t1 - t0,
        sendMs: t2 - t1,
        rate: N / ((t2 - t0) / 1000),
        p50: pct(arrivals, 50),
        p95: pct(arrivals, 95),
        serverCpuMs: (cpu.user + cpu.system) / 1000,
        queued: evaluation.queued,
        received: received(),
      });
      if (push.problems().length) throw new Error(`the push endpoint rejected messages: ${push.problems()[0]!.problem}`);
      // Clear the alarm between rounds (its all clears are sent, untimed).
      clock += 60_000;
      const cleared = new Date(clock);
      await h.db.insert(pumpStatusReadings).values({ pumpId: pump!.id, recordedAt: cleared, receivedAt: cleared, reservoirUl: 20_000, batteryPercent: 60, alarmFlags: 0, therapyState: "running", source: "bench" });
      await evaluatePatientAlarms(h.db, alex!.id, cleared);
      await deliverDue(h.db, { now: cleared, vapid, agent: push.agent, concurrency: CONCURRENCY });
    }
    const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
    console.log(
      JSON.stringify(
        { driver, subscriptions: N, concurrency: CONCURRENCY, batchSize: BATCH, node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10), rounds: results },
        null,
        2,
      ),
    );
    console.log("\n| round | sync → last of %d received | evaluate + queue | send | messages/s | p50 / p95 arrival | server CPU |", N);
    console.log("|---|---|---|---|---|---|---|");
    results.forEach((r, i) =>
      console.log(
        `| ${i + 1}${i === 0 ? " (cold sockets)" : ""} | ${fmt(r.totalMs)} ms | ${fmt(r.evaluateMs)} ms | ${fmt(r.sendMs)} ms | ${fmt(r.rate)} | ${fmt(r.p50)} / ${fmt(r.p95)} ms | ${fmt(r.serverCpuMs)} ms |`,
      ),
    );
    const worst = Math.max(...results.map((r) => r.totalMs));
    console.log(`\n${worst <= 5000 ? "PASS" : "FAIL"}: worst round ${fmt(worst)} ms for ${N} deliveries (goal ≤ 5,000 ms), ${driver}, concurrency ${CONCURRENCY}, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`);
    if (worst > 5000) process.exitCode = 1;
  } finally {
    await push.close();
    await h.destroy();
  }
}

main().catch((e: unknown) => {
  console.error("[bench-push]", e instanceof Error ? e.stack : e);
  process.exit(1);
});
