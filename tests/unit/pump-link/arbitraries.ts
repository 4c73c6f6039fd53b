/** fast-check generators of valid decoded values for every pump link message. */
import fc from "fast-check";
import { RECORD_TYPE_CODES } from "@/lib/pump-link/types";
import type {
  BolusDenialReason,
  ControlCommand,
  ControlResponse,
  PumpRecord,
  PumpStatus,
  RecordsBatch,
  TherapyState,
} from "@/lib/pump-link/types";

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const nonZeroU32 = fc.integer({ min: 1, max: 0xffff_ffff });
const time = fc.integer({ min: 1_577_836_800, max: 0xffff_ffff });
const therapyState = fc.constantFrom<TherapyState>("stopped", "running", "paused");
const denial = fc.constantFrom<BolusDenialReason>(
  "lockout_active",
  "daily_max_reached",
  "bolus_disabled",
  "reservoir_too_low",
  "critical_alarm_active",
  "stale_permission",
  "dose_not_permitted",
  "therapy_not_running",
);

export const statusArb: fc.Arbitrary<PumpStatus> = fc
  .record({
    doseUnit: fc.constantFrom("microgram" as const, "milliunit" as const),
    therapyState,
    batteryPercent: fc.integer({ min: 0, max: 100 }),
    deviceTime: u32,
    logId: u32,
    highestSeq: u32,
    capacityUl: u32,
    reservoirFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    thresholdFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    concentration: nonZeroU32,
    basalDosePerDay: u32,
    alarmFlags: u16,
    enabled: fc.boolean(),
    dose: nonZeroU32,
    volumeUl: nonZeroU32,
    lockoutS: u32,
    durationS: u32,
    maxPer24h: u8,
    version: u16,
    lockoutRemainingS: u32,
    usedLast24h: u8,
    dailyMaxResetS: u32,
  })
  .map((r) => ({
    protocolVersion: 1,
    doseUnit: r.doseUnit,
    therapyState: r.therapyState,
    batteryPercent: r.batteryPercent,
    deviceTime: r.deviceTime,
    logId: r.logId,
    highestSeq: r.highestSeq,
    reservoirUl: Math.floor(r.capacityUl * r.reservoirFraction),
    capacityUl: r.capacityUl,
    lowReservoirThresholdUl: Math.floor(r.capacityUl * r.thresholdFraction),
    concentration: r.concentration,
    basalDosePerDay: r.basalDosePerDay,
    alarmFlags: r.alarmFlags,
    permission: {
      enabled: r.enabled,
      dose: r.dose,
      volumeUl: r.volumeUl,
      lockoutS: r.lockoutS,
      durationS: r.durationS,
      maxPer24h: r.maxPer24h,
      version: r.version,
    },
    bolus: { lockoutRemainingS: r.lockoutRemainingS, usedLast24h: r.usedLast24h, dailyMaxResetS: r.dailyMaxResetS },
  }));

export const commandArb: fc.Arbitrary<ControlCommand> = fc.oneof(
  fc.record({
    op: fc.constant("request_bolus" as const),
    requestId: u16,
    token: nonZeroU32,
    dose: nonZeroU32,
    permissionVersion: u16,
  }),
  fc.record({
    op: fc.constant("select_records" as const),
    requestId: u16,
    fromSeq: nonZeroU32,
    maxCount: fc.integer({ min: 1, max: 0xffff }),
  }),
  fc.record({ op: fc.constant("set_time" as const), requestId: u16, time }),
  fc.record({ op: fc.constant("query_bolus" as const), requestId: u16, token: nonZeroU32 }),
);

const bolusBody = (delivered: boolean, replayed: fc.Arbitrary<boolean>) =>
  fc.record({
    kind: fc.constant("bolus" as const),
    token: nonZeroU32,
    dose: delivered ? nonZeroU32 : fc.constant(0),
    volumeUl: delivered ? nonZeroU32 : fc.constant(0),
    time: u32,
    recordSeq: nonZeroU32,
    replayed,
  });

const none = fc.constant({ kind: "none" as const });
const genericRefusal = fc.constantFrom("bad_crc" as const, "bad_length" as const, "invalid_parameter" as const, "busy" as const, "not_authorized" as const);

export const responseArb: fc.Arbitrary<ControlResponse> = fc.oneof(
  fc.constant<ControlResponse>({ opcode: 0, requestId: 0, result: "success", body: { kind: "none" } }),
  fc.record({ opcode: fc.constant(1), requestId: u16, result: fc.constant("success" as const), body: bolusBody(true, fc.boolean()) }),
  fc.record({ opcode: fc.constant(1), requestId: u16, result: denial, body: bolusBody(false, fc.boolean()) }),
  fc.record({ opcode: fc.constant(4), requestId: u16, result: fc.constant("success" as const), body: bolusBody(true, fc.constant(true)) }),
  fc.record({ opcode: fc.constant(4), requestId: u16, result: denial, body: bolusBody(false, fc.constant(true)) }),
  fc.record({ opcode: fc.constant(4), requestId: u16, result: fc.constant("token_unknown" as const), body: none }),
  fc.record({ opcode: fc.integer({ min: 1, max: 4 }), requestId: u16, result: genericRefusal, body: none }),
  fc.record({
    opcode: fc.integer({ min: 5, max: 0xff }),
    requestId: u16,
    result: fc.constantFrom("bad_crc" as const, "bad_length" as const, "unknown_opcode" as const),
    body: none,
  }),
  fc
    .record({ requestId: u16, firstSeq: nonZeroU32, count: fc.integer({ min: 1, max: 0xffff }), extra: u32 })
    .filter((r) => r.firstSeq + r.count - 1 <= 0xffff_ffff)
    .map((r) => ({
      opcode: 2,
      requestId: r.requestId,
      result: "success" as const,
      body: {
        kind: "selection" as const,
        count: r.count,
        firstSeq: r.firstSeq,
        highestSeq: Math.min(0xffff_ffff, r.firstSeq + r.count - 1 + r.extra),
      },
    })),
  fc.record({
    opcode: fc.constant(2),
    requestId: u16,
    result: fc.constant("success" as const),
    body: fc.record({ kind: fc.constant("selection" as const), count: fc.constant(0), firstSeq: fc.constant(0), highestSeq: u32 }),
  }),
  fc.record({
    opcode: fc.constant(3),
    requestId: u16,
    result: fc.constant("success" as const),
    body: fc.record({ kind: fc.constant("time" as const), previousTime: u32, newTime: time }),
  }),
);

type RecordEvent = PumpRecord extends infer R ? (R extends PumpRecord ? Omit<R, "seq" | "time"> : never) : never;

const knownCodes = new Set<number>(Object.values(RECORD_TYPE_CODES));

const eventArb: fc.Arbitrary<RecordEvent> = fc.oneof(
  fc.record({ kind: fc.constant("bolus_delivered" as const), token: nonZeroU32, dose: nonZeroU32, volumeUl: nonZeroU32, permissionVersion: u16 }),
  fc.record({ kind: fc.constant("bolus_denied" as const), token: nonZeroU32, requestedDose: u32, reason: denial }),
  fc
    .record({ alarmBit: fc.integer({ min: 0, max: 15 }), flags: u16 })
    .map((r) => ({ kind: "alarm_raised" as const, alarmBit: r.alarmBit, alarmFlags: r.flags | (1 << r.alarmBit) })),
  fc
    .record({ alarmBit: fc.integer({ min: 0, max: 15 }), flags: u16 })
    .map((r) => ({ kind: "alarm_cleared" as const, alarmBit: r.alarmBit, alarmFlags: r.flags & ~(1 << r.alarmBit) })),
  fc.record({ kind: fc.constant("refill" as const), addedUl: u32, reservoirUl: u32, concentration: nonZeroU32 }),
  fc.record({ kind: fc.constant("therapy_changed" as const), therapyState, basalDosePerDay: u32, concentration: nonZeroU32 }),
  fc.record({ kind: fc.constant("reservoir_reading" as const), reservoirUl: u32 }),
  fc.record({ kind: fc.constant("battery" as const), percent: fc.integer({ min: 0, max: 100 }), millivolts: u16 }),
  fc
    .record({ enabled: fc.boolean(), dose: u32, lockoutS: u32, durationS: u32, maxPer24h: u8, version: u16 })
    .map((r) => ({ kind: "permission_changed" as const, ...r, dose: r.enabled ? Math.max(1, r.dose) : r.dose })),
  fc.record({ kind: fc.constant("time_set" as const), previousTime: u32, newTime: u32 }),
  fc.record({
    kind: fc.constant("unknown" as const),
    typeCode: fc.integer({ min: 1, max: 0xff }).filter((c) => !knownCodes.has(c)),
    payloadHex: fc.uint8Array({ maxLength: 24 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")),
  }),
);

/** Up to 14 records: 14 × (10 + 24) bytes always fits the 507 bytes a batch has for records. */
export const recordsArb: fc.Arbitrary<RecordsBatch> = fc
  .record({
    start: fc.integer({ min: 1, max: 0xffff_0000 }),
    steps: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 14 }),
    times: fc.array(u32, { minLength: 14, maxLength: 14 }),
    events: fc.array(eventArb, { minLength: 14, maxLength: 14 }),
    more: fc.boolean(),
  })
  .map((r) => {
    let seq = r.start;
    const records = r.steps.map((step, i) => {
      seq += step;
      return { ...(r.events[i] as RecordEvent), seq, time: r.times[i] ?? 0 } as PumpRecord;
    });
    return { records, more: records.length > 0 && r.more };
  });
