// Runs once when a server instance starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { validateServerEnv } = await import("./lib/env");
  const problems = validateServerEnv();
  if (problems.length) {
    const text = `Pump Portal cannot start:\n - ${problems.join("\n - ")}`;
    console.error(text);
    throw new Error(text);
  }
}
