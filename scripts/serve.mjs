#!/usr/bin/env node
// `npm run serve`: the production server for a self-hosted deployment on PostgreSQL.
//
// One Node process runs JavaScript on one core. With WEB_CONCURRENCY=N (default: the number of
// cores) this starts N `next start` workers sharing one listening socket (node:cluster), so a
// multi-core host uses every core. Each worker has its own connection pool (DATABASE_POOL_MAX,
// default 10): size PostgreSQL's max_connections for N × that. A worker that dies is replaced.
//
// The embedded PGlite database can be opened by one process only, so without DATABASE_URL or
// POSTGRES_URL this always runs a single worker.
//
// Usage: PORT=3000 HOST=0.0.0.0 WEB_CONCURRENCY=2 DATABASE_URL=postgres://… npm run serve
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const embedded = !process.env.DATABASE_URL && !process.env.POSTGRES_URL;
const requested = Number(process.env.WEB_CONCURRENCY ?? os.availableParallelism());
const workers = embedded ? 1 : Math.max(1, Math.min(64, Math.trunc(requested) || 1));
const port = String(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

if (cluster.isPrimary && workers > 1) {
  console.log(`[serve] ${workers} workers on http://${host}:${port}`);
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    console.error(`[serve] worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    setTimeout(fork, 1000);
  });
  const stop = (sig) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
    setTimeout(() => process.exit(0), 10_000).unref();
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} else {
  if (embedded && requested > 1 && cluster.isPrimary) console.log("[serve] embedded database: one worker (set DATABASE_URL for more)");
  // Run Next's own CLI in this process: `next start` listens on the shared socket in a worker.
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve("next/package.json")), "dist", "bin", "next");
  process.argv = [process.argv[0], cli, "start", "-p", port, "-H", host];
  await import(cli);
}
