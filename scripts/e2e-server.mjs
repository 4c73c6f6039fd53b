#!/usr/bin/env node
// Serves the production build for Playwright on a fresh embedded database (demo data seeded
// on start), so every end-to-end run starts from the same state.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = process.env.E2E_PORT ?? "3100";
const dataDir = path.join(root, ".data", `e2e-${port}`);
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });

const env = { ...process.env, PUMP_PORTAL_DATA_DIR: dataDir, AUTH_SECRET: "e2e-only-secret-0123456789abcdef0123456789", AUTH_TRUST_HOST: "true", NODE_ENV: "production" };
delete env.DATABASE_URL;
delete env.POSTGRES_URL;
const child = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", port, "-H", "127.0.0.1"], { cwd: root, stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
