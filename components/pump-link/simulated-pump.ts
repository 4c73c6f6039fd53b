/**
 * The in-browser "simulated pump" for demos without hardware: a PumpSimulator (the same device
 * logic the tests and the dev board run) set up from the patient's server state, whose state
 * survives reloads and navigation.
 *
 * Persistence without touching the simulator's internals: the simulator is deterministic, so we
 * store how it was set up plus a journal of the Control Point writes that changed it (bolus
 * requests, clock settings) with the simulated instant of each, and rebuild it by replaying them.
 * Selections and reads change nothing lasting, so they are not journaled.
 *
 * Time: simulated time follows real time, plus whatever the demo skipped ahead ("advance
 * simulated time"). Skipping ahead moves the pump's own clock too, exactly like time passing, so
 * lockouts end and new history accrues; the pump's clock then runs ahead of the phone's by that
 * much (the server never dates a status reading later than its own clock).
 */
import { PumpSimulator, type SimClock, type SimulatorConfig } from "@/lib/pump-link/simulator";
import { fromHex, toHex } from "@/lib/pump-link/bytes";
import { OPCODES, type DoseUnit, type TherapyState } from "@/lib/pump-link/types";
import { SIMULATED_PUMP_VERSION, SimulatedPumpSetupError } from "./simulated-pump-storage";

// The light parts (storage, the setup error) live apart so that pages can check for a demo pump
// without loading the simulator; re-exported here for existing callers.
export {
  clearSimulatedPumpState,
  loadSimulatedPumpState,
  saveSimulatedPumpState,
  SIMULATED_PUMP_VERSION,
  SimulatedPumpSetupError,
  simulatedPumpStorageKey,
} from "./simulated-pump-storage";


/** Everything needed to rebuild the same simulated pump. Plain JSON. */
export interface SimulatedPumpSetup {
  logId: number;
  /** Records the server already holds for this log: the simulated log continues after them. */
  lastSeq: number;
  /** New history (in addition to hourly reservoir readings) created for the first sync. */
  newRecords: number;
  /** Simulated seconds of history before the moment the demo started. */
  historyS: number;
  config: {
    doseUnit: DoseUnit;
    concentration: number;
    basalDosePerDay: number;
    capacityUl: number;
    reservoirUl: number;
    lowReservoirThresholdUl: number;
    therapyState: TherapyState;
    batteryPercent: number;
    permission: { enabled: boolean; dose: number; lockoutS: number; durationS: number; maxPer24h: number; version: number };
  };
}

export interface SimulatedPumpState {
  v: typeof SIMULATED_PUMP_VERSION;
  setup: SimulatedPumpSetup;
  /** Wall-clock ms at which simulated (monotonic) time was 0. */
  epochMs: number;
  /** Seconds the demo skipped ahead in total. */
  advancedS: number;
  /** Highest simulated instant seen: simulated time never goes back, even if the phone's clock does. */
  floorS: number;
  /** Control Point writes that changed the pump, at their simulated instants. */
  journal: { at: number; hex: string }[];
  /** Whether the demo pump is the connected one (restored after a reload). */
  active: boolean;
}

/** One reservoir reading an hour: a demo pump accrues visible history while the page is open. */
const READING_INTERVAL_S = 3600;
/** Longest log that is continued record for record; beyond it the demo starts a fresh log. */
const MAX_CONTINUED_SEQ = 50_000;
/** Opcodes whose effect outlives the exchange (protocol §5.2): requests and clock settings. */
const JOURNALED_OPCODES: ReadonlySet<number> = new Set([OPCODES.request_bolus, OPCODES.set_time]);

/** Simulated time: real time since `epochMs`, plus skipped time; or a fixed instant while replaying. */
class DemoClock implements SimClock {
  fixed: number | null = 0;
  constructor(
    private readonly state: Pick<SimulatedPumpState, "epochMs" | "advancedS" | "floorS">,
    private readonly wallMs: () => number,
  ) {}
  now(): number {
    if (this.fixed !== null) return this.fixed;
    const live = (this.wallMs() - this.state.epochMs) / 1000 + this.state.advancedS;
    this.state.floorS = Math.max(this.state.floorS, Math.floor(live));
    return this.state.floorS;
  }
}

/** A simulator that reports every state-changing Control Point write, so it can be replayed. */
class JournalingSimulator extends PumpSimulator {
  replaying = true;
  constructor(
    config: SimulatorConfig,
    private readonly onJournal: (bytes: Uint8Array) => void,
  ) {
    super(config);
  }
  override writeControlPoint(bytes: Uint8Array): number {
    const att = super.writeControlPoint(bytes);
    if (!this.replaying && att === 0 && JOURNALED_OPCODES.has(bytes[0] ?? 0)) this.onJournal(bytes.slice());
    return att;
  }
}

export class SimulatedPump {
  readonly simulator: PumpSimulator;
  private readonly clock: DemoClock;

  private constructor(
    readonly state: SimulatedPumpState,
    wallMs: () => number,
    private readonly onChange: (state: SimulatedPumpState) => void,
  ) {
    this.clock = new DemoClock(state, wallMs);
    const { setup } = state;
    const sim = new JournalingSimulator(
      {
        clock: this.clock,
        // Device time at simulated instant 0: the history window ends at the moment the demo started.
        deviceTime: Math.round(state.epochMs / 1000),
        logId: setup.logId,
        ...setup.config,
        reservoirReadingIntervalS: READING_INTERVAL_S,
      },
      (bytes) => {
        this.state.journal.push({ at: this.clock.now(), hex: toHex(bytes) });
        this.onChange(this.state);
      },
    );
    // Records the server already has: never synced again, they only move the sequence numbers on.
    if (setup.lastSeq > 0) sim.seedHistory(setup.lastSeq, 60);
    // A little new history for the first sync, in small groups spread over the hours before the
    // demo (the simulator also logs an hourly reservoir reading while its clock moves on).
    const groups = Math.ceil(setup.newRecords / 3);
    for (let g = 0; g < groups; g++) {
      this.clock.fixed = Math.max(0, Math.floor(((g + 1) * setup.historyS) / groups) - 600);
      sim.seedHistory(Math.min(3, setup.newRecords - 3 * g), 60);
    }
    this.clock.fixed = setup.historyS;
    for (const entry of state.journal) {
      this.clock.fixed = Math.max(this.clock.fixed, entry.at);
      sim.writeControlPoint(fromHex(entry.hex));
    }
    this.clock.fixed = null;
    sim.replaying = false;
    this.simulator = sim;
  }

  /** A new demo pump; `nowMs` is when the demo starts. */
  static create(setup: SimulatedPumpSetup, options: { nowMs?: number; wallMs?: () => number; onChange?: (s: SimulatedPumpState) => void } = {}): SimulatedPump {
    const wallMs = options.wallMs ?? (() => Date.now());
    const nowMs = options.nowMs ?? wallMs();
    const state: SimulatedPumpState = {
      v: SIMULATED_PUMP_VERSION,
      setup,
      // Simulated instant `historyS` is "now", so the seeded history lies in the past.
      epochMs: nowMs - setup.historyS * 1000,
      advancedS: 0,
      floorS: setup.historyS,
      journal: [],
      active: true,
    };
    const pump = new SimulatedPump(state, wallMs, options.onChange ?? (() => {}));
    pump.onChange(pump.state);
    return pump;
  }

  /** Rebuilds a pump from saved state (null when the state is from another version or malformed). */
  static restore(saved: unknown, options: { wallMs?: () => number; onChange?: (s: SimulatedPumpState) => void } = {}): SimulatedPump | null {
    if (!isState(saved)) return null;
    try {
      return new SimulatedPump(structuredClone(saved), options.wallMs ?? (() => Date.now()), options.onChange ?? (() => {}));
    } catch {
      return null;
    }
  }

  /** Skips simulated time ahead (lockouts run down, basal drains, new history accrues). */
  advance(seconds: number): void {
    if (!(Number.isInteger(seconds) && seconds > 0)) throw new RangeError("advance by a positive whole number of seconds");
    this.clock.now(); // settle the floor at the current real time first
    this.state.advancedS += seconds;
    this.state.floorS += seconds;
    this.onChange(this.state);
  }

  setActive(active: boolean): void {
    this.state.active = active;
    this.onChange(this.state);
  }

  /** Seconds the demo has skipped ahead of real time. */
  get advancedS(): number {
    return this.state.advancedS;
  }
}

function isState(value: unknown): value is SimulatedPumpState {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Partial<SimulatedPumpState>;
  return (
    s.v === SIMULATED_PUMP_VERSION &&
    typeof s.epochMs === "number" &&
    typeof s.advancedS === "number" &&
    typeof s.floorS === "number" &&
    Array.isArray(s.journal) &&
    typeof s.setup === "object" &&
    s.setup !== null &&
    typeof s.setup.config === "object"
  );
}

// ---------------------------------------------------------------------------------------------
// Setting a demo pump up from what the server knows

/** The subset of GET /api/patients/:id/status the demo pump is built from. */
export interface ServerPumpState {
  pump: { reservoirCapacityUl: number };
  therapy: { doseUnit: string; concentration: number; dailyDose: number; lowReservoirThresholdUl: number } | null;
  bolusPermission: { version: number; enabled: boolean; dose: number; durationSeconds: number; lockoutSeconds: number; maxPer24h: number } | null;
  reading: { reservoirUl: number; batteryPercent: number | null; therapyState: string } | null;
  projection: { estimatedCurrentUl: number | null };
}


const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(n)));

/**
 * A demo pump that matches the patient's therapy and permission, holds what the server last
 * estimated is in the reservoir, and whose log continues after what the server already holds.
 */
export function setupFromServer(
  server: ServerPumpState,
  sync: { logId: number | null; lastSeq: number },
  random: () => number = Math.random,
): SimulatedPumpSetup {
  const therapy = server.therapy;
  if (!therapy) throw new SimulatedPumpSetupError("Your clinic has not set up your pump's therapy yet, so there is nothing to simulate.");
  const capacityUl = server.pump.reservoirCapacityUl;
  const reservoirUl = clamp(server.projection.estimatedCurrentUl ?? server.reading?.reservoirUl ?? capacityUl / 2, 0, capacityUl);
  const p = server.bolusPermission;
  const continueLog = sync.logId !== null && sync.lastSeq <= MAX_CONTINUED_SEQ;
  return {
    // A very long log is not replayed record by record: the demo pump then looks like a pump whose
    // log was reset (a new log id), which the server keeps apart from the old one.
    logId: continueLog ? sync.logId! : 1 + Math.floor(random() * 0xffff_fffe),
    lastSeq: continueLog ? sync.lastSeq : 0,
    newRecords: 9,
    historyS: 3 * 3600,
    config: {
      doseUnit: therapy.doseUnit === "mU" ? "milliunit" : "microgram",
      concentration: Math.max(1, therapy.concentration),
      basalDosePerDay: therapy.dailyDose,
      capacityUl,
      reservoirUl,
      lowReservoirThresholdUl: clamp(therapy.lowReservoirThresholdUl, 0, capacityUl),
      therapyState: (["running", "paused", "stopped"] as const).find((s) => s === server.reading?.therapyState) ?? "running",
      batteryPercent: clamp(server.reading?.batteryPercent ?? 80, 0, 100),
      permission: p
        ? { enabled: p.enabled, dose: p.dose, lockoutS: p.lockoutSeconds, durationS: p.durationSeconds, maxPer24h: clamp(p.maxPer24h, 0, 255), version: p.version & 0xffff }
        : { enabled: false, dose: 0, lockoutS: 0, durationS: 0, maxPer24h: 0, version: 0 },
    },
  };
}
