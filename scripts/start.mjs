#!/usr/bin/env node
// `npm start`: the zero-setup local server. Builds when needed, keeps development secrets
// under .data/ (generated once), and serves the production build on http://localhost:3000.
// With no DATABASE_URL/POSTGRES_URL it uses the embedded PGlite database, which migrates and
// seeds demo data on first start.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dataDir = process.env.PUMP_PORTAL_DATA_DIR ?? path.join(root, ".data");
fs.mkdirSync(dataDir, { recursive: true });

function persistentSecret(name, make) {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, make(), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

const env = { ...process.env };
if (!env.AUTH_SECRET) {
  env.AUTH_SECRET = persistentSecret("auth-secret", () => randomBytes(33).toString("base64"));
  console.log(`[start] using the development AUTH_SECRET kept in ${path.join(dataDir, "auth-secret")}`);
}
env.AUTH_TRUST_HOST ??= "true";
if (env.DATABASE_URL) env.AUTO_MIGRATE ??= "1";

const buildId = path.join(root, ".next", "BUILD_ID");
const needsBuild = !fs.existsSync(buildId) || process.argv.includes("--rebuild");
if (needsBuild) {
  console.log("[start] building the app (first run only; takes about a minute)…");
  const r = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const port = env.PORT ?? "3000";
console.log(`[start] Pump Portal on http://localhost:${port} (database: ${env.POSTGRES_URL ? "@vercel/postgres" : env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite in .data/"})`);
const child = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", port], { cwd: root, stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
