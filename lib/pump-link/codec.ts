/**
 * Strict encoders/decoders for every pump link v1 value (docs/pump-link-protocol.md §4–§7).
 *
 * Contract: decoders either return a value that re-encodes to the very same bytes, or throw
 * PumpLinkCodecError. Encoders validate every field with the same rules, so the app can never
 * put a value on the air that a conforming peer would reject.
 */
import { ByteReader, ByteWriter, checkUint, fromHex, toHex } from "@/lib/pump-link/bytes";
import { crc16 } from "@/lib/pump-link/crc";
import { PumpLinkCodecError } from "@/lib/pump-link/errors";
import {
  BOLUS_DENIAL_RESULTS,
  DOSE_UNIT_CODES,
  MAX_READ_BYTES,
  MAX_WRITE_BYTES,
  MIN_SETTABLE_TIME,
  OPCODES,
  PROTOCOL_VERSION,
  RECORD_TYPE_CODES,
  RESULT_CODES,
  THERAPY_STATE_CODES,
} from "@/lib/pump-link/types";
import type {
  BolusDenialReason,
  BolusOutcomeBody,
  CommandName,
  ControlCommand,
  ControlResponse,
  DoseUnit,
  Framed,
  PumpRecord,
  PumpStatus,
  RecordKind,
  RecordsBatch,
  ResponseBody,
  ResultName,
  SelectionBody,
  TherapyState,
  TimeBody,
} from "@/lib/pump-link/types";

/** E2E counter (1 byte) + CRC (2 bytes) close every value. */
export const TRAILER_BYTES = 3;

export const STATUS_BYTES = 70;
export const CONTROL_POINT_BYTES: Readonly<Record<CommandName, number>> = {
  request_bolus: 16,
  select_records: 12,
  set_time: 10,
  query_bolus: 10,
};
/** opcode + request id + counter + CRC: the shortest write the device can even attribute. */
export const MIN_CONTROL_POINT_BYTES = 6;
export const RESPONSE_HEADER_BYTES = 4;
export const RESPONSE_BODY_BYTES = { none: 0, bolus: 21, selection: 10, time: 8 } as const;
export const RECORDS_HEADER_BYTES = 2;
export const RECORD_HEADER_BYTES = 10;
export const RECORD_PAYLOAD_BYTES: Readonly<Record<Exclude<RecordKind, never>, number>> = {
  bolus_delivered: 14,
  bolus_denied: 9,
  alarm_raised: 3,
  alarm_cleared: 3,
  refill: 12,
  therapy_changed: 9,
  reservoir_reading: 4,
  battery: 3,
  permission_changed: 16,
  time_set: 8,
};
/** Longest known record; the device packs as many whole records as fit in MAX_READ_BYTES. */
export const MAX_KNOWN_RECORD_BYTES = RECORD_HEADER_BYTES + Math.max(...Object.values(RECORD_PAYLOAD_BYTES));

const MORE_FLAG = 0x01;
const REPLAYED_FLAG = 0x01;
const BOLUS_ENABLED_FLAG = 0x01;

// ---------------------------------------------------------------------------------------------
// framing

function bad(code: PumpLinkCodecError["code"], message: string): never {
  throw new PumpLinkCodecError(code, message);
}

function closeFrame(w: ByteWriter, counter: number): Uint8Array {
  w.u8(counter, "E2E counter");
  const crc = crc16(w.finish());
  w.u16(crc, "CRC");
  return w.finish();
}

/** Checks total length bounds and the CRC; returns the counter and where the payload ends. */
function openFrame(
  bytes: Uint8Array,
  what: string,
  minLen: number,
  maxLen: number,
): { payloadEnd: number; counter: number } {
  if (!(bytes instanceof Uint8Array)) bad("bad_value", `${what}: expected a Uint8Array`);
  if (bytes.length < minLen || bytes.length > maxLen) {
    bad(
      "bad_length",
      minLen === maxLen
        ? `${what}: expected ${minLen} bytes, got ${bytes.length}`
        : `${what}: expected ${minLen}..${maxLen} bytes, got ${bytes.length}`,
    );
  }
  const n = bytes.length;
  const stored = (bytes[n - 2] ?? 0) | ((bytes[n - 1] ?? 0) << 8);
  const computed = crc16(bytes, 0, n - 2);
  if (stored !== computed) {
    bad("bad_crc", `${what}: CRC mismatch (stored 0x${hex16(stored)}, computed 0x${hex16(computed)})`);
  }
  return { payloadEnd: n - TRAILER_BYTES, counter: bytes[n - 3] ?? 0 };
}

function hex16(n: number): string {
  return n.toString(16).padStart(4, "0");
}

function lookup<K extends string>(table: Readonly<Record<K, number>>, code: number, what: string): K {
  for (const key of Object.keys(table) as K[]) if (table[key] === code) return key;
  return bad("bad_value", `${what}: unknown code 0x${code.toString(16).padStart(2, "0")}`);
}

function codeOf<K extends string>(table: Readonly<Record<K, number>>, key: K, what: string): number {
  const code = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  if (code === undefined) bad("bad_value", `${what}: unknown name ${JSON.stringify(key)}`);
  return code;
}

function ensure(cond: boolean, message: string): void {
  if (!cond) bad("bad_value", message);
}

function checkBool(value: unknown, field: string): void {
  ensure(typeof value === "boolean", `${field} must be a boolean`);
}

// ---------------------------------------------------------------------------------------------
// Status

function validateStatus(s: PumpStatus): void {
  ensure(s.reservoirUl <= s.capacityUl, "status: reservoir exceeds capacity");
  ensure(s.lowReservoirThresholdUl <= s.capacityUl, "status: low-reservoir threshold exceeds capacity");
  ensure(s.concentration >= 1, "status: concentration must be at least 1");
  ensure(s.batteryPercent <= 100, "status: battery percent above 100");
  const p = s.permission;
  if (p.enabled) ensure(p.dose >= 1 && p.volumeUl >= 1, "status: an enabled bolus needs a dose and a volume");
}

export function encodeStatus(s: PumpStatus, counter: number): Uint8Array {
  if (s.protocolVersion !== PROTOCOL_VERSION) {
    bad("unsupported_version", `status: this codec encodes protocol version ${PROTOCOL_VERSION} only`);
  }
  checkBool(s.permission.enabled, "permission.enabled");
  const w = new ByteWriter(STATUS_BYTES)
    .u8(s.protocolVersion, "protocolVersion")
    .u8(codeOf(DOSE_UNIT_CODES, s.doseUnit, "doseUnit"), "doseUnit")
    .u8(codeOf(THERAPY_STATE_CODES, s.therapyState, "therapyState"), "therapyState")
    .u8(s.batteryPercent, "batteryPercent")
    .u32(s.deviceTime, "deviceTime")
    .u32(s.logId, "logId")
    .u32(s.highestSeq, "highestSeq")
    .u32(s.reservoirUl, "reservoirUl")
    .u32(s.capacityUl, "capacityUl")
    .u32(s.lowReservoirThresholdUl, "lowReservoirThresholdUl")
    .u32(s.concentration, "concentration")
    .u32(s.basalDosePerDay, "basalDosePerDay")
    .u32(s.permission.dose, "permission.dose")
    .u32(s.permission.volumeUl, "permission.volumeUl")
    .u32(s.permission.lockoutS, "permission.lockoutS")
    .u32(s.permission.durationS, "permission.durationS")
    .u32(s.bolus.lockoutRemainingS, "bolus.lockoutRemainingS")
    .u32(s.bolus.dailyMaxResetS, "bolus.dailyMaxResetS")
    .u16(s.alarmFlags, "alarmFlags")
    .u16(s.permission.version, "permission.version")
    .u8(s.permission.enabled ? BOLUS_ENABLED_FLAG : 0, "bolusFlags")
    .u8(s.permission.maxPer24h, "permission.maxPer24h")
    .u8(s.bolus.usedLast24h, "bolus.usedLast24h");
  validateStatus(s);
  return closeFrame(w, counter);
}

export function decodeStatus(bytes: Uint8Array): Framed<PumpStatus> {
  const { payloadEnd, counter } = openFrame(bytes, "status", TRAILER_BYTES + 1, MAX_READ_BYTES);
  // Version before length: a v2 status may have another size, and "unsupported version" is the useful answer.
  const version = bytes[0] ?? 0;
  if (version !== PROTOCOL_VERSION) {
    bad("unsupported_version", `status: protocol version ${version}, this app speaks ${PROTOCOL_VERSION}`);
  }
  if (bytes.length !== STATUS_BYTES) bad("bad_length", `status: expected ${STATUS_BYTES} bytes, got ${bytes.length}`);
  const r = new ByteReader(bytes, 1, payloadEnd);
  const doseUnit: DoseUnit = lookup(DOSE_UNIT_CODES, r.u8(), "status doseUnit");
  const therapyState: TherapyState = lookup(THERAPY_STATE_CODES, r.u8(), "status therapyState");
  const batteryPercent = r.u8();
  const deviceTime = r.u32();
  const logId = r.u32();
  const highestSeq = r.u32();
  const reservoirUl = r.u32();
  const capacityUl = r.u32();
  const lowReservoirThresholdUl = r.u32();
  const concentration = r.u32();
  const basalDosePerDay = r.u32();
  const dose = r.u32();
  const volumeUl = r.u32();
  const lockoutS = r.u32();
  const durationS = r.u32();
  const lockoutRemainingS = r.u32();
  const dailyMaxResetS = r.u32();
  const alarmFlags = r.u16();
  const version16 = r.u16();
  const bolusFlags = r.u8();
  ensure((bolusFlags & ~BOLUS_ENABLED_FLAG) === 0, "status: reserved bolus flag bits set");
  const maxPer24h = r.u8();
  const usedLast24h = r.u8();
  const status: PumpStatus = {
    protocolVersion: version,
    doseUnit,
    therapyState,
    batteryPercent,
    deviceTime,
    logId,
    highestSeq,
    reservoirUl,
    capacityUl,
    lowReservoirThresholdUl,
    concentration,
    basalDosePerDay,
    alarmFlags,
    permission: {
      enabled: (bolusFlags & BOLUS_ENABLED_FLAG) !== 0,
      dose,
      volumeUl,
      lockoutS,
      durationS,
      maxPer24h,
      version: version16,
    },
    bolus: { lockoutRemainingS, usedLast24h, dailyMaxResetS },
  };
  validateStatus(status);
  return { value: status, counter };
}

// ---------------------------------------------------------------------------------------------
// Control Point

function validateCommand(c: ControlCommand): void {
  switch (c.op) {
    case "request_bolus":
      ensure(c.token !== 0, "request_bolus: token 0 is reserved");
      ensure(c.dose >= 1, "request_bolus: dose must be at least 1");
      return;
    case "query_bolus":
      ensure(c.token !== 0, "query_bolus: token 0 is reserved");
      return;
    case "select_records":
      ensure(c.fromSeq >= 1, "select_records: sequence numbers start at 1");
      ensure(c.maxCount >= 1, "select_records: maxCount must be at least 1");
      return;
    case "set_time":
      ensure(c.time >= MIN_SETTABLE_TIME, `set_time: time before ${MIN_SETTABLE_TIME} (2020-01-01) is refused`);
      return;
  }
}

export function encodeControlPoint(c: ControlCommand, counter: number): Uint8Array {
  const opcode = codeOf(OPCODES, c.op, "command op");
  if (opcode === OPCODES.none) bad("bad_value", "command op: 'none' is not a command");
  const w = new ByteWriter(MAX_WRITE_BYTES).u8(opcode, "opcode").u16(c.requestId, "requestId");
  switch (c.op) {
    case "request_bolus":
      w.u32(c.token, "token").u32(c.dose, "dose").u16(c.permissionVersion, "permissionVersion");
      break;
    case "select_records":
      w.u32(c.fromSeq, "fromSeq").u16(c.maxCount, "maxCount");
      break;
    case "set_time":
      w.u32(c.time, "time");
      break;
    case "query_bolus":
      w.u32(c.token, "token");
      break;
  }
  validateCommand(c);
  return closeFrame(w, counter);
}

export function decodeControlPoint(bytes: Uint8Array): Framed<ControlCommand> {
  const { payloadEnd, counter } = openFrame(bytes, "control point", MIN_CONTROL_POINT_BYTES, MAX_WRITE_BYTES);
  const opcode = bytes[0] ?? 0;
  const op = commandName(opcode);
  if (op === undefined) {
    bad("unknown_opcode", `control point: unknown opcode 0x${opcode.toString(16).padStart(2, "0")}`);
  }
  const expected = CONTROL_POINT_BYTES[op];
  if (bytes.length !== expected) bad("bad_length", `control point ${op}: expected ${expected} bytes, got ${bytes.length}`);
  const r = new ByteReader(bytes, 1, payloadEnd);
  const requestId = r.u16();
  let command: ControlCommand;
  switch (op) {
    case "request_bolus":
      command = { op, requestId, token: r.u32(), dose: r.u32(), permissionVersion: r.u16() };
      break;
    case "select_records":
      command = { op, requestId, fromSeq: r.u32(), maxCount: r.u16() };
      break;
    case "set_time":
      command = { op, requestId, time: r.u32() };
      break;
    case "query_bolus":
      command = { op, requestId, token: r.u32() };
      break;
  }
  validateCommand(command);
  return { value: command, counter };
}

export function commandName(opcode: number): CommandName | undefined {
  for (const key of Object.keys(OPCODES) as (keyof typeof OPCODES)[]) {
    if (key !== "none" && OPCODES[key] === opcode) return key;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Response

const OUTCOME_RESULTS: ReadonlySet<ResultName> = new Set<ResultName>(["success", ...BOLUS_DENIAL_RESULTS]);
/** Results that carry no body and may answer any command. */
const GENERIC_REFUSALS: ReadonlySet<ResultName> = new Set<ResultName>([
  "bad_crc",
  "bad_length",
  "invalid_parameter",
  "busy",
  "not_authorized",
]);
/** Results the device may give for a write it could not attribute to a command. */
const UNATTRIBUTED: ReadonlySet<ResultName> = new Set<ResultName>(["bad_crc", "bad_length", "unknown_opcode"]);

export function isBolusDenial(result: ResultName): result is BolusDenialReason {
  return (BOLUS_DENIAL_RESULTS as readonly ResultName[]).includes(result);
}

/** Which body a (opcode, result) pair carries, or undefined when the pair is not allowed. */
export function responseBodyKind(opcode: number, result: ResultName): ResponseBody["kind"] | undefined {
  const op = commandName(opcode);
  if (op === undefined) {
    if (opcode === OPCODES.none && result === "success") return "none";
    return UNATTRIBUTED.has(result) ? "none" : undefined;
  }
  if (GENERIC_REFUSALS.has(result)) return "none";
  switch (op) {
    case "request_bolus":
      return OUTCOME_RESULTS.has(result) ? "bolus" : undefined;
    case "query_bolus":
      if (result === "token_unknown") return "none";
      return OUTCOME_RESULTS.has(result) ? "bolus" : undefined;
    case "select_records":
      return result === "success" ? "selection" : undefined;
    case "set_time":
      return result === "success" ? "time" : undefined;
  }
}

function validateResponse(resp: ControlResponse): void {
  const kind = responseBodyKind(resp.opcode, resp.result);
  ensure(
    kind !== undefined,
    `response: result ${resp.result} is not valid for opcode 0x${resp.opcode.toString(16).padStart(2, "0")}`,
  );
  ensure(resp.body.kind === kind, `response: ${resp.result} for this opcode carries a '${kind}' body`);
  if (resp.opcode === OPCODES.none && resp.result === "success") {
    ensure(resp.requestId === 0, "response: the empty response has request id 0");
  }
  const body = resp.body;
  switch (body.kind) {
    case "bolus":
      checkBool(body.replayed, "replayed");
      ensure(body.token !== 0, "response: token 0 is reserved");
      ensure(body.recordSeq >= 1, "response: recordSeq must be at least 1");
      if (resp.result === "success") {
        ensure(body.dose >= 1 && body.volumeUl >= 1, "response: a delivered bolus has a dose and a volume");
      } else {
        ensure(body.dose === 0 && body.volumeUl === 0, "response: a denied bolus delivers nothing");
      }
      if (resp.opcode === OPCODES.query_bolus) ensure(body.replayed, "response: a query answer is always replayed");
      return;
    case "selection":
      if (body.count === 0) {
        ensure(body.firstSeq === 0, "response: an empty selection has firstSeq 0");
      } else {
        ensure(body.firstSeq >= 1, "response: firstSeq must be at least 1");
        ensure(body.firstSeq + body.count - 1 <= body.highestSeq, "response: selection extends past highestSeq");
      }
      return;
    case "time":
      ensure(body.newTime >= MIN_SETTABLE_TIME, "response: newTime before 2020-01-01");
      return;
    case "none":
      return;
  }
}

export function encodeResponse(resp: ControlResponse, counter: number): Uint8Array {
  const w = new ByteWriter(RESPONSE_HEADER_BYTES + RESPONSE_BODY_BYTES.bolus + TRAILER_BYTES)
    .u8(resp.opcode, "opcode")
    .u16(resp.requestId, "requestId")
    .u8(codeOf(RESULT_CODES, resp.result, "result"), "result");
  const body = resp.body;
  switch (body.kind) {
    case "bolus":
      w.u32(body.token, "token")
        .u32(body.dose, "dose")
        .u32(body.volumeUl, "volumeUl")
        .u32(body.time, "time")
        .u32(body.recordSeq, "recordSeq")
        .u8(body.replayed === true ? REPLAYED_FLAG : 0, "flags");
      break;
    case "selection":
      w.u16(body.count, "count").u32(body.firstSeq, "firstSeq").u32(body.highestSeq, "highestSeq");
      break;
    case "time":
      w.u32(body.previousTime, "previousTime").u32(body.newTime, "newTime");
      break;
    case "none":
      break;
    default:
      bad("bad_value", "response: unknown body kind");
  }
  validateResponse(resp);
  return closeFrame(w, counter);
}

export function decodeResponse(bytes: Uint8Array): Framed<ControlResponse> {
  const min = RESPONSE_HEADER_BYTES + TRAILER_BYTES;
  const { payloadEnd, counter } = openFrame(bytes, "response", min, min + RESPONSE_BODY_BYTES.bolus);
  const r = new ByteReader(bytes, 0, payloadEnd);
  const opcode = r.u8();
  const requestId = r.u16();
  const result: ResultName = lookup(RESULT_CODES, r.u8(), "response result");
  const kind = responseBodyKind(opcode, result);
  if (kind === undefined) {
    bad("bad_value", `response: result ${result} is not valid for opcode 0x${opcode.toString(16).padStart(2, "0")}`);
  }
  const expected = min + RESPONSE_BODY_BYTES[kind];
  if (bytes.length !== expected) bad("bad_length", `response (${result}): expected ${expected} bytes, got ${bytes.length}`);
  let body: ResponseBody;
  switch (kind) {
    case "bolus": {
      const b: Omit<BolusOutcomeBody, "replayed"> = {
        kind,
        token: r.u32(),
        dose: r.u32(),
        volumeUl: r.u32(),
        time: r.u32(),
        recordSeq: r.u32(),
      };
      const flags = r.u8();
      ensure((flags & ~REPLAYED_FLAG) === 0, "response: reserved flag bits set");
      body = { ...b, replayed: (flags & REPLAYED_FLAG) !== 0 };
      break;
    }
    case "selection":
      body = { kind, count: r.u16(), firstSeq: r.u32(), highestSeq: r.u32() } satisfies SelectionBody;
      break;
    case "time":
      body = { kind, previousTime: r.u32(), newTime: r.u32() } satisfies TimeBody;
      break;
    case "none":
      body = { kind };
      break;
  }
  const resp: ControlResponse = { opcode, requestId, result, body };
  validateResponse(resp);
  return { value: resp, counter };
}

// ---------------------------------------------------------------------------------------------
// Records

function recordPayload(rec: PumpRecord): { typeCode: number; payload: Uint8Array } {
  if (rec.kind === "unknown") {
    checkUint(rec.typeCode, 0xff, "typeCode");
    ensure(
      !Object.values(RECORD_TYPE_CODES).includes(rec.typeCode as never) && rec.typeCode !== 0,
      `record: type code ${rec.typeCode} is known or reserved; use its kind`,
    );
    ensure(typeof rec.payloadHex === "string" && /^([0-9a-f]{2})*$/.test(rec.payloadHex), "record: payloadHex must be lowercase hex");
    const payload = fromHex(rec.payloadHex);
    ensure(payload.length <= 0xff, "record: payload longer than 255 bytes");
    return { typeCode: rec.typeCode, payload };
  }
  const typeCode = codeOf(RECORD_TYPE_CODES, rec.kind, "record kind");
  const w = new ByteWriter(RECORD_PAYLOAD_BYTES[rec.kind]);
  switch (rec.kind) {
    case "bolus_delivered":
      ensure(rec.token !== 0, "record: token 0 is reserved");
      ensure(rec.dose >= 1 && rec.volumeUl >= 1, "record: a delivered bolus has a dose and a volume");
      w.u32(rec.token, "token").u32(rec.dose, "dose").u32(rec.volumeUl, "volumeUl").u16(rec.permissionVersion, "permissionVersion");
      break;
    case "bolus_denied":
      ensure(rec.token !== 0, "record: token 0 is reserved");
      w.u32(rec.token, "token").u32(rec.requestedDose, "requestedDose");
      ensure(isBolusDenial(rec.reason), `record: ${String(rec.reason)} is not a bolus denial reason`);
      w.u8(RESULT_CODES[rec.reason], "reason");
      break;
    case "alarm_raised":
    case "alarm_cleared":
      checkUint(rec.alarmBit, 15, "alarmBit");
      checkUint(rec.alarmFlags, 0xffff, "alarmFlags");
      checkAlarmRecord(rec.kind, rec.alarmBit, rec.alarmFlags);
      w.u8(rec.alarmBit, "alarmBit").u16(rec.alarmFlags, "alarmFlags");
      break;
    case "refill":
      w.u32(rec.addedUl, "addedUl").u32(rec.reservoirUl, "reservoirUl").u32(rec.concentration, "concentration");
      ensure(rec.concentration >= 1, "record: concentration must be at least 1");
      break;
    case "therapy_changed":
      w.u8(codeOf(THERAPY_STATE_CODES, rec.therapyState, "therapyState"), "therapyState")
        .u32(rec.basalDosePerDay, "basalDosePerDay")
        .u32(rec.concentration, "concentration");
      ensure(rec.concentration >= 1, "record: concentration must be at least 1");
      break;
    case "reservoir_reading":
      w.u32(rec.reservoirUl, "reservoirUl");
      break;
    case "battery":
      w.u8(rec.percent, "percent").u16(rec.millivolts, "millivolts");
      ensure(rec.percent <= 100, "record: battery percent above 100");
      break;
    case "permission_changed":
      checkBool(rec.enabled, "enabled");
      w.u8(rec.enabled ? BOLUS_ENABLED_FLAG : 0, "flags")
        .u32(rec.dose, "dose")
        .u32(rec.lockoutS, "lockoutS")
        .u32(rec.durationS, "durationS")
        .u8(rec.maxPer24h, "maxPer24h")
        .u16(rec.version, "version");
      if (rec.enabled) ensure(rec.dose >= 1, "record: an enabled bolus needs a dose");
      break;
    case "time_set":
      w.u32(rec.previousTime, "previousTime").u32(rec.newTime, "newTime");
      break;
    default:
      bad("bad_value", "record: unknown kind");
  }
  return { typeCode, payload: w.finish() };
}

function checkAlarmRecord(kind: "alarm_raised" | "alarm_cleared", bit: number, flags: number): void {
  const set = (flags & (1 << bit)) !== 0;
  ensure(kind === "alarm_raised" ? set : !set, `record: ${kind} must leave alarm bit ${bit} ${kind === "alarm_raised" ? "set" : "clear"}`);
}

function decodeRecordPayload(seq: number, time: number, typeCode: number, r: ByteReader, len: number): PumpRecord {
  const kind = (Object.keys(RECORD_TYPE_CODES) as RecordKind[]).find((k) => RECORD_TYPE_CODES[k] === typeCode);
  if (kind === undefined) {
    ensure(typeCode !== 0, "record: type code 0 is reserved");
    return { seq, time, kind: "unknown", typeCode, payloadHex: toHex(r.bytes(len)) };
  }
  if (len !== RECORD_PAYLOAD_BYTES[kind]) {
    bad("bad_length", `record ${seq} (${kind}): payload must be ${RECORD_PAYLOAD_BYTES[kind]} bytes, got ${len}`);
  }
  switch (kind) {
    case "bolus_delivered": {
      const rec = { seq, time, kind, token: r.u32(), dose: r.u32(), volumeUl: r.u32(), permissionVersion: r.u16() };
      ensure(rec.token !== 0, "record: token 0 is reserved");
      ensure(rec.dose >= 1 && rec.volumeUl >= 1, "record: a delivered bolus has a dose and a volume");
      return rec;
    }
    case "bolus_denied": {
      const token = r.u32();
      const requestedDose = r.u32();
      const reasonCode = r.u8();
      const reason = lookup(RESULT_CODES, reasonCode, "record reason");
      ensure(token !== 0, "record: token 0 is reserved");
      if (!isBolusDenial(reason)) return bad("bad_value", `record: ${reason} is not a bolus denial reason`);
      return { seq, time, kind, token, requestedDose, reason };
    }
    case "alarm_raised":
    case "alarm_cleared": {
      const alarmBit = r.u8();
      const alarmFlags = r.u16();
      ensure(alarmBit <= 15, "record: alarm bit above 15");
      checkAlarmRecord(kind, alarmBit, alarmFlags);
      return { seq, time, kind, alarmBit, alarmFlags };
    }
    case "refill": {
      const rec = { seq, time, kind, addedUl: r.u32(), reservoirUl: r.u32(), concentration: r.u32() };
      ensure(rec.concentration >= 1, "record: concentration must be at least 1");
      return rec;
    }
    case "therapy_changed": {
      const therapyState = lookup(THERAPY_STATE_CODES, r.u8(), "record therapyState");
      const rec = { seq, time, kind, therapyState, basalDosePerDay: r.u32(), concentration: r.u32() };
      ensure(rec.concentration >= 1, "record: concentration must be at least 1");
      return rec;
    }
    case "reservoir_reading":
      return { seq, time, kind, reservoirUl: r.u32() };
    case "battery": {
      const rec = { seq, time, kind, percent: r.u8(), millivolts: r.u16() };
      ensure(rec.percent <= 100, "record: battery percent above 100");
      return rec;
    }
    case "permission_changed": {
      const flags = r.u8();
      ensure((flags & ~BOLUS_ENABLED_FLAG) === 0, "record: reserved permission flag bits set");
      const rec = {
        seq,
        time,
        kind,
        enabled: (flags & BOLUS_ENABLED_FLAG) !== 0,
        dose: r.u32(),
        lockoutS: r.u32(),
        durationS: r.u32(),
        maxPer24h: r.u8(),
        version: r.u16(),
      };
      if (rec.enabled) ensure(rec.dose >= 1, "record: an enabled bolus needs a dose");
      return rec;
    }
    case "time_set":
      return { seq, time, kind, previousTime: r.u32(), newTime: r.u32() };
  }
}

/** Encoded size of one record, header included. */
export function recordSize(rec: PumpRecord): number {
  return RECORD_HEADER_BYTES + recordPayload(rec).payload.length;
}

export function encodeRecords(batch: RecordsBatch, counter: number): Uint8Array {
  checkBool(batch.more, "more");
  ensure(batch.records.length <= 0xff, "records: at most 255 records per batch");
  ensure(!(batch.more && batch.records.length === 0), "records: an empty batch cannot announce more");
  const w = new ByteWriter(MAX_READ_BYTES);
  w.u8(batch.records.length, "count").u8(batch.more ? MORE_FLAG : 0, "flags");
  let prevSeq = 0;
  for (const rec of batch.records) {
    ensure(rec.seq >= 1, "records: sequence numbers start at 1");
    ensure(rec.seq > prevSeq, "records: sequence numbers must increase within a batch");
    prevSeq = rec.seq;
    const { typeCode, payload } = recordPayload(rec);
    if (w.length + RECORD_HEADER_BYTES + payload.length + TRAILER_BYTES > MAX_READ_BYTES) {
      bad("bad_length", `records: batch exceeds ${MAX_READ_BYTES} bytes`);
    }
    w.u32(rec.seq, "seq").u32(rec.time, "time").u8(typeCode, "type").u8(payload.length, "length").bytes(payload);
  }
  return closeFrame(w, counter);
}

export function decodeRecords(bytes: Uint8Array): Framed<RecordsBatch> {
  const { payloadEnd, counter } = openFrame(bytes, "records", RECORDS_HEADER_BYTES + TRAILER_BYTES, MAX_READ_BYTES);
  const r = new ByteReader(bytes, 0, payloadEnd);
  const count = r.u8();
  const flags = r.u8();
  ensure((flags & ~MORE_FLAG) === 0, "records: reserved flag bits set");
  const more = (flags & MORE_FLAG) !== 0;
  ensure(!(more && count === 0), "records: an empty batch cannot announce more");
  const records: PumpRecord[] = [];
  let prevSeq = 0;
  for (let i = 0; i < count; i++) {
    if (r.remaining < RECORD_HEADER_BYTES) bad("bad_length", `records: record ${i + 1} of ${count} is truncated`);
    const seq = r.u32();
    const time = r.u32();
    const typeCode = r.u8();
    const len = r.u8();
    ensure(seq >= 1, "records: sequence numbers start at 1");
    ensure(seq > prevSeq, `records: sequence number ${seq} does not increase`);
    prevSeq = seq;
    if (r.remaining < len) bad("bad_length", `records: record ${seq} payload is truncated`);
    const payloadStart = r.offset;
    const rec = decodeRecordPayload(seq, time, typeCode, r, len);
    if (r.offset !== payloadStart + len) bad("bad_length", `records: record ${seq} length mismatch`);
    records.push(rec);
  }
  if (r.remaining !== 0) bad("bad_length", `records: ${r.remaining} trailing bytes after ${count} records`);
  return { value: { records, more }, counter };
}
