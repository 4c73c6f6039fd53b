/**
 * Bolus path under ≥ 1,000 randomised fault schedules (fast-check), end to end between the
 * bolus panel's own decisions (components/bolus/flow.ts: the send lock, one attempt, what the
 * patient is told), the real PumpLinkClient, the in-memory transport and the simulated pump.
 *
 * A schedule interleaves patient actions (give — sometimes double-clicked —, "Check with the
 * handheld", "Send the same request again", "Check the pump again", an app reload) with faults
 * (link dropped mid-request, acknowledgement lost after the device acted, response read lost,
 * operations hanging into a timeout before or after the device acted, corrupted values, failed
 * reconnects, a busy device), duplicate sends of the same token, and the clinician's or the
 * clock's changes to the limits (lockout, maximum per 24 h, permission version, critical alarm).
 *
 * Invariants, per schedule:
 * 1. deliveries on the device == the distinct tokens the app ends up showing as delivered;
 * 2. no token is delivered twice (nor decided twice);
 * 3. every outcome shown is true when shown: "Delivered" only if the device delivered that token,
 *    "Not given" only if the device decided not to, "never received" only if the device holds no
 *    decision; "check with the handheld" is the only other answer, and checking again with the
 *    same token over a working link always resolves it to the truth;
 * 4. the device's limits hold (lib/bolus/rules findViolations over the device's deliveries).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSendLock, maySendSameTokenAgain, outcomeView, sendBolusAttempt, type BolusOutcome, type OutcomeView } from "@/components/bolus/flow";
import { deviceAvailability, findViolations, type PermissionRule } from "@/lib/bolus/rules";
import { hasCriticalAlarm } from "@/lib/pump-link/alarms";
import { PumpLinkClient } from "@/lib/pump-link/client";
import { mulberry32, newBolusToken } from "@/lib/pump-link/random";
import { PumpSimulator } from "@/lib/pump-link/simulator";
import { SimulatorTransport } from "@/lib/pump-link/simulator-transport";
import type { Timers } from "@/lib/pump-link/transport";
import type { PumpStatus } from "@/lib/pump-link/types";

const NUM_RUNS = Number(process.env.BOLUS_FAULT_RUNS ?? 1000);
const SEED = Number(process.env.BOLUS_FAULT_SEED ?? 0x5eed_b01);

/**
 * Time compressed to "when nothing else can happen": the simulator transport settles every
 * operation in microtasks, so a zero-delay macrotask fires only for an operation that truly hangs.
 */
const compressedTimers: Timers = {
  setTimeout: (cb) => globalThis.setTimeout(cb, 0),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

const FAULTS = [
  "dropBeforeWrite",
  "dropAfterWrite",
  "loseWriteAck",
  "loseResponseRead",
  "hangBeforeDevice",
  "hangAfterDevice",
  "corruptRead",
  "corruptWrite",
  "failConnects",
  "dropLinkNow",
  "busy",
] as const;
type FaultKind = (typeof FAULTS)[number];

type Step =
  | { t: "fault"; kind: FaultKind; n: number }
  | { t: "give"; double: boolean }
  | { t: "check"; double: boolean }
  | { t: "resend" }
  | { t: "duplicateSend" }
  | { t: "refresh" }
  | { t: "reload" }
  | { t: "advance"; s: number }
  | { t: "permission"; enabled: boolean; lockoutS: number; maxPer24h: number }
  | { t: "alarm"; on: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("fault" as const), kind: fc.constantFrom(...FAULTS), n: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant("give" as const), double: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("check" as const), double: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: "resend" as const }) },
  { weight: 2, arbitrary: fc.constant({ t: "duplicateSend" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "refresh" as const }) },
  { weight: 1, arbitrary: fc.constant({ t: "reload" as const }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("advance" as const), s: fc.constantFrom(1, 30, 300, 601, 3600, 43_200, 86_400) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("permission" as const),
      enabled: fc.boolean(),
      lockoutS: fc.constantFrom(0, 60, 600),
      maxPer24h: fc.integer({ min: 0, max: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("alarm" as const), on: fc.boolean() }) },
);

const scheduleArb = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fff_ffff }),
  lockoutS: fc.constantFrom(0, 60, 600),
  maxPer24h: fc.integer({ min: 1, max: 8 }),
  /** Reservoir just above "low + one bolus" sometimes, so reservoir_too_low appears too. */
  reservoirUl: fc.constantFrom(40_000, 2_100),
  steps: fc.array(stepArb, { minLength: 8, maxLength: 40 }),
});
type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

interface Totals {
  schedules: number;
  resendRefusedAsTooOld: number;
  steps: number;
  gives: number;
  doubleClicksIgnored: number;
  tokensMinted: number;
  deliveries: number;
  denials: number;
  neverReceived: number;
  checkHandheldShown: number;
  /** Of those: the attempt was not processed and no earlier one was unknown (the app could have said "not sent"). */
  checkHandheldConservative: number;
  unconfirmedThenResolved: number;
  resolvedDelivered: number;
  resolvedDenied: number;
  resolvedNeverReceived: number;
  duplicateSends: number;
  replayedAnswers: number;
  timeouts: number;
  transportDrops: number;
  corruptions: number;
  reloads: number;
  faults: Record<FaultKind, number>;
}

const totals: Totals = {
  schedules: 0,
  resendRefusedAsTooOld: 0,
  steps: 0,
  gives: 0,
  doubleClicksIgnored: 0,
  tokensMinted: 0,
  deliveries: 0,
  denials: 0,
  neverReceived: 0,
  checkHandheldShown: 0,
  checkHandheldConservative: 0,
  unconfirmedThenResolved: 0,
  resolvedDelivered: 0,
  resolvedDenied: 0,
  resolvedNeverReceived: 0,
  duplicateSends: 0,
  replayedAnswers: 0,
  timeouts: 0,
  transportDrops: 0,
  corruptions: 0,
  reloads: 0,
  faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<FaultKind, number>,
};

/** The device's own decision for a token, from its log (ground truth). */
function truthOf(sim: PumpSimulator, token: number): "delivered" | "denied" | "none" {
  if (sim.deliveries().some((d) => d.token === token)) return "delivered";
  if (sim.heldRecords().some((r) => r.kind === "bolus_denied" && r.token === token)) return "denied";
  return "none";
}

async function runSchedule(s: Schedule): Promise<void> {
  const sim = new PumpSimulator({
    permission: { enabled: true, dose: 50, lockoutS: s.lockoutS, maxPer24h: s.maxPer24h },
    capacityUl: 40_000,
    reservoirUl: s.reservoirUl,
    lowReservoirThresholdUl: 2_000,
    basalDosePerDay: 0,
    batterySecondsPerPercent: 0,
  });
  const rng = mulberry32(s.seed);
  const permissions: PermissionRule[] = [
    { version: 1, enabled: true, dose: 50, lockoutSeconds: s.lockoutS, maxPer24h: s.maxPer24h, effectiveFrom: new Date(0) },
  ];
  const nowDate = () => new Date(sim.deviceTime() * 1000);

  // ---- the app: a client over a transport, and the panel's state ----------------------------
  let transport!: SimulatorTransport;
  let client!: PumpLinkClient;
  const transports: SimulatorTransport[] = [];
  const connect = () => {
    transport = new SimulatorTransport(sim);
    transports.push(transport);
    client = new PumpLinkClient({
      transport,
      timers: compressedTimers,
      sleep: async () => {},
      initialRequestId: Math.floor(rng() * 0x10000),
      timeoutMs: 1000,
      onEvent: (e) => {
        if (e.type === "timeout") totals.timeouts++;
      },
    });
  };
  connect();

  let status: PumpStatus | null = null;
  let statusReadAt: Date | null = null;
  const refreshStatus = async () => {
    try {
      status = await client.readStatus();
      statusReadAt = nowDate();
    } catch {
      /* the page keeps the old status, with its age */
    }
  };
  await refreshStatus();
  expect(status).not.toBeNull();

  const lock = createSendLock();
  // The outcome area: the token in flight or last answered, and what the patient is told about it.
  let flow = null as { token: number; view: OutcomeView; requestedPermission: number; requestedAtS: number } | null;
  // Simulated seconds since the start, the phone's clock for the panel's decisions (re-send window).
  let elapsedS = 0;
  const advance = (seconds: number) => {
    elapsedS += seconds;
    sim.advanceTime(seconds);
  };
  /** Every token the app minted, and what the app last told the patient about it. */
  const shown = new Map<number, OutcomeView>();
  /** Tokens with an attempt whose outcome was unknown (the client said "unconfirmed"). */
  const everUnknown = new Set<number>();
  let busyForNextAction = false;

  const available = () => {
    if (status === null || statusReadAt === null) return false;
    const d = status;
    return deviceAvailability(
      {
        permission: d.permission,
        bolus: d.bolus,
        reservoirUl: d.reservoirUl,
        lowReservoirThresholdUl: d.lowReservoirThresholdUl,
        criticalAlarm: hasCriticalAlarm(d.alarmFlags),
      },
      statusReadAt,
      nowDate(),
    ).allowed;
  };

  /** The claim must be true at the moment it is made. */
  const checkClaim = (token: number, result: BolusOutcome) => {
    const wasUnresolved = everUnknown.has(token);
    if (result.state === "unconfirmed") everUnknown.add(token);
    expect(result.token).toBe(token);
    const view = outcomeView(result);
    const truth = truthOf(sim, token);
    switch (view) {
      case "delivered": {
        expect(truth, `token ${token} shown delivered`).toBe("delivered");
        const d = sim.deliveries().find((x) => x.token === token)!;
        if (result.state === "confirmed") {
          expect(result.recordSeq).toBe(d.seq);
          expect(result.dose).toBe(d.dose);
          if (result.replayed) totals.replayedAnswers++;
        }
        break;
      }
      case "not_given":
        expect(truth, `token ${token} shown not given`).toBe("denied");
        if (result.state === "denied" && result.replayed) totals.replayedAnswers++;
        break;
      case "never_received":
        expect(truth, `token ${token} shown never received`).toBe("none");
        totals.neverReceived++;
        break;
      case "check_handheld":
        totals.checkHandheldShown++;
        if ((result.state === "not_sent" || result.state === "rejected") && !wasUnresolved && !shown.has(token)) {
          // First attempt of the token and the device did not process it: the app could have said
          // "nothing was given". "We could not confirm delivery" is still true, just cautious.
          expect(truth).toBe("none");
          totals.checkHandheldConservative++;
        }
        break;
    }
    return view;
  };

  const finish = async (token: number, result: BolusOutcome) => {
    const before = shown.get(token);
    const view = checkClaim(token, result);
    if (before === "check_handheld" && view !== "check_handheld") totals.unconfirmedThenResolved++;
    // Once the device decided, nothing may ever tell the patient otherwise.
    if (before === "delivered") expect(view === "delivered" || view === "check_handheld").toBe(true);
    if (before === "not_given") expect(view === "not_given" || view === "check_handheld").toBe(true);
    shown.set(token, view === "check_handheld" && (before === "delivered" || before === "not_given") ? before : view);
    if (flow?.token === token) flow.view = view;
    await refreshStatus();
  };

  const withBusy = async (fn: () => Promise<void>) => {
    if (busyForNextAction) sim.setBusy(true);
    try {
      await fn();
    } finally {
      sim.setBusy(false);
      busyForNextAction = false;
    }
  };

  // "Yes, give" — the only place a token is minted (once per intention).
  const give = () =>
    lock.run(async () => {
      const token = newBolusToken();
      totals.tokensMinted++;
      const permissionVersion = status!.permission.version;
      const dose = status!.permission.dose;
      flow = { token, view: "check_handheld", requestedPermission: permissionVersion, requestedAtS: elapsedS };
      await finish(token, await sendBolusAttempt(client, { token, dose, permissionVersion }, "request"));
    });
  // "Check with the handheld" / "Send the same request again": the SAME token.
  const again = (mode: "request" | "query") =>
    lock.run(async () => {
      const f = flow!;
      const dose = status!.permission.dose;
      await finish(f.token, await sendBolusAttempt(client, { token: f.token, dose, permissionVersion: status!.permission.version }, mode));
    });

  const applyFault = (kind: FaultKind, n: number) => {
    totals.faults[kind]++;
    switch (kind) {
      case "dropBeforeWrite":
        transport.dropAfterOps(0);
        break;
      case "dropAfterWrite":
        transport.dropAfterOps(n + 1);
        break;
      case "loseWriteAck":
        transport.loseNextWriteAck();
        break;
      case "loseResponseRead":
        transport.loseNextResponseRead();
        break;
      case "hangBeforeDevice":
        transport.hangNextOp();
        break;
      case "hangAfterDevice":
        transport.hangNextWriteAfterDevice();
        break;
      case "corruptRead":
        transport.corruptNextRead(n % 2 === 0 ? "response" : undefined);
        break;
      case "corruptWrite":
        transport.corruptNextWrite();
        break;
      case "failConnects":
        transport.dropLink();
        transport.failNextConnects(n + 1);
        break;
      case "dropLinkNow":
        transport.dropLink();
        break;
      case "busy":
        busyForNextAction = true;
        break;
    }
  };

  for (const step of s.steps) {
    totals.steps++;
    switch (step.t) {
      case "fault":
        applyFault(step.kind, step.n);
        break;
      case "give": {
        // The button is disabled while the pump's status says no (or while a request is out).
        if (!available() || lock.busy) break;
        totals.gives++;
        await withBusy(async () => {
          const first = give();
          const second = step.double ? give() : null; // a double click on "Yes, give"
          expect(first).not.toBeNull();
          if (step.double) {
            expect(second).toBeNull();
            totals.doubleClicksIgnored++;
          }
          await first;
        });
        break;
      }
      case "check": {
        if (flow === null || flow.view !== "check_handheld") break; // the button is not shown
        await withBusy(async () => {
          const first = again("query");
          if (step.double) {
            expect(again("query")).toBeNull();
            totals.doubleClicksIgnored++;
          }
          await first;
        });
        break;
      }
      case "resend": {
        if (flow === null || flow.view !== "never_received" || !available()) break;
        // The page offers "Send the same request again" only within the re-send window (protocol §9).
        if (!maySendSameTokenAgain(new Date(flow.requestedAtS * 1000), new Date(elapsedS * 1000))) {
          totals.resendRefusedAsTooOld++;
          break;
        }
        await withBusy(async () => {
          await again("request");
        });
        break;
      }
      case "duplicateSend": {
        // The same REQUEST_BOLUS written again with the same token (a repeated write, a second tab).
        if (flow === null) break;
        totals.duplicateSends++;
        const f = flow;
        await withBusy(async () => {
          const r = await client.requestBolus({ token: f.token, dose: 50, permissionVersion: f.requestedPermission });
          await finish(f.token, r);
        });
        break;
      }
      case "refresh":
        await withBusy(refreshStatus);
        break;
      case "reload":
        // The app reloads: a new client (new request ids, no memory of unresolved tokens) and link.
        totals.reloads++;
        connect();
        await refreshStatus();
        break;
      case "advance":
        advance(step.s);
        break;
      case "permission": {
        advance(1);
        const version = sim.setPermission({ enabled: step.enabled, lockoutS: step.lockoutS, maxPer24h: step.maxPer24h });
        permissions.push({
          version,
          enabled: step.enabled,
          dose: 50,
          lockoutSeconds: step.lockoutS,
          maxPer24h: step.maxPer24h,
          effectiveFrom: nowDate(),
        });
        advance(1);
        break;
      }
      case "alarm":
        if (step.on) sim.injectAlarm("motorStall");
        else sim.clearAlarm("motorStall");
        break;
    }
  }

  // ---- the link is back: every token still "check with the handheld" resolves to the truth -----
  connect();
  sim.setBusy(false);
  for (const [token, view] of shown) {
    if (view !== "check_handheld") continue;
    flow = { token, view, requestedPermission: 0, requestedAtS: elapsedS };
    await again("query");
    const resolved = shown.get(token)!;
    expect(resolved, `token ${token} still unresolved over a working link`).not.toBe("check_handheld");
    if (resolved === "delivered") totals.resolvedDelivered++;
    else if (resolved === "not_given") totals.resolvedDenied++;
    else totals.resolvedNeverReceived++;
  }

  // ---- invariants ----------------------------------------------------------------------------
  const delivered = sim.deliveries().map((d) => d.token);
  // (2) no token delivers twice, and no token is decided twice.
  expect(new Set(delivered).size, "a token was delivered twice").toBe(delivered.length);
  const decisions = sim.heldRecords().filter((r) => r.kind === "bolus_delivered" || r.kind === "bolus_denied");
  expect(new Set(decisions.map((r) => (r as { token: number }).token)).size, "a token was decided twice").toBe(decisions.length);
  // (1) deliveries == distinct tokens the app shows as delivered; the device delivered nothing unasked.
  const shownDelivered = [...shown].filter(([, v]) => v === "delivered").map(([t]) => t);
  expect([...delivered].sort((a, b) => a - b)).toEqual([...new Set(shownDelivered)].sort((a, b) => a - b));
  for (const t of delivered) expect(shown.has(t), `token ${t} delivered but never minted by the app`).toBe(true);
  // (3) the final view of every token is the truth.
  for (const [token, view] of shown) {
    const truth = truthOf(sim, token);
    expect(view).toBe(truth === "delivered" ? "delivered" : truth === "denied" ? "not_given" : "never_received");
  }
  // (4) the device's limits held.
  const violations = findViolations(
    sim.deliveries().map((d) => ({ key: String(d.token), at: new Date(d.deviceTime * 1000), dose: d.dose })),
    permissions,
  );
  expect(violations).toEqual([]);

  totals.schedules++;
  totals.deliveries += delivered.length;
  totals.denials += sim.heldRecords().filter((r) => r.kind === "bolus_denied").length;
  for (const tr of transports) {
    totals.transportDrops += tr.stats.drops;
    totals.corruptions += tr.stats.corruptions;
  }
}

describe("bolus path under randomised fault schedules", () => {
  it(`${NUM_RUNS} fast-check schedules: deliveries == distinct confirmed tokens, no double delivery, every outcome shown is true`, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(scheduleArb, async (s) => {
        await runSchedule(s);
      }),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
    );
    const ms = Date.now() - started;
    const faultsInjected = Object.values(totals.faults).reduce((a, b) => a + b, 0);
    console.log(
      `[bolus-faults] ${totals.schedules} schedules (seed ${SEED}), ${totals.steps} steps in ${ms} ms\n` +
        `  gives ${totals.gives}, tokens minted ${totals.tokensMinted}, double clicks ignored ${totals.doubleClicksIgnored}, duplicate sends ${totals.duplicateSends}, reloads ${totals.reloads}\n` +
        `  device deliveries ${totals.deliveries}, device denials ${totals.denials}, replayed answers ${totals.replayedAnswers}\n` +
        `  "check with the handheld" shown ${totals.checkHandheldShown} (of which cautious: ${totals.checkHandheldConservative}), then resolved by the same token ${totals.unconfirmedThenResolved}` +
        ` (at the end over a working link: delivered ${totals.resolvedDelivered}, not given ${totals.resolvedDenied}, never received ${totals.resolvedNeverReceived}); "never received" shown ${totals.neverReceived}, re-send withheld as older than 10 min ${totals.resendRefusedAsTooOld}\n` +
        `  faults injected ${faultsInjected}: ${JSON.stringify(totals.faults)}; client timeouts ${totals.timeouts}, link drops ${totals.transportDrops}, corrupted values ${totals.corruptions}\n` +
        `  double deliveries 0, false outcomes 0, limit violations 0`,
    );
    // The schedules must hurt and still let work through; otherwise this test proves nothing.
    expect(totals.schedules).toBe(NUM_RUNS);
    if (NUM_RUNS >= 1000) {
      expect(totals.deliveries).toBeGreaterThan(NUM_RUNS);
      expect(totals.denials).toBeGreaterThan(NUM_RUNS / 10);
      expect(totals.checkHandheldShown).toBeGreaterThan(NUM_RUNS / 5);
      expect(totals.unconfirmedThenResolved).toBeGreaterThan(NUM_RUNS / 5);
      expect(totals.resolvedDelivered).toBeGreaterThan(10);
      expect(totals.timeouts).toBeGreaterThan(50);
      expect(totals.replayedAnswers).toBeGreaterThan(50);
      expect(totals.neverReceived).toBeGreaterThan(10);
    }
  }, 120_000);
});
