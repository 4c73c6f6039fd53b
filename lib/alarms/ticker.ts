import "server-only";
import { getDb } from "@/db";
import { runTick } from "./tick";

export const DEFAULT_TICK_INTERVAL_MS = 30_000;

/** The local server's tick interval from PUMP_PORTAL_TICK_INTERVAL_MS ("0" turns it off); null when off. */
export function tickIntervalMs(env: NodeJS.ProcessEnv = process.env): number | null {
  if (env.VERCEL) return null; // serverless: Vercel Cron calls /api/tick instead
  const raw = env.PUMP_PORTAL_TICK_INTERVAL_MS?.trim();
  if (raw === undefined || raw === "") return DEFAULT_TICK_INTERVAL_MS;
  const ms = Number(raw);
  if (ms === 0) return null;
  return ms;
}

export function tickEnvProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const ms = tickIntervalMs(env);
  if (ms !== null && (!Number.isInteger(ms) || ms < 1000)) {
    return ["PUMP_PORTAL_TICK_INTERVAL_MS must be a whole number of milliseconds, at least 1000 (or 0 to turn the local tick off)."];
  }
  return [];
}

const startedKey = Symbol.for("pump-portal.ticker");

/**
 * Runs the alarm tick on an interval inside a long-running server (`npm start`, `next start`).
 * Never overlaps itself; other instances may tick at the same time (the tick is safe for that).
 * The timer is unref'd so it never keeps a stopping process alive.
 */
export function startLocalTicker(env: NodeJS.ProcessEnv = process.env): boolean {
  const interval = tickIntervalMs(env);
  const g = globalThis as Record<symbol, unknown>;
  if (interval === null || g[startedKey]) return false;
  g[startedKey] = true;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const report = await runTick(await getDb());
      const d = report.delivery;
      if (report.raised || report.resolved || report.reminders || d.claimed || report.evaluationErrors) {
        // Counts only: no patient data in logs.
        console.log(
          `[tick] raised ${report.raised}, resolved ${report.resolved}, reminders ${report.reminders}; ` +
            `sent ${d.sent}, retrying ${d.retried}, failed ${d.failed}, cancelled ${d.cancelled}, devices removed ${d.removedSubscriptions}` +
            (report.evaluationErrors ? `; ${report.evaluationErrors} evaluation errors` : ""),
        );
      }
    } catch (e) {
      console.error("[tick] failed:", e instanceof Error ? e.message : e);
    } finally {
      running = false;
    }
  };
  setTimeout(run, Math.min(interval, 5_000)).unref();
  setInterval(run, interval).unref();
  return true;
}
