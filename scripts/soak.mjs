#!/usr/bin/env node
// `npm run soak`: the production build under load against a real PostgreSQL that is restarted in
// the middle of the run (issue #9). 50 connections for 60 s (SOAK_SECONDS, SOAK_CONNECTIONS to
// change) mix status GETs, sync POSTs that each upload one new pump record (a distinct sequence
// number), and a few page loads. At a third of the run PostgreSQL is stopped (fast shutdown),
// left down for SOAK_OUTAGE_MS (5 s) and started again.
//
// Passes (exit 0) only when:
//   - every request is answered (none hangs past 3 × SOAK_HANG_BOUND_MS = 30 s), and every request
//     sent while PostgreSQL is down is answered within SOAK_HANG_BOUND_MS (10 s): it fails fast;
//   - every API answer that is not 2xx is 503 with a Retry-After header (no 500, no other status),
//     and no connection is reset or refused by the app;
//   - pages never hang and never break the connection (a page may answer 5xx while the DB is down);
//   - after PostgreSQL is back, a request to each endpoint sent within SOAK_RECOVERY_BOUND_MS (15 s)
//     succeeds, no API request sent later fails, the app was not restarted, and a final status
//     GET and sync POST succeed;
//   - every sync the server acknowledged with 2xx is in device_events afterwards (lost = 0).
// PostgreSQL is started again at the end whatever happens. Results: test-results/soak-results.json.
//
// DATABASE_URL (default the local server) must point at the PostgreSQL that SOAK_PG_STOP /
// SOAK_PG_START (default pg_ctlcluster for the Debian cluster 15/main) stop and start.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { demoSessionCookie as signIn } from "./lib/demo-sign-in.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 50);
const port = Number(process.env.SOAK_PORT ?? 3710);
const outageMs = Number(process.env.SOAK_OUTAGE_MS ?? 5000);
const hangBoundMs = Number(process.env.SOAK_HANG_BOUND_MS ?? 10_000);
const recoveryBoundMs = Number(process.env.SOAK_RECOVERY_BOUND_MS ?? 15_000);
const clientTimeoutMs = hangBoundMs * 3;
const pgUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const pgStop = process.env.SOAK_PG_STOP ?? "pg_ctlcluster --skip-systemctl-redirect 15 main stop -m fast";
const pgStart = process.env.SOAK_PG_START ?? "pg_ctlcluster --skip-systemctl-redirect 15 main start";
const secret = "soak-only-secret-0123456789abcdef0123456789";
// A log identity of its own, so the soak's sequence numbers never meet the demo's.
const SOAK_LOG_ID = 4_000_000_000 + (process.pid % 100_000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[soak ${new Date().toISOString().slice(11, 23)}]`, ...a);

if (!fs.existsSync(path.join(root, distDir, "BUILD_ID"))) {
  log("building…");
  const r = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}

function sh(cmd) {
  const r = spawnSync("sh", ["-c", cmd], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
}

async function pgReachable() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function ensurePostgresUp() {
  if (await pgReachable()) return;
  log("PostgreSQL is down: starting it");
  try {
    sh(pgStart);
  } catch (e) {
    console.error(String(e));
  }
  for (let i = 0; i < 60 && !(await pgReachable()); i++) await sleep(500);
}

// ---- scratch database with the demo and benchmark-sized history -----------------------------
async function prepare() {
  const name = `pp_soak_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  const env = { ...process.env, SEED_DEMO: "1", DATABASE_URL: u.toString() };
  delete env.POSTGRES_URL;
  env.DATABASE_POOL_MAX = env.DATABASE_POOL_MAX ?? "20";
  const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/bench-data.ts"], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const info = JSON.parse(r.stdout.trim().split("\n").at(-1));
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const { rows } = await db.query("select id, reservoir_capacity_ul from pumps where patient_id = $1 order by created_at desc limit 1", [info.patientId]);
  await db.end();
  return { name, env, patientId: info.patientId, pumpId: rows[0].id, capacityUl: rows[0].reservoir_capacity_ul };
}

async function dropDatabase(name) {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

// ---- load ------------------------------------------------------------------------------------
// FIFO: every kept-alive socket is reused in turn, so none sits idle past the server's 5 s
// keep-alive timeout and gets closed just as a request is written on it.
const agent = new http.Agent({ keepAlive: true, maxSockets: connections, scheduling: "fifo" });
const t0 = performance.now();
const now = () => performance.now() - t0;

/**
 * One request; never rejects: the outcome is a record. A kept-alive socket that the server had
 * already closed (reset before any byte of an answer: the keep-alive race every HTTP client has)
 * is retried once on a new connection, as browsers and undici do, and counted.
 */
async function request(opts) {
  const first = await requestOnce(opts);
  if (first.error === "ECONNRESET" && first.reusedSocket && !first.gotResponse) {
    const second = await requestOnce(opts);
    return { ...second, start: first.start, ms: second.end - first.start, keepAliveRetry: true };
  }
  return first;
}

function requestOnce({ method, pathName, cookie, body }) {
  return new Promise((resolve) => {
    const start = now();
    const headers = { cookie };
    if (body) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(body);
    }
    let done = false;
    const finish = (rec) => {
      if (done) return;
      done = true;
      resolve({ start, end: now(), ms: now() - start, ...rec });
    };
    let gotResponse = false;
    const req = http.request({ host: "127.0.0.1", port, method, path: pathName, headers, agent }, (res) => {
      gotResponse = true;
      res.on("data", () => {});
      res.on("end", () => finish({ status: res.statusCode, retryAfter: res.headers["retry-after"] ?? null }));
      res.on("error", (e) => finish({ status: 0, error: e.code ?? e.message }));
    });
    req.setTimeout(clientTimeoutMs, () => {
      finish({ status: 0, error: "TIMEOUT" });
      req.destroy();
    });
    req.on("error", (e) => finish({ status: 0, error: e.code ?? e.message, reusedSocket: req.reusedSocket, gotResponse }));
    if (body) req.write(body);
    req.end();
  });
}

function syncBody(seq, capacityUl) {
  const time = Math.floor(Date.now() / 1000);
  const reservoirUl = Math.floor(capacityUl / 2);
  return JSON.stringify({
    uploadId: randomUUID(),
    device: {
      logId: SOAK_LOG_ID,
      status: { deviceTime: time, reservoirUl, capacityUl, batteryPercent: 80, alarmFlags: 0, therapyState: "running", highestSeq: seq },
    },
    records: [{ seq, time, kind: "reservoir_reading", reservoirUl }],
  });
}

async function load({ cookie, patientId, capacityUl, durationMs, records }) {
  let seq = 0;
  let n = 0;
  const stopAt = now() + durationMs;
  async function worker() {
    while (now() < stopAt) {
      const i = n++;
      let rec;
      if (i % 20 === 19) {
        rec = { kind: "page", ...(await request({ method: "GET", pathName: "/patient", cookie })) };
      } else if (i % 2 === 0) {
        rec = { kind: "status", ...(await request({ method: "GET", pathName: `/api/patients/${patientId}/status`, cookie })) };
      } else {
        const s = ++seq;
        rec = { kind: "sync", seq: s, ...(await request({ method: "POST", pathName: `/api/patients/${patientId}/sync`, cookie, body: syncBody(s, capacityUl) })) };
      }
      records.push(rec);
      // A failed request is retried after a short pause, not in a tight loop (as a client would).
      if (rec.status < 200 || rec.status >= 300) await sleep(100);
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
}

// ---- figures ---------------------------------------------------------------------------------
function pct(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarise(records) {
  const rows = [];
  for (const kind of ["status", "sync", "page", "all"]) {
    const rs = kind === "all" ? records : records.filter((r) => r.kind === kind);
    const lat = rs.map((r) => r.ms).sort((a, b) => a - b);
    rows.push({
      kind,
      requests: rs.length,
      ok2xx: rs.filter((r) => r.status >= 200 && r.status < 300).length,
      s503: rs.filter((r) => r.status === 503).length,
      s503NoRetryAfter: rs.filter((r) => r.status === 503 && !r.retryAfter).length,
      otherStatus: rs.filter((r) => r.status && r.status !== 503 && (r.status < 200 || r.status >= 300)).length,
      socketErrors: rs.filter((r) => r.status === 0 && r.error !== "TIMEOUT").length,
      timeouts: rs.filter((r) => r.error === "TIMEOUT").length,
      p50: Math.round(pct(lat, 50)),
      p99: Math.round(pct(lat, 99)),
      max: Math.round(lat.at(-1) ?? 0),
    });
  }
  return rows;
}

// ---- run ---------------------------------------------------------------------------------------
const failures = [];
let loadAvgStart;
let server;
let scratch;
const serverLogPath = path.join(root, "test-results", "soak-server.log");
fs.mkdirSync(path.dirname(serverLogPath), { recursive: true });
const result = { at: new Date().toISOString(), seconds, connections, outageMs, hangBoundMs, recoveryBoundMs, host: `${os.cpus().length} cores` };

try {
  if (!(await pgReachable())) throw new Error(`PostgreSQL at ${pgUrl} is not reachable`);
  log("preparing a scratch database…");
  scratch = await prepare();
  const serverLog = fs.openSync(serverLogPath, "w");
  server = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...scratch.env, AUTH_SECRET: secret, AUTH_TRUST_HOST: "true", NODE_ENV: "production", PUMP_PORTAL_TICK_INTERVAL_MS: "0" },
    stdio: ["ignore", serverLog, serverLog],
  });
  let serverExit = null;
  server.on("exit", (code, signal) => (serverExit = code ?? signal));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    await sleep(500);
  }
  const cookie = await signIn(base);
  // Warm-up (compiles nothing in production, but fills the pool and the caches).
  await load({ cookie, patientId: scratch.patientId, capacityUl: scratch.capacityUl, durationMs: 2000, records: [] });

  const records = [];
  loadAvgStart = os.loadavg().map((x) => +x.toFixed(1));
  const loadStart = now();
  const durationMs = seconds * 1000;
  const outage = {};
  const restart = (async () => {
    await sleep(durationMs / 3);
    outage.stopBegin = now();
    log("stopping PostgreSQL");
    sh(pgStop);
    outage.stopped = now();
    await sleep(outageMs);
    outage.startBegin = now();
    log("starting PostgreSQL");
    sh(pgStart);
    outage.started = now();
    log(`PostgreSQL is back (down ${((outage.started - outage.stopBegin) / 1000).toFixed(1)} s)`);
  })();
  log(`load: ${connections} connections for ${seconds} s`);
  const [restartOutcome] = await Promise.allSettled([restart, load({ cookie, patientId: scratch.patientId, capacityUl: scratch.capacityUl, durationMs, records })]);
  if (restartOutcome.status === "rejected") failures.push(`restarting PostgreSQL failed: ${restartOutcome.reason}`);
  const loadEnd = now();

  // Recovery: the earliest request sent after PostgreSQL was back that succeeded, per endpoint,
  // and from SOAK_RECOVERY_BOUND_MS after the restart on, no request may fail at all.
  const failed = (r) => r.status < 200 || r.status >= 300;
  const recovery = {};
  for (const kind of ["status", "sync"]) {
    const ok = outage.started === undefined ? [] : records.filter((r) => r.kind === kind && r.start >= outage.started && !failed(r));
    const first = ok.sort((a, b) => a.start - b.start)[0];
    recovery[kind] = first ? { sentAfterMs: Math.round(first.start - outage.started), answeredAfterMs: Math.round(first.end - outage.started) } : null;
    if (!first || first.start - outage.started > recoveryBoundMs) failures.push(`${kind}: no request sent within ${recoveryBoundMs} ms after PostgreSQL was back succeeded`);
  }
  const lateFailures = outage.started === undefined ? [] : records.filter((r) => r.kind !== "page" && r.start > outage.started + recoveryBoundMs && failed(r));
  if (lateFailures.length) failures.push(`${lateFailures.length} API requests sent more than ${recoveryBoundMs} ms after PostgreSQL was back still failed`);
  // Fail fast: requests sent while PostgreSQL was stopped are answered (503) within the bound.
  const duringDown = outage.stopped === undefined ? [] : records.filter((r) => r.start >= outage.stopped && r.start < outage.startBegin);
  const down = {
    sent: duringDown.length,
    answered503: duringDown.filter((r) => r.status === 503).length,
    maxMs: Math.round(Math.max(0, ...duringDown.map((r) => r.ms))),
    p50Ms: Math.round(pct(duringDown.map((r) => r.ms).sort((a, b) => a - b), 50)),
  };
  const slowWhileDown = duringDown.filter((r) => r.ms > hangBoundMs);
  if (slowWhileDown.length) failures.push(`${slowWhileDown.length} requests sent while PostgreSQL was down took longer than ${hangBoundMs} ms to be answered`);
  const inOutage = (r) => outage.stopBegin !== undefined && r.end >= outage.stopBegin && r.start <= (outage.started ?? loadEnd) + recoveryBoundMs;
  const outsideFailures = records.filter((r) => failed(r) && !inOutage(r));

  // The app must still be the same process and answer by itself.
  const probeStatus = await request({ method: "GET", pathName: `/api/patients/${scratch.patientId}/status`, cookie });
  const probeSeq = 1_000_000_000;
  const probeSync = await request({ method: "POST", pathName: `/api/patients/${scratch.patientId}/sync`, cookie, body: syncBody(probeSeq, scratch.capacityUl) });
  if (probeStatus.status !== 200) failures.push(`final status GET answered ${probeStatus.status || probeStatus.error}`);
  if (probeSync.status !== 200) failures.push(`final sync POST answered ${probeSync.status || probeSync.error}`);
  if (serverExit !== null) failures.push(`the app server exited (${serverExit})`);

  // Lost = acknowledged syncs whose record is not in the database.
  const acked = records.filter((r) => r.kind === "sync" && r.status >= 200 && r.status < 300).map((r) => r.seq);
  if (probeSync.status === 200) acked.push(probeSeq);
  const db = new pg.Client({ connectionString: scratch.env.DATABASE_URL });
  await db.connect();
  const { rows } = await db.query("select device_seq from device_events where pump_id = $1 and log_id = $2", [scratch.pumpId, SOAK_LOG_ID]);
  await db.end();
  const stored = new Set(rows.map((r) => Number(r.device_seq)));
  const lost = acked.filter((s) => !stored.has(s));
  const storedUnacked = stored.size - acked.filter((s) => stored.has(s)).length;

  const rowsOut = summarise(records);
  const keepAliveRetries = records.filter((r) => r.keepAliveRetry).length;
  const maxIn = (rs) => Math.round(Math.max(0, ...rs.map((r) => r.ms)));
  const latency = { outageWindowMaxMs: maxIn(records.filter(inOutage)), steadyMaxMs: maxIn(records.filter((r) => !inOutage(r))) };
  // Five-second buckets by the time the answer came: how the run went, for docs/reliability.md.
  const timeline = [];
  for (let t = 0; t < loadEnd - loadStart; t += 5000) {
    const rs = records.filter((r) => r.end - loadStart >= t && r.end - loadStart < t + 5000);
    timeline.push({ fromS: t / 1000, answers: rs.length, ok2xx: rs.filter((r) => !failed(r)).length, s503: rs.filter((r) => r.status === 503).length, other: rs.filter((r) => failed(r) && r.status !== 503).length, maxMs: maxIn(rs) });
  }
  fs.writeFileSync(
    path.join(root, "test-results", "soak-requests.json"),
    JSON.stringify(records.map((r) => ({ k: r.kind, s: Math.round(r.start - loadStart), ms: Math.round(r.ms), st: r.status, e: r.error, ra: r.retryAfter, seq: r.seq, ka: r.keepAliveRetry })), null, 0),
  );
  for (const row of rowsOut.filter((r) => r.kind !== "all")) {
    if (row.timeouts) failures.push(`${row.kind}: ${row.timeouts} requests hung (no answer within ${clientTimeoutMs} ms)`);
    if (row.socketErrors) failures.push(`${row.kind}: ${row.socketErrors} requests ended without an HTTP answer`);
    if (row.kind !== "page" && row.otherStatus) failures.push(`${row.kind}: ${row.otherStatus} answers were neither 2xx nor 503`);
    if (row.kind !== "page" && row.s503NoRetryAfter) failures.push(`${row.kind}: ${row.s503NoRetryAfter} 503 answers without Retry-After`);
  }
  if (lost.length) failures.push(`${lost.length} acknowledged syncs are not in the database (first: seq ${lost.slice(0, 5).join(", ")})`);
  const statusCodes = {};
  for (const r of records) {
    const key = `${r.kind} ${r.status || r.error}`;
    statusCodes[key] = (statusCodes[key] ?? 0) + 1;
  }
  const serverText = fs.readFileSync(serverLogPath, "utf8");
  const unexpected = (serverText.match(/\[api\] unexpected error/g) ?? []).length;

  Object.assign(result, {
    loadSeconds: +((loadEnd - loadStart) / 1000).toFixed(1),
    outage: {
      stopAtS: +((outage.stopBegin - loadStart) / 1000).toFixed(1),
      downS: +((outage.started - outage.stopBegin) / 1000).toFixed(1),
      recovery,
      whilePostgresDown: down,
    },
    loadAverage: { start: loadAvgStart, end: os.loadavg().map((x) => +x.toFixed(1)) },
    rows: rowsOut,
    statusCodes,
    failuresOutsideOutage: outsideFailures.length,
    latency,
    keepAliveRetries,
    timeline,
    syncs: { acked: acked.length, storedForSoakLog: stored.size, storedButNotAcked: storedUnacked, lost: lost.length },
    serverUnexpectedErrors: unexpected,
    passed: failures.length === 0,
    failures,
  });

  console.log("");
  console.log(`| requests | count | 2xx | 503 (all with Retry-After) | other status | socket errors | hung | p50 ms | p99 ms | max ms |`);
  console.log(`|---|---|---|---|---|---|---|---|---|---|`);
  for (const r of rowsOut) {
    console.log(`| ${r.kind} | ${r.requests} | ${r.ok2xx} | ${r.s503}${r.s503NoRetryAfter ? ` (${r.s503NoRetryAfter} without)` : ""} | ${r.otherStatus} | ${r.socketErrors} | ${r.timeouts} | ${r.p50} | ${r.p99} | ${r.max} |`);
  }
  console.log("");
  console.log(`outage: PostgreSQL stopped at ${result.outage.stopAtS} s, down ${result.outage.downS} s`);
  console.log(`requests sent while PostgreSQL was down: ${down.sent}, answered 503 ${down.answered503}, p50 ${down.p50Ms} ms, slowest ${down.maxMs} ms (bound ${hangBoundMs} ms)`);
  for (const kind of ["status", "sync"]) console.log(`recovery ${kind}: first successful request sent ${recovery[kind]?.sentAfterMs} ms after the restart, answered after ${recovery[kind]?.answeredAfterMs} ms`);
  console.log(`load average (1/5/15 min) at start ${loadAvgStart.join(" ")}, at end ${result.loadAverage.end.join(" ")} on ${os.cpus().length} cores`);
  console.log(`failed requests outside the outage window: ${outsideFailures.length}; slowest answer in the outage window ${latency.outageWindowMaxMs} ms, outside it ${latency.steadyMaxMs} ms`);
  console.log(`kept-alive sockets closed by the server and retried once: ${keepAliveRetries}`);
  console.log("timeline (5 s buckets by answer time): " + timeline.map((b) => `${b.fromS}s ${b.ok2xx}/${b.answers} ok${b.s503 ? ` ${b.s503}×503` : ""}${b.other ? ` ${b.other}×other` : ""} max ${b.maxMs}ms`).join(" | "));
  console.log(`syncs acknowledged: ${acked.length}; soak records in device_events: ${stored.size} (${storedUnacked} stored though not acknowledged); lost: ${lost.length}`);
  console.log(`answers by kind and status: ${JSON.stringify(statusCodes)}`);
  console.log(`server log: ${unexpected} unexpected API errors (${path.relative(root, serverLogPath)})`);
} catch (e) {
  failures.push(`soak aborted: ${e instanceof Error ? e.stack : e}`);
} finally {
  agent.destroy();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await sleep(1000);
  }
  await ensurePostgresUp();
  if (!(await pgReachable())) failures.push("PostgreSQL is not running after the soak");
  if (scratch && process.env.SOAK_KEEP_DB !== "1") await dropDatabase(scratch.name).catch((e) => console.error("could not drop the scratch database:", e.message));
}

result.passed = failures.length === 0;
result.failures = failures;
fs.writeFileSync(path.join(root, "test-results", "soak-results.json"), JSON.stringify(result, null, 2) + "\n");
for (const f of failures) console.log(`FAIL: ${f}`);
console.log(failures.length ? "soak FAILED" : "soak passed");
process.exit(failures.length ? 1 : 0);
