// Runs once when a server instance starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateServerEnv } = await import("./lib/env");
  const { vapidEnvProblems } = await import("./lib/push/vapid");
  const { startLocalTicker, tickEnvProblems } = await import("./lib/alarms/ticker");
  const problems = [...validateServerEnv(), ...vapidEnvProblems(), ...tickEnvProblems()];
  if (problems.length) {
    const text = `Pump Portal cannot start:\n - ${problems.join("\n - ")}`;
    console.error(text);
    throw new Error(text);
  }
  // Time-based alarm work (stale sync, reminders, retries) in a long-running server; on Vercel
  // the cron in vercel.json calls /api/tick instead. PUMP_PORTAL_TICK_INTERVAL_MS=0 turns it off.
  startLocalTicker();
}
