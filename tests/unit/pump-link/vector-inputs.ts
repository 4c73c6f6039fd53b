/** Decoded inputs of docs/pump-link-vectors.json (see generate-vectors.ts). */
import type { ControlCommand, ControlResponse, PumpStatus, RecordsBatch } from "@/lib/pump-link/types";

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z

export const baseStatus: PumpStatus = {
  protocolVersion: 1,
  doseUnit: "microgram",
  therapyState: "running",
  batteryPercent: 80,
  deviceTime: T0,
  logId: 0x5eed0001,
  highestSeq: 1234,
  reservoirUl: 18_000,
  capacityUl: 20_000,
  lowReservoirThresholdUl: 2_000,
  concentration: 2_000,
  basalDosePerDay: 400,
  alarmFlags: 0,
  permission: { enabled: true, dose: 50, volumeUl: 25, lockoutS: 10_800, durationS: 60, maxPer24h: 4, version: 3 },
  bolus: { lockoutRemainingS: 0, usedLast24h: 0, dailyMaxResetS: 0 },
};

type Input =
  | { name: string; message: "status"; counter: number; value: PumpStatus }
  | { name: string; message: "control_point"; counter: number; value: ControlCommand }
  | { name: string; message: "response"; counter: number; value: ControlResponse }
  | { name: string; message: "records"; counter: number; value: RecordsBatch };

export const VALID_VECTOR_INPUTS: Input[] = [
  { name: "status: intrathecal baclofen, running, no alarms, bolus allowed", message: "status", counter: 7, value: baseStatus },
  {
    name: "status: insulin, low reservoir + battery replacement due, lockout running",
    message: "status",
    counter: 255,
    value: {
      ...baseStatus,
      doseUnit: "milliunit",
      batteryPercent: 9,
      deviceTime: T0 + 3600,
      highestSeq: 98_765,
      reservoirUl: 1_800,
      capacityUl: 3_000,
      lowReservoirThresholdUl: 2_000,
      concentration: 400,
      basalDosePerDay: 40_000,
      alarmFlags: 0b0000_0101,
      permission: { enabled: true, dose: 2_000, volumeUl: 5, lockoutS: 1_800, durationS: 0, maxPer24h: 6, version: 12 },
      bolus: { lockoutRemainingS: 1_200, usedLast24h: 6, dailyMaxResetS: 40_000 },
    },
  },
  {
    name: "status: stopped with motor stall (critical), bolus disabled",
    message: "status",
    counter: 0,
    value: {
      ...baseStatus,
      therapyState: "stopped",
      highestSeq: 0,
      alarmFlags: 1 << 4,
      permission: { enabled: false, dose: 0, volumeUl: 0, lockoutS: 0, durationS: 0, maxPer24h: 0, version: 0 },
    },
  },
  {
    name: "control point: REQUEST_BOLUS",
    message: "control_point",
    counter: 1,
    value: { op: "request_bolus", requestId: 0x1234, token: 0xdeadbeef, dose: 50, permissionVersion: 3 },
  },
  {
    name: "control point: SELECT_RECORDS from 1001, up to 1024",
    message: "control_point",
    counter: 2,
    value: { op: "select_records", requestId: 0x1235, fromSeq: 1001, maxCount: 1024 },
  },
  { name: "control point: SET_TIME", message: "control_point", counter: 3, value: { op: "set_time", requestId: 0x1236, time: T0 } },
  { name: "control point: QUERY_BOLUS", message: "control_point", counter: 4, value: { op: "query_bolus", requestId: 0x1237, token: 0xdeadbeef } },
  {
    name: "response: nothing requested yet",
    message: "response",
    counter: 0,
    value: { opcode: 0, requestId: 0, result: "success", body: { kind: "none" } },
  },
  {
    name: "response: bolus delivered",
    message: "response",
    counter: 10,
    value: {
      opcode: 1,
      requestId: 0x1234,
      result: "success",
      body: { kind: "bolus", token: 0xdeadbeef, dose: 50, volumeUl: 25, time: T0 + 60, recordSeq: 1235, replayed: false },
    },
  },
  {
    name: "response: repeated token, first outcome replayed",
    message: "response",
    counter: 11,
    value: {
      opcode: 1,
      requestId: 0x1240,
      result: "success",
      body: { kind: "bolus", token: 0xdeadbeef, dose: 50, volumeUl: 25, time: T0 + 60, recordSeq: 1235, replayed: true },
    },
  },
  {
    name: "response: bolus denied, lockout active",
    message: "response",
    counter: 12,
    value: {
      opcode: 1,
      requestId: 0x1241,
      result: "lockout_active",
      body: { kind: "bolus", token: 0x00c0ffee, dose: 0, volumeUl: 0, time: T0 + 120, recordSeq: 1236, replayed: false },
    },
  },
  {
    name: "response: QUERY_BOLUS answered from token memory",
    message: "response",
    counter: 13,
    value: {
      opcode: 4,
      requestId: 0x1242,
      result: "daily_max_reached",
      body: { kind: "bolus", token: 0x00c0ffee, dose: 0, volumeUl: 0, time: T0 + 120, recordSeq: 1236, replayed: true },
    },
  },
  {
    name: "response: QUERY_BOLUS for a token the device does not know",
    message: "response",
    counter: 14,
    value: { opcode: 4, requestId: 0x1243, result: "token_unknown", body: { kind: "none" } },
  },
  {
    name: "response: REQUEST_BOLUS while busy (not a decision)",
    message: "response",
    counter: 15,
    value: { opcode: 1, requestId: 0x1244, result: "busy", body: { kind: "none" } },
  },
  {
    name: "response: SELECT_RECORDS",
    message: "response",
    counter: 16,
    value: { opcode: 2, requestId: 0x1235, result: "success", body: { kind: "selection", count: 234, firstSeq: 1001, highestSeq: 1234 } },
  },
  {
    name: "response: SELECT_RECORDS, nothing new",
    message: "response",
    counter: 17,
    value: { opcode: 2, requestId: 0x1245, result: "success", body: { kind: "selection", count: 0, firstSeq: 0, highestSeq: 1234 } },
  },
  {
    name: "response: SET_TIME",
    message: "response",
    counter: 18,
    value: { opcode: 3, requestId: 0x1236, result: "success", body: { kind: "time", previousTime: T0 - 42, newTime: T0 } },
  },
  {
    name: "response: write failed its CRC (opcode byte echoed as received)",
    message: "response",
    counter: 19,
    value: { opcode: 0x99, requestId: 0x1246, result: "bad_crc", body: { kind: "none" } },
  },
  {
    name: "response: unknown opcode",
    message: "response",
    counter: 20,
    value: { opcode: 0x7f, requestId: 0x1247, result: "unknown_opcode", body: { kind: "none" } },
  },
  { name: "records: empty batch (selection exhausted)", message: "records", counter: 30, value: { records: [], more: false } },
  {
    name: "records: one of every type, more to come",
    message: "records",
    counter: 31,
    value: {
      more: true,
      records: [
        { seq: 1001, time: T0, kind: "bolus_delivered", token: 0xdeadbeef, dose: 50, volumeUl: 25, permissionVersion: 3 },
        { seq: 1002, time: T0 + 10, kind: "bolus_denied", token: 0x00c0ffee, requestedDose: 50, reason: "lockout_active" },
        { seq: 1003, time: T0 + 20, kind: "alarm_raised", alarmBit: 0, alarmFlags: 0b1 },
        { seq: 1004, time: T0 + 30, kind: "alarm_cleared", alarmBit: 0, alarmFlags: 0 },
        { seq: 1005, time: T0 + 40, kind: "refill", addedUl: 18_000, reservoirUl: 20_000, concentration: 2_000 },
        { seq: 1006, time: T0 + 50, kind: "therapy_changed", therapyState: "paused", basalDosePerDay: 400, concentration: 2_000 },
        { seq: 1007, time: T0 + 60, kind: "reservoir_reading", reservoirUl: 19_990 },
        { seq: 1008, time: T0 + 70, kind: "battery", percent: 79, millivolts: 3_232 },
        { seq: 1009, time: T0 + 80, kind: "permission_changed", enabled: true, dose: 75, lockoutS: 14_400, durationS: 120, maxPer24h: 3, version: 4 },
        { seq: 1010, time: T0 + 90, kind: "time_set", previousTime: T0 + 85, newTime: T0 + 90 },
      ],
    },
  },
  {
    name: "records: a record type from a newer firmware is kept opaque",
    message: "records",
    counter: 32,
    value: {
      more: false,
      records: [
        { seq: 1011, time: T0 + 100, kind: "reservoir_reading", reservoirUl: 19_980 },
        { seq: 1012, time: T0 + 110, kind: "unknown", typeCode: 0x40, payloadHex: "0102030405" },
      ],
    },
  },
];
