#!/usr/bin/env node
// `npm run bench`: requests/s and latency of the status endpoint and the patient home page on the
// production build, on the embedded PGlite and on PostgreSQL (DATABASE_URL, default the local
// server), with a patient holding one year of hourly readings and 10,000 events.
// 50 connections, 20 s each (BENCH_SECONDS to change). Writes docs/benchmarks-status.json and
// prints a Markdown table for docs/benchmarks.md.
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { demoSessionCookie as signIn } from "./lib/demo-sign-in.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const port = Number(process.env.BENCH_PORT ?? 3700);
const pgUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const secret = "bench-only-secret-0123456789abcdef0123456789";
const workers = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());

if (!fs.existsSync(path.join(root, distDir, "BUILD_ID"))) {
  console.log("[bench] building…");
  const r = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function prepare(driver) {
  const env = { ...process.env, SEED_DEMO: "1" };
  delete env.POSTGRES_URL;
  if (driver === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-bench-"));
    env.PUMP_PORTAL_DATA_DIR = dir;
    delete env.DATABASE_URL;
  } else {
    const name = `pp_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    env.DATABASE_POOL_MAX = env.DATABASE_POOL_MAX ?? "20";
  }
  const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/bench-data.ts"], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const info = JSON.parse(r.stdout.trim().split("\n").at(-1));
  return { env, info };
}

function run(url, cookie) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, r) => (err ? reject(err) : resolve(r)));
  });
}

const results = [];
for (const driver of (process.env.BENCH_DRIVERS ?? "pglite,postgres").split(",")) {
  console.log(`[bench] ${driver}: preparing data…`);
  const { env, info } = await prepare(driver);
  // The production server script (scripts/serve.mjs): one worker per core on PostgreSQL
  // (BENCH_WORKERS to change; 1 = plain `next start`), always one on the embedded PGlite.
  const server = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], {
    cwd: root,
    env: { ...env, AUTH_SECRET: secret, AUTH_TRUST_HOST: "true", NODE_ENV: "production", PUMP_PORTAL_TICK_INTERVAL_MS: "0", PORT: String(port), HOST: "127.0.0.1", WEB_CONCURRENCY: String(workers) },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {}
      await sleep(500);
    }
    const cookie = await signIn(base);
    for (const [label, p] of [["status endpoint", `/api/patients/${info.patientId}/status`], ["patient home", "/patient"]]) {
      // Warm-up, then the measured run.
      await new Promise((r) => autocannon({ url: base + p, connections: 5, duration: 3, headers: { cookie } }, r));
      const r = await run(base + p, cookie);
      const row = { driver, workers: driver === "pglite" ? 1 : workers, label, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, non2xx: r.non2xx, timeouts: r.timeouts, statusCodes: r.statusCodeStats, total: r.requests.total };
      console.log(`[bench] ${driver} (${row.workers} worker${row.workers === 1 ? "" : "s"}) ${label}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, non-2xx/errors ${row.errors} (non-2xx ${row.non2xx}, timeouts ${row.timeouts}, codes ${JSON.stringify(row.statusCodes)})`);
      results.push(row);
    }
  } finally {
    server.kill("SIGTERM");
    await sleep(1000);
  }
}

fs.writeFileSync(path.join(root, "docs", "benchmarks-status.json"), JSON.stringify({ at: new Date().toISOString(), seconds, connections, results }, null, 2) + "\n");
console.log("\n| database | workers | page | requests/s | p50 (ms) | p99 (ms) | errors |\n|---|---|---|---|---|---|---|");
for (const r of results) console.log(`| ${r.driver} | ${r.workers} | ${r.label} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`);
