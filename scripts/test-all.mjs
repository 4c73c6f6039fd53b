#!/usr/bin/env node
// `npm test`: every check CI runs, in order — lint, types, unit + integration (Vitest; DB tests
// on PGlite and, when DATABASE_URL is set, on that PostgreSQL), production build, end-to-end
// (Playwright in Debian's Chromium), and with DATABASE_URL set the database-outage soak (15 s;
// SKIP_SOAK=1 to leave it out). Ends with one line "N passed, N failed" over all suites.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const resultsDir = path.join(root, "test-results");
fs.mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${[path.basename(cmd), ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) problems.push(`${label} exited with ${r.status ?? r.signal}`);
  return r.status === 0;
}

// Static checks count as one test each: they gate CI like any test.
for (const [label, cmd, args] of [
  ["lint", bin("eslint"), ["."]],
  ["typecheck", bin("tsc"), ["--noEmit"]],
]) {
  if (run(label, cmd, args)) passed++;
  else failed++;
}

const vitestJson = path.join(resultsDir, "vitest-results.json");
fs.rmSync(vitestJson, { force: true });
run("unit + integration", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
if (fs.existsSync(vitestJson)) {
  const v = JSON.parse(fs.readFileSync(vitestJson, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  if (v.numFailedTestSuites && !v.numFailedTests) failed += v.numFailedTestSuites;
} else {
  failed++;
  problems.push("vitest wrote no results");
}

const skipE2e = process.env.SKIP_E2E === "1";
if (!skipE2e) {
  if (run("build", "npm", ["run", "build"])) {
    const e2eJson = path.join(resultsDir, "e2e-results.json");
    fs.rmSync(e2eJson, { force: true });
    run("end-to-end", bin("playwright"), ["test"]);
    if (fs.existsSync(e2eJson)) {
      const s = JSON.parse(fs.readFileSync(e2eJson, "utf8")).stats;
      passed += s.expected;
      failed += s.unexpected + s.flaky;
      skipped += s.skipped;
      if (s.expected + s.unexpected + s.flaky === 0) {
        failed++;
        problems.push("Playwright ran no test");
      }
    } else {
      failed++;
      problems.push("Playwright wrote no results");
    }
    // Database outage under load (short form of `npm run soak`): it stops and starts the PostgreSQL
    // of DATABASE_URL, so it runs last, when nothing else uses that server. One test.
    if (process.env.DATABASE_URL && process.env.SKIP_SOAK !== "1") {
      if (run("database outage soak", process.execPath, ["scripts/soak.mjs"], { SOAK_SECONDS: process.env.SOAK_SECONDS ?? "15" })) passed++;
      else failed++;
    }
  } else {
    failed++;
  }
}

console.log("");
for (const p of problems) console.log(`problem: ${p}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 && problems.length === 0 ? 0 : 1);
