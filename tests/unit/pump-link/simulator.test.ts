import { describe, expect, it } from "vitest";
import { crc16 } from "@/lib/pump-link/crc";
import { decodeResponse, decodeStatus, encodeControlPoint } from "@/lib/pump-link/codec";
import { ATT_E2E_CRC_MISMATCH, ATT_INVALID_ATTRIBUTE_VALUE_LENGTH, ManualClock, PumpSimulator } from "@/lib/pump-link/simulator";
import { ALARM_BITS, MAX_READ_BYTES } from "@/lib/pump-link/types";
import { bolus, readAll, send, status } from "@/tests/unit/pump-link/sim-helpers";

const HOUR = 3600;
const DAY = 86_400;

function pump(config: ConstructorParameters<typeof PumpSimulator>[0] = {}) {
  return new PumpSimulator({ reservoirReadingIntervalS: 0, batterySecondsPerPercent: 0, ...config });
}

describe("bolus enforcement", () => {
  it("delivers a permitted bolus and reports it in status and records", () => {
    const sim = pump();
    const r = bolus(sim, 1);
    expect(r.result).toBe("success");
    expect(r.body).toMatchObject({ kind: "bolus", token: 1, dose: 50, volumeUl: 25, replayed: false });
    const s = status(sim);
    expect(s.reservoirUl).toBe(18_000 - 25);
    expect(s.bolus).toEqual({ lockoutRemainingS: 3 * HOUR, usedLast24h: 1, dailyMaxResetS: 0 });
    const recs = sim.heldRecords();
    expect(recs.at(-1)).toMatchObject({ kind: "bolus_delivered", token: 1, dose: 50, volumeUl: 25, permissionVersion: 1 });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("refuses during the lockout and allows exactly when it ends", () => {
    const sim = pump({ permission: { enabled: true, dose: 50, lockoutS: 2 * HOUR, maxPer24h: 10 } });
    expect(bolus(sim, 1).result).toBe("success");
    sim.advanceTime(2 * HOUR - 1);
    const denied = bolus(sim, 2);
    expect(denied.result).toBe("lockout_active");
    expect(denied.body).toMatchObject({ kind: "bolus", dose: 0, volumeUl: 0 });
    expect(status(sim).bolus.lockoutRemainingS).toBe(1);
    sim.advanceTime(1);
    expect(bolus(sim, 3).result).toBe("success");
    expect(sim.deliveries().map((d) => d.token)).toEqual([1, 3]);
    expect(sim.heldRecords().find((r) => r.kind === "bolus_denied")).toMatchObject({ token: 2, reason: "lockout_active", requestedDose: 50 });
  });

  it("counts the rolling 24 h maximum from delivery times, across the window edge", () => {
    const sim = pump({ permission: { enabled: true, dose: 50, lockoutS: 60, maxPer24h: 2 } });
    expect(bolus(sim, 1).result).toBe("success"); // t = 0
    sim.advanceTime(100);
    expect(bolus(sim, 2).result).toBe("success"); // t = 100
    sim.advanceTime(100);
    expect(bolus(sim, 3).result).toBe("daily_max_reached"); // t = 200
    expect(status(sim).bolus).toMatchObject({ usedLast24h: 2, dailyMaxResetS: DAY - 200 });
    sim.advanceTime(DAY - 201);
    expect(bolus(sim, 4).result).toBe("daily_max_reached"); // t = DAY − 1: the first still counts
    sim.advanceTime(1);
    expect(status(sim).bolus.usedLast24h).toBe(1); // t = DAY: the first left the window
    expect(bolus(sim, 5).result).toBe("success");
    sim.advanceTime(99);
    expect(bolus(sim, 6).result).toBe("daily_max_reached"); // t = DAY + 99: the one at 100 still counts
    sim.advanceTime(1);
    expect(bolus(sim, 7).result).toBe("success"); // t = DAY + 100
    expect(sim.deliveries().map((d) => d.token)).toEqual([1, 2, 5, 7]);
  });

  it("setting the clock forward does not shorten the lockout or the 24 h window", () => {
    const sim = pump({ permission: { enabled: true, dose: 50, lockoutS: HOUR, maxPer24h: 1 } });
    expect(bolus(sim, 1).result).toBe("success");
    const r = send(sim, { op: "set_time", time: sim.deviceTime() + 2 * DAY });
    expect(r.result).toBe("success");
    expect(bolus(sim, 2).result).toBe("lockout_active");
    sim.advanceTime(HOUR);
    expect(bolus(sim, 3).result).toBe("daily_max_reached");
  });

  it("keeps the reservoir above the low threshold plus one bolus (strictly)", () => {
    // 25 µL per bolus, threshold 2000 µL: allowed only while reservoir > 2025 µL.
    const atFloor = pump({ reservoirUl: 2_025, therapyState: "running", basalDosePerDay: 0 });
    expect(bolus(atFloor, 1).result).toBe("reservoir_too_low");
    const above = pump({ reservoirUl: 2_026, basalDosePerDay: 0 });
    expect(bolus(above, 1).result).toBe("success");
    expect(status(above).reservoirUl).toBe(2_001);
    expect(status(above).alarmFlags & (1 << ALARM_BITS.lowReservoir)).toBe(0);
    expect(atFloor.deliveries()).toHaveLength(0);
  });

  it("refuses while a critical alarm is active, and again allows once it clears", () => {
    const sim = pump();
    sim.injectAlarm("motorStall");
    expect(bolus(sim, 1).result).toBe("critical_alarm_active");
    sim.clearAlarm("motorStall");
    expect(bolus(sim, 2).result).toBe("success");
    const kinds = sim.heldRecords().map((r) => r.kind);
    expect(kinds).toEqual(["alarm_raised", "bolus_denied", "alarm_cleared", "bolus_delivered"]);
  });

  it("treats an alarm bit unknown to v1 as critical", () => {
    const sim = pump();
    sim.injectAlarm(12);
    expect(bolus(sim, 1).result).toBe("critical_alarm_active");
  });

  it("refuses when disabled, stale, wrong dose, or therapy not running", () => {
    const sim = pump();
    expect(bolus(sim, 1, { permissionVersion: 9 }).result).toBe("stale_permission");
    expect(bolus(sim, 2, { dose: 51 }).result).toBe("dose_not_permitted");
    const v2 = sim.setPermission({ enabled: false });
    expect(v2).toBe(2);
    expect(bolus(sim, 3).result).toBe("bolus_disabled");
    sim.setPermission({ enabled: true });
    sim.changeTherapy({ therapyState: "paused" });
    expect(bolus(sim, 4).result).toBe("therapy_not_running");
    sim.changeTherapy({ therapyState: "running" });
    expect(bolus(sim, 5).result).toBe("success");
    expect(sim.deliveries().map((d) => d.token)).toEqual([5]);
  });

  it("reports the first failing rule in the documented order", () => {
    const sim = pump({ therapyState: "paused" });
    sim.injectAlarm("occlusion");
    expect(bolus(sim, 1, { permissionVersion: 99 }).result).toBe("therapy_not_running");
    sim.changeTherapy({ therapyState: "running" });
    expect(bolus(sim, 2, { permissionVersion: 99 }).result).toBe("critical_alarm_active");
  });
});

describe("exactly-once tokens", () => {
  it("answers a repeated token with the first outcome and delivers once", () => {
    const sim = pump();
    const first = bolus(sim, 0xfeedf00d);
    sim.advanceTime(10 * HOUR);
    const again = bolus(sim, 0xfeedf00d);
    expect(again.result).toBe("success");
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(sim.deliveries()).toHaveLength(1);
    expect(sim.heldRecords().filter((r) => r.kind === "bolus_delivered")).toHaveLength(1);
  });

  it("replays a denial even after the condition cleared (a token is one decision)", () => {
    const sim = pump({ permission: { enabled: true, dose: 50, lockoutS: HOUR, maxPer24h: 5 } });
    bolus(sim, 1);
    expect(bolus(sim, 2).result).toBe("lockout_active");
    sim.advanceTime(2 * HOUR);
    const again = bolus(sim, 2);
    expect(again.result).toBe("lockout_active");
    expect(again.body).toMatchObject({ replayed: true });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("replays regardless of the dose in the repeat", () => {
    const sim = pump();
    bolus(sim, 7);
    expect(bolus(sim, 7, { dose: 999 }).result).toBe("success");
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("QUERY_BOLUS reports without delivering; busy/unauthorised requests are not remembered", () => {
    const sim = pump();
    expect(send(sim, { op: "query_bolus", token: 5 }).result).toBe("token_unknown");
    sim.setBusy(true);
    expect(bolus(sim, 5).result).toBe("busy");
    sim.setBusy(false);
    sim.setAuthorized(false);
    expect(bolus(sim, 5).result).toBe("not_authorized");
    sim.setAuthorized(true);
    expect(send(sim, { op: "query_bolus", token: 5 }).result).toBe("token_unknown");
    expect(bolus(sim, 5).result).toBe("success");
    const q = send(sim, { op: "query_bolus", token: 5 });
    expect(q.result).toBe("success");
    expect(q.body).toMatchObject({ kind: "bolus", token: 5, replayed: true });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("remembers the last 64 decisions", () => {
    const sim = pump({ permission: { enabled: true, dose: 50, lockoutS: HOUR, maxPer24h: 5 } });
    for (let token = 1; token <= 65; token++) bolus(sim, token); // 1 delivered, 64 denied
    expect(send(sim, { op: "query_bolus", token: 1 }).result).toBe("token_unknown");
    expect(send(sim, { op: "query_bolus", token: 2 }).result).toBe("lockout_active");
    expect(send(sim, { op: "query_bolus", token: 65 }).result).toBe("lockout_active");
  });
});

describe("control point framing", () => {
  it("answers bad CRC, bad length, unknown opcode and invalid parameters", () => {
    const sim = pump();
    const good = encodeControlPoint({ op: "request_bolus", requestId: 0x0a0b, token: 3, dose: 50, permissionVersion: 1 }, 1);
    const corrupted = good.slice();
    corrupted[5] = (corrupted[5] ?? 0) ^ 0x10;
    expect(sim.writeControlPoint(corrupted)).toBe(ATT_E2E_CRC_MISMATCH);
    expect(decodeResponse(sim.readResponse()).value).toEqual({ opcode: 1, requestId: 0x0a0b, result: "bad_crc", body: { kind: "none" } });

    expect(sim.writeControlPoint(new Uint8Array(21))).toBe(ATT_INVALID_ATTRIBUTE_VALUE_LENGTH);
    expect(decodeResponse(sim.readResponse()).value.result).toBe("bad_length");
    expect(sim.writeControlPoint(new Uint8Array())).toBe(ATT_INVALID_ATTRIBUTE_VALUE_LENGTH);

    const fix = (b: Uint8Array) => {
      const c = crc16(b, 0, b.length - 2);
      b[b.length - 2] = c & 0xff;
      b[b.length - 1] = c >>> 8;
      return b;
    };
    const unknown = good.slice();
    unknown[0] = 0x33;
    expect(sim.writeControlPoint(fix(unknown))).toBe(0);
    expect(decodeResponse(sim.readResponse()).value).toMatchObject({ opcode: 0x33, result: "unknown_opcode" });

    const zeroToken = good.slice();
    zeroToken.set([0, 0, 0, 0], 3);
    expect(sim.writeControlPoint(fix(zeroToken))).toBe(0);
    expect(decodeResponse(sim.readResponse()).value).toMatchObject({ opcode: 1, requestId: 0x0a0b, result: "invalid_parameter" });
    expect(sim.deliveries()).toHaveLength(0);
    expect(sim.heldRecords()).toHaveLength(0);
  });

  it("starts with the empty response and keeps a response stable across reads", () => {
    const sim = pump();
    expect(decodeResponse(sim.readResponse()).value).toEqual({ opcode: 0, requestId: 0, result: "success", body: { kind: "none" } });
    bolus(sim, 1);
    expect(Array.from(sim.readResponse())).toEqual(Array.from(sim.readResponse()));
  });

  it("advances the E2E counter for each new status value", () => {
    const sim = pump();
    const a = decodeStatus(sim.readStatus()).counter;
    const b = decodeStatus(sim.readStatus()).counter;
    expect(b).toBe((a + 1) & 0xff);
  });
});

describe("reservoir, battery and alarms over time", () => {
  it("drains at the basal rate and raises low then empty at the exact instants", () => {
    // 400 µg/day at 2000 µg/mL = 200 µL/day; 2 200 µL left, threshold 2 000 µL.
    const sim = new PumpSimulator({ reservoirUl: 2_200, reservoirReadingIntervalS: 0, batterySecondsPerPercent: 0 });
    const t0 = sim.deviceTime();
    // Reported µL are whole µL rounded down, so "≤ 2 000 µL" starts once fewer than 2 001 000 nL remain:
    // 199 001 nL drained at 200 000 nL/day → ceil(199 001 × 86 400 / 200 000) = 85 969 s.
    const lowAt = Math.ceil((199_001 * DAY) / 200_000);
    const emptyAt = Math.ceil(((2_200_000 - 999) * DAY) / 200_000);
    sim.advanceTime(lowAt - 1);
    expect(status(sim)).toMatchObject({ reservoirUl: 2_001, alarmFlags: 0 });
    sim.advanceTime(1);
    expect(status(sim)).toMatchObject({ reservoirUl: 2_000, alarmFlags: 1 << ALARM_BITS.lowReservoir });
    sim.advanceTime(11 * DAY);
    const s = status(sim);
    expect(s.reservoirUl).toBe(0);
    expect(s.alarmFlags).toBe((1 << ALARM_BITS.lowReservoir) | (1 << ALARM_BITS.emptyReservoir));
    const [low, empty] = sim.heldRecords();
    expect(low).toMatchObject({ kind: "alarm_raised", alarmBit: ALARM_BITS.lowReservoir, time: t0 + lowAt });
    expect(empty).toMatchObject({ kind: "alarm_raised", alarmBit: ALARM_BITS.emptyReservoir, time: t0 + emptyAt });
    expect(bolus(sim, 1).result).toBe("critical_alarm_active");
    sim.refill(18_000);
    expect(status(sim).alarmFlags).toBe(0);
    expect(sim.heldRecords().slice(-3).map((r) => r.kind)).toEqual(["refill", "alarm_cleared", "alarm_cleared"]);
  });

  it("catches up lazily with an injected clock, emitting daily readings in order", () => {
    const clock = new ManualClock(1_000);
    const sim = new PumpSimulator({ clock, batterySecondsPerPercent: 0 });
    clock.advance(3 * DAY + 5);
    const recs = sim.heldRecords();
    expect(recs.map((r) => r.kind)).toEqual(["reservoir_reading", "reservoir_reading", "reservoir_reading"]);
    expect(recs.map((r) => (r.kind === "reservoir_reading" ? r.reservoirUl : -1))).toEqual([17_800, 17_600, 17_400]);
    expect(() => sim.advanceTime(1)).toThrow(/ManualClock/);
  });

  it("drains the battery and raises replacement-due then end-of-service (critical)", () => {
    const sim = new PumpSimulator({ batteryPercent: 12, batterySecondsPerPercent: DAY, reservoirReadingIntervalS: 0, basalDosePerDay: 0 });
    sim.advanceTime(10 * DAY);
    const s = status(sim);
    expect(s.batteryPercent).toBe(2);
    expect(s.alarmFlags).toBe((1 << ALARM_BITS.batteryReplacementDue) | (1 << ALARM_BITS.batteryEndOfService));
    expect(sim.heldRecords().filter((r) => r.kind === "battery")).toHaveLength(10);
    expect(bolus(sim, 1).result).toBe("critical_alarm_active");
  });

  it("uses milli-units and U/mL for insulin", () => {
    // 2 U = 2 000 mU at 100 U/mL = 20 µL; 40 U/day = 400 µL/day.
    const sim = pump({ doseUnit: "milliunit", concentration: 100, basalDosePerDay: 40_000, permission: { enabled: true, dose: 2_000, lockoutS: 0, maxPer24h: 10 } });
    expect(status(sim).permission.volumeUl).toBe(20);
    expect(bolus(sim, 1).body).toMatchObject({ volumeUl: 20 });
    sim.advanceTime(DAY);
    expect(status(sim).reservoirUl).toBe(18_000 - 20 - 400);
  });

  it("flags an unset clock until SET_TIME, and logs the change", () => {
    const sim = pump({ timeSet: false, deviceTime: 1_600_000_000 });
    expect(status(sim).alarmFlags).toBe(1 << ALARM_BITS.timeNotSet);
    const r = send(sim, { op: "set_time", time: 1_800_000_000 });
    expect(r.body).toEqual({ kind: "time", previousTime: 1_600_000_000, newTime: 1_800_000_000 });
    expect(status(sim)).toMatchObject({ alarmFlags: 0, deviceTime: 1_800_000_000 });
    expect(sim.heldRecords().map((x) => x.kind)).toEqual(["alarm_raised", "time_set", "alarm_cleared"]);
  });
});

describe("event log", () => {
  it("numbers events from 1 and serves selections in batches of at least 15 within 512 bytes", () => {
    const sim = pump();
    sim.seedHistory(600);
    expect(status(sim).highestSeq).toBe(600);
    const { records, batches, bytes } = readAll(sim);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    expect(Math.max(...bytes)).toBeLessThanOrEqual(MAX_READ_BYTES);
    expect(batches.slice(0, -1).every((n) => n >= 15)).toBe(true);
    const times = records.map((r) => r.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("packs at least 15 of the longest records per read", () => {
    const sim = pump({ permission: { enabled: true, dose: 50, lockoutS: 0, maxPer24h: 255 }, capacityUl: 100_000, reservoirUl: 100_000 });
    for (let token = 1; token <= 40; token++) bolus(sim, token);
    const { batches, records } = readAll(sim);
    expect(records.every((r) => r.kind === "bolus_delivered")).toBe(true);
    expect(batches[0]).toBeGreaterThanOrEqual(15);
  });

  it("selects from the oldest held record when older ones were overwritten", () => {
    const sim = pump({ logCapacity: 100 });
    sim.seedHistory(300);
    const r = send(sim, { op: "select_records", fromSeq: 1, maxCount: 10 });
    expect(r.body).toEqual({ kind: "selection", count: 10, firstSeq: 201, highestSeq: 300 });
    expect(readAll(sim, 1).records[0]?.seq).toBe(201);
  });

  it("answers an empty selection past the end and drops selections on disconnect", () => {
    const sim = pump();
    sim.seedHistory(50);
    expect(send(sim, { op: "select_records", fromSeq: 51, maxCount: 10 }).body).toEqual({ kind: "selection", count: 0, firstSeq: 0, highestSeq: 50 });
    send(sim, { op: "select_records", fromSeq: 1, maxCount: 100 });
    sim.disconnect();
    expect(sim.readRecords().length).toBe(5); // count 0, flags 0, counter, CRC
  });
});
