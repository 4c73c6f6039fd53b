import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);

// Debian's Chromium (no browser downloads here); see ../shared/TESTING-IN-CHROMIUM.md.
export default defineConfig({
  testDir: "tests/e2e",
  // One server on one embedded database; some tests change shared demo data (links, sign-in limits).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Per-port output so that concurrent runs (NEXT_DIST_DIR + E2E_PORT) do not clobber each other.
  outputDir: `test-results/e2e-artifacts-${port}`,
  reporter: [["list"], ["json", { outputFile: port === 3100 ? "test-results/e2e-results.json" : `test-results/e2e-results-${port}.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
