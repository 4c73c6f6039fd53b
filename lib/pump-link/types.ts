/**
 * Decoded forms of every pump link v1 value (docs/pump-link-protocol.md).
 * Units follow the project rules: doses integer µg (insulin: milli-units), volumes integer µL,
 * concentrations integer µg/mL (insulin: U/mL), durations integer seconds, times UTC seconds.
 */

export const PROTOCOL_VERSION = 1;

/** Largest value a Control Point write may have: Web Bluetooth cannot negotiate a larger ATT MTU. */
export const MAX_WRITE_BYTES = 20;
/** Largest attribute value ATT allows; Records batches never exceed it. */
export const MAX_READ_BYTES = 512;
/** The device MUST remember at least this many bolus decisions by token. */
export const TOKEN_MEMORY_MIN = 64;
/** SET_TIME refuses earlier instants: a phone whose clock says 1970 must not set the pump. */
export const MIN_SETTABLE_TIME = 1_577_836_800; // 2020-01-01T00:00:00Z
export const ROLLING_WINDOW_S = 86_400;

// ---------------------------------------------------------------------------------------------
// Status

export type DoseUnit = "microgram" | "milliunit";
export const DOSE_UNIT_CODES: Readonly<Record<DoseUnit, number>> = { microgram: 0, milliunit: 1 };

export type TherapyState = "stopped" | "running" | "paused";
export const THERAPY_STATE_CODES: Readonly<Record<TherapyState, number>> = { stopped: 0, running: 1, paused: 2 };

/** Bit positions in the 16-bit alarm field. */
export const ALARM_BITS = {
  lowReservoir: 0,
  emptyReservoir: 1,
  batteryReplacementDue: 2,
  batteryEndOfService: 3,
  motorStall: 4,
  memoryError: 5,
  occlusion: 6,
  timeNotSet: 7,
} as const;
export type AlarmName = keyof typeof ALARM_BITS;

/** Alarms that are warnings; every other bit, including the reserved ones, is treated as critical. */
export const WARNING_ALARM_MASK =
  (1 << ALARM_BITS.lowReservoir) | (1 << ALARM_BITS.batteryReplacementDue) | (1 << ALARM_BITS.timeNotSet);
export const CRITICAL_ALARM_MASK = 0xffff & ~WARNING_ALARM_MASK;

export interface BolusPermission {
  enabled: boolean;
  /** µg (insulin: mU) per bolus */
  dose: number;
  /** µL the device delivers for one bolus (device-computed, rounded up) */
  volumeUl: number;
  lockoutS: number;
  /** seconds over which one bolus is delivered (0 = as fast as the pump can) */
  durationS: number;
  maxPer24h: number;
  /** Changes whenever the clinician changes the permission; a request must carry the current one. */
  version: number;
}

export interface BolusLiveState {
  lockoutRemainingS: number;
  /** boluses delivered in the rolling 24 h ending now */
  usedLast24h: number;
  /** seconds until usedLast24h drops below the maximum; 0 when below it */
  dailyMaxResetS: number;
}

export interface PumpStatus {
  protocolVersion: number;
  doseUnit: DoseUnit;
  therapyState: TherapyState;
  batteryPercent: number;
  deviceTime: number;
  /** Identity of the event log; changes when the log is erased, which restarts sequence numbers. */
  logId: number;
  /** Highest event sequence number logged; 0 when the log is empty. */
  highestSeq: number;
  reservoirUl: number;
  capacityUl: number;
  lowReservoirThresholdUl: number;
  concentration: number;
  basalDosePerDay: number;
  alarmFlags: number;
  permission: BolusPermission;
  bolus: BolusLiveState;
}

// ---------------------------------------------------------------------------------------------
// Control Point

export const OPCODES = {
  none: 0x00,
  request_bolus: 0x01,
  select_records: 0x02,
  set_time: 0x03,
  query_bolus: 0x04,
} as const;
export type CommandName = Exclude<keyof typeof OPCODES, "none">;

export type ControlCommand =
  | { op: "request_bolus"; requestId: number; token: number; dose: number; permissionVersion: number }
  | { op: "select_records"; requestId: number; fromSeq: number; maxCount: number }
  | { op: "set_time"; requestId: number; time: number }
  | { op: "query_bolus"; requestId: number; token: number };

// ---------------------------------------------------------------------------------------------
// Response

export const RESULT_CODES = {
  success: 0x00,
  lockout_active: 0x01,
  daily_max_reached: 0x02,
  bolus_disabled: 0x03,
  reservoir_too_low: 0x04,
  critical_alarm_active: 0x05,
  stale_permission: 0x06,
  dose_not_permitted: 0x07,
  therapy_not_running: 0x08,
  bad_crc: 0x80,
  bad_length: 0x81,
  unknown_opcode: 0x82,
  invalid_parameter: 0x83,
  busy: 0x84,
  token_unknown: 0x85,
  not_authorized: 0x86,
} as const;
export type ResultName = keyof typeof RESULT_CODES;

/** Refusals that are bolus DECISIONS: logged as BOLUS_DENIED and remembered by token. */
export const BOLUS_DENIAL_RESULTS = [
  "lockout_active",
  "daily_max_reached",
  "bolus_disabled",
  "reservoir_too_low",
  "critical_alarm_active",
  "stale_permission",
  "dose_not_permitted",
  "therapy_not_running",
] as const satisfies readonly ResultName[];
export type BolusDenialReason = (typeof BOLUS_DENIAL_RESULTS)[number];
export type BolusOutcomeResult = "success" | BolusDenialReason;

export interface BolusOutcomeBody {
  kind: "bolus";
  token: number;
  /** delivered dose; 0 when denied */
  dose: number;
  /** delivered volume µL; 0 when denied */
  volumeUl: number;
  /** device time of the decision */
  time: number;
  /** sequence number of the BOLUS_DELIVERED / BOLUS_DENIED record */
  recordSeq: number;
  /** true when this outcome was decided by an earlier request carrying the same token */
  replayed: boolean;
}

export interface SelectionBody {
  kind: "selection";
  /** number of records selected (0 = nothing at or after fromSeq) */
  count: number;
  /** seq of the first selected record; > fromSeq when older records were overwritten; 0 when count is 0 */
  firstSeq: number;
  highestSeq: number;
}

export interface TimeBody {
  kind: "time";
  previousTime: number;
  newTime: number;
}

export type ResponseBody = { kind: "none" } | BolusOutcomeBody | SelectionBody | TimeBody;

export interface ControlResponse {
  /** opcode byte of the request this answers (echoed raw, so it may be unknown); 0 = no request yet */
  opcode: number;
  requestId: number;
  result: ResultName;
  body: ResponseBody;
}

// ---------------------------------------------------------------------------------------------
// Records

export const RECORD_TYPE_CODES = {
  bolus_delivered: 0x01,
  bolus_denied: 0x02,
  alarm_raised: 0x03,
  alarm_cleared: 0x04,
  refill: 0x05,
  therapy_changed: 0x06,
  reservoir_reading: 0x07,
  battery: 0x08,
  permission_changed: 0x09,
  time_set: 0x0a,
} as const;
export type RecordKind = keyof typeof RECORD_TYPE_CODES;

interface RecordBase {
  seq: number;
  /** device time (UTC seconds) when the event happened */
  time: number;
}

export type PumpRecord = RecordBase &
  (
    | { kind: "bolus_delivered"; token: number; dose: number; volumeUl: number; permissionVersion: number }
    | { kind: "bolus_denied"; token: number; requestedDose: number; reason: BolusDenialReason }
    | { kind: "alarm_raised"; alarmBit: number; alarmFlags: number }
    | { kind: "alarm_cleared"; alarmBit: number; alarmFlags: number }
    | { kind: "refill"; addedUl: number; reservoirUl: number; concentration: number }
    | { kind: "therapy_changed"; therapyState: TherapyState; basalDosePerDay: number; concentration: number }
    | { kind: "reservoir_reading"; reservoirUl: number }
    | { kind: "battery"; percent: number; millivolts: number }
    | {
        kind: "permission_changed";
        enabled: boolean;
        dose: number;
        lockoutS: number;
        durationS: number;
        maxPer24h: number;
        version: number;
      }
    | { kind: "time_set"; previousTime: number; newTime: number }
    /** A record type this app version does not know: kept so that sync never stalls on newer firmware. */
    | { kind: "unknown"; typeCode: number; payloadHex: string }
  );

export interface RecordsBatch {
  records: PumpRecord[];
  /** more selected records remain after this batch */
  more: boolean;
}

/** A decoded value together with its E2E counter. */
export interface Framed<T> {
  value: T;
  counter: number;
}
