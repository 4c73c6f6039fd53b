/**
 * npm run devboard — turns a Linux board with a Bluetooth adapter (e.g. a Raspberry Pi) into a pump
 * the app can sync and bolus with: it advertises the pump link GATT service (protocol §2) through
 * @stoprocent/bleno and answers from the same PumpSimulator the tests use.
 * How to run it on a board: docs/devboard.md.
 *
 * For development and demos only: the board pairs without authentication (bleno supports LE
 * legacy Just Works only), so it never meets the protocol's security requirements (§10).
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { applyDevboardCommand, describeStatus, parseDevboardCommand } from "@/lib/pump-link/devboard/console";
import { startDevboard, type BlenoLike } from "@/lib/pump-link/devboard/gatt";
import { PumpSimulator, type SimClock } from "@/lib/pump-link/simulator";

const USAGE = `Usage: npm run devboard -- [options]

  --name <name>           advertised name (default PumpPortal-<log id>)
  --log-id <hex>          event log identity (default: random, as after a memory reset)
  --history <n>           history records logged at start (default 600)
  --capacity <mL>         reservoir capacity (default 40; must match the pump registered for the patient)
  --reservoir <mL>        drug in the reservoir (default 30)
  --concentration <µg/mL> default 2000 (baclofen)
  --daily-dose <µg>       default 400
  --bolus-dose <µg>       default 50 (0 disables boluses)
  --lockout <minutes>     default 180
  --max-per-day <n>       default 4
  --permission-version <n> default 1 (use the clinic's current version so bolus requests are accepted)
  --hci <n>               HCI adapter number (default 0, i.e. hci0)
  --insecure              do not require an encrypted link (for BLE debugging apps)
  --help
`;

function fail(message: string): never {
  console.error(`devboard: ${message}`);
  process.exit(1);
}

function num(value: string | undefined, fallback: number, what: string, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) fail(`${what} must be a number between ${min} and ${max}`);
  return n;
}

async function loadBleno(hci: number | undefined): Promise<BlenoLike> {
  // A variable specifier keeps TypeScript and bundlers from requiring the optional dependency.
  const specifier = "@stoprocent/bleno";
  let mod: { default?: unknown; withBindings?: (type: string, options: object) => unknown };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    fail(
      `the Bluetooth peripheral library ${specifier} is not available here (${err instanceof Error ? err.message : String(err)}).\n` +
        "It is an optional dependency that only installs where it can build: Linux with BlueZ headers and build tools.\n" +
        "On the board: sudo apt-get install -y bluetooth bluez libbluetooth-dev libudev-dev build-essential && npm install\n" +
        "See docs/devboard.md.",
    );
  }
  const bleno = hci !== undefined && typeof mod.withBindings === "function" ? mod.withBindings("hci", { deviceId: hci }) : (mod.default ?? mod);
  return bleno as BlenoLike;
}

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      "log-id": { type: "string" },
      history: { type: "string" },
      capacity: { type: "string" },
      reservoir: { type: "string" },
      concentration: { type: "string" },
      "daily-dose": { type: "string" },
      "bolus-dose": { type: "string" },
      lockout: { type: "string" },
      "max-per-day": { type: "string" },
      "permission-version": { type: "string" },
      hci: { type: "string" },
      insecure: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const logId = values["log-id"] !== undefined ? Number.parseInt(values["log-id"], 16) : 1 + Math.floor(Math.random() * 0xffff_fffe);
  if (!Number.isInteger(logId) || logId < 0 || logId > 0xffff_ffff) fail("--log-id must be hexadecimal, at most 8 digits");
  const capacityUl = Math.round(num(values.capacity, 40, "--capacity", { min: 1, max: 1000 }) * 1000);
  const bolusDose = num(values["bolus-dose"], 50, "--bolus-dose", { max: 1_000_000 });

  // Monotonic seconds plus whatever the console skipped: limits run on this clock (protocol §1.2).
  let skippedS = 0;
  const clock: SimClock = { now: () => performance.now() / 1000 + skippedS };
  const sim = new PumpSimulator({
    clock,
    deviceTime: Math.floor(Date.now() / 1000),
    logId,
    capacityUl,
    reservoirUl: Math.min(capacityUl, Math.round(num(values.reservoir, 30, "--reservoir", { max: 1000 }) * 1000)),
    concentration: num(values.concentration, 2000, "--concentration", { min: 1 }),
    basalDosePerDay: num(values["daily-dose"], 400, "--daily-dose"),
    lowReservoirThresholdUl: 2000,
    permission: {
      enabled: bolusDose > 0,
      dose: bolusDose,
      lockoutS: Math.round(num(values.lockout, 180, "--lockout", { max: 7 * 24 * 60 }) * 60),
      maxPer24h: num(values["max-per-day"], 4, "--max-per-day", { max: 255 }),
      durationS: 0,
      version: num(values["permission-version"], 1, "--permission-version", { min: 0, max: 0xffff }),
    },
  });
  sim.seedHistory(num(values.history, 600, "--history", { max: 100_000 }));

  const name = values.name ?? `PumpPortal-${(logId & 0xffff).toString(16).toUpperCase().padStart(4, "0")}`;
  const hci = values.hci === undefined ? undefined : num(values.hci, 0, "--hci", { max: 32 });
  const bleno = await loadBleno(hci);
  const board = startDevboard(bleno, sim, {
    name,
    secure: !values.insecure,
    deviceInformation: { softwareRevision: process.env.npm_package_version ?? "dev" },
    log: (m) => console.log(`[devboard] ${m}`),
  });
  console.log(`[devboard] simulated pump, log ${logId.toString(16)}:\n${describeStatus(sim)}\nType "help" for console commands.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("[devboard] stopping");
    await Promise.race([board.stop(), new Promise((r) => setTimeout(r, 2000))]);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "pump> " });
  rl.prompt();
  rl.on("line", (line) => {
    const command = parseDevboardCommand(line);
    if (typeof command === "string") console.log(command);
    else {
      console.log(applyDevboardCommand(sim, command, (s) => (skippedS += s)));
      if (command.kind === "quit") return void stop();
    }
    rl.prompt();
  });
  rl.on("close", () => {
    // No terminal (e.g. run as a service): keep serving until a signal arrives.
  });
}

void main().catch((err: unknown) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
