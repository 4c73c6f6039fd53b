/**
 * Deterministic pump device implementing protocol v1 behind a GATT-like surface.
 *
 * Pure TypeScript (no Node or browser APIs) because the same code runs the in-browser demo,
 * the Playwright peripheral (Node, via CDP BluetoothEmulation) and a dev-board process.
 *
 * Time: the simulator reads a monotonic clock (seconds) and catches up lazily on every call,
 * emitting the events that fell due in between at their exact instants. Device UTC time is the
 * monotonic time plus an offset that SET_TIME changes; bolus limits use monotonic time only, so
 * setting the clock can never shorten a lockout or the rolling 24 h window.
 */
import {
  decodeControlPoint,
  encodeRecords,
  encodeResponse,
  encodeStatus,
  RECORDS_HEADER_BYTES,
  recordSize,
  TRAILER_BYTES,
} from "@/lib/pump-link/codec";
import { PumpLinkCodecError } from "@/lib/pump-link/errors";
import {
  ALARM_BITS,
  CRITICAL_ALARM_MASK,
  MAX_READ_BYTES,
  OPCODES,
  PROTOCOL_VERSION,
  ROLLING_WINDOW_S,
  TOKEN_MEMORY_MIN,
} from "@/lib/pump-link/types";
import type {
  AlarmName,
  BolusOutcomeBody,
  BolusOutcomeResult,
  ControlCommand,
  ControlResponse,
  DoseUnit,
  PumpRecord,
  PumpStatus,
  ResultName,
  TherapyState,
} from "@/lib/pump-link/types";
import { doseToVolumeNl, nanolitreFactor } from "@/lib/pump-link/units";

/** ATT codes the Control Point answers a write with (protocol §5.1). */
export const ATT_SUCCESS = 0x00;
export const ATT_INVALID_ATTRIBUTE_VALUE_LENGTH = 0x0d;
export const ATT_E2E_CRC_MISMATCH = 0x80;

export interface SimClock {
  /** Monotonic seconds; fractions are ignored. */
  now(): number;
}

export class ManualClock implements SimClock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError("ManualClock only moves forward");
    this.t += seconds;
  }
}

export interface SimPermission {
  enabled: boolean;
  dose: number;
  lockoutS: number;
  maxPer24h: number;
  /** Delivery duration reported in Status; the simulator itself delivers instantly. */
  durationS?: number;
}

export interface SimulatorConfig {
  clock?: SimClock;
  /** Device UTC seconds at construction. */
  deviceTime?: number;
  /** false raises the timeNotSet warning until SET_TIME. */
  timeSet?: boolean;
  logId?: number;
  doseUnit?: DoseUnit;
  concentration?: number;
  basalDosePerDay?: number;
  capacityUl?: number;
  reservoirUl?: number;
  lowReservoirThresholdUl?: number;
  therapyState?: TherapyState;
  batteryPercent?: number;
  /** Seconds of operation per battery percent; 0 = battery never drains. */
  batterySecondsPerPercent?: number;
  batteryReplacementDuePercent?: number;
  batteryEndOfServicePercent?: number;
  permission?: SimPermission & { version?: number };
  /** Ring-buffer size of the event log. */
  logCapacity?: number;
  tokenMemory?: number;
  /** Interval of RESERVOIR_READING records; 0 = none. */
  reservoirReadingIntervalS?: number;
  /** Caps records per Records read (real devices may send short batches); default: as many as fit. */
  maxRecordsPerRead?: number;
}

export interface DeliveredBolus {
  token: number;
  dose: number;
  volumeUl: number;
  /** monotonic seconds */
  at: number;
  deviceTime: number;
  seq: number;
}

interface StoredOutcome {
  result: BolusOutcomeResult;
  body: BolusOutcomeBody;
}

const DEFAULTS = {
  deviceTime: 1_767_225_600, // 2026-01-01T00:00:00Z
  logId: 0x5eed_0001,
  doseUnit: "microgram" as DoseUnit,
  concentration: 2000, // baclofen 2000 µg/mL
  basalDosePerDay: 400, // → 200 µL/day
  capacityUl: 20_000,
  reservoirUl: 18_000,
  lowReservoirThresholdUl: 2_000,
  therapyState: "running" as TherapyState,
  batteryPercent: 80,
  batterySecondsPerPercent: 2_207_520, // ≈ 7 years from 100 %
  batteryReplacementDuePercent: 10,
  batteryEndOfServicePercent: 2,
  permission: { enabled: true, dose: 50, lockoutS: 3 * 3600, durationS: 0, maxPer24h: 4, version: 1 },
  logCapacity: 4096,
  reservoirReadingIntervalS: 86_400,
};

/** Alarms the simulator derives from its own state; tests cannot inject them directly. */
const DERIVED_ALARMS: readonly AlarmName[] = [
  "lowReservoir",
  "emptyReservoir",
  "batteryReplacementDue",
  "batteryEndOfService",
  "timeNotSet",
];

export class PumpSimulator {
  private readonly clock: SimClock;
  private readonly ownsClock: boolean;
  private mono: number;
  private utcOffset: number;
  private readonly logId: number;
  private readonly doseUnit: DoseUnit;
  private concentration: number;
  private basalDosePerDay: number;
  private readonly capacityUl: number;
  private readonly lowThresholdUl: number;
  private therapyState: TherapyState;
  // Reservoir as a linear segment since the last change: exact, and lets us solve for alarm instants.
  private segStart: number;
  private segStartNl: number;
  private batteryStart: number;
  private batteryStartPercent: number;
  private lastLoggedBattery: number;
  private readonly batterySecondsPerPercent: number;
  private readonly batteryDuePercent: number;
  private readonly batteryEosPercent: number;
  private permission: Required<SimPermission> & { version: number };
  private alarms = 0;
  private readonly log: PumpRecord[] = [];
  private highestSeq = 0;
  private readonly logCapacity: number;
  private readonly tokenMemory: number;
  private readonly tokens = new Map<number, StoredOutcome>();
  private readonly delivered: DeliveredBolus[] = [];
  private readonly readingInterval: number;
  private nextReadingAt: number;
  private readonly maxRecordsPerRead: number;
  private selection: { next: number; end: number } | null = null;
  private response: ControlResponse = { opcode: 0, requestId: 0, result: "success", body: { kind: "none" } };
  private responseCounter = 0;
  private txCounter = 0;
  private busy = false;
  private authorized = true;

  constructor(config: SimulatorConfig = {}) {
    this.ownsClock = config.clock === undefined;
    this.clock = config.clock ?? new ManualClock(0);
    this.mono = Math.floor(this.clock.now());
    this.utcOffset = (config.deviceTime ?? DEFAULTS.deviceTime) - this.mono;
    this.logId = config.logId ?? DEFAULTS.logId;
    this.doseUnit = config.doseUnit ?? DEFAULTS.doseUnit;
    this.concentration = config.concentration ?? DEFAULTS.concentration;
    this.basalDosePerDay = config.basalDosePerDay ?? DEFAULTS.basalDosePerDay;
    this.capacityUl = config.capacityUl ?? DEFAULTS.capacityUl;
    this.lowThresholdUl = config.lowReservoirThresholdUl ?? DEFAULTS.lowReservoirThresholdUl;
    this.therapyState = config.therapyState ?? DEFAULTS.therapyState;
    this.segStart = this.mono;
    this.segStartNl = (config.reservoirUl ?? DEFAULTS.reservoirUl) * 1000;
    this.batteryStart = this.mono;
    this.batteryStartPercent = config.batteryPercent ?? DEFAULTS.batteryPercent;
    this.lastLoggedBattery = this.batteryStartPercent;
    this.batterySecondsPerPercent = config.batterySecondsPerPercent ?? DEFAULTS.batterySecondsPerPercent;
    this.batteryDuePercent = config.batteryReplacementDuePercent ?? DEFAULTS.batteryReplacementDuePercent;
    this.batteryEosPercent = config.batteryEndOfServicePercent ?? DEFAULTS.batteryEndOfServicePercent;
    const p = config.permission ?? DEFAULTS.permission;
    this.permission = { ...p, durationS: p.durationS ?? 0, version: p.version ?? 1 };
    this.logCapacity = config.logCapacity ?? DEFAULTS.logCapacity;
    this.tokenMemory = config.tokenMemory ?? TOKEN_MEMORY_MIN;
    this.readingInterval = config.reservoirReadingIntervalS ?? DEFAULTS.reservoirReadingIntervalS;
    this.nextReadingAt = this.readingInterval > 0 ? this.mono + this.readingInterval : Infinity;
    this.maxRecordsPerRead = config.maxRecordsPerRead ?? 255;
    if (this.concentration < 1) throw new RangeError("concentration must be at least 1");
    if (this.segStartNl > this.capacityUl * 1000) throw new RangeError("reservoir exceeds capacity");
    if (config.timeSet === false) this.setAlarmBit(ALARM_BITS.timeNotSet, true);
    this.evaluateAlarms();
  }

  // -------------------------------------------------------------------------------------------
  // GATT surface

  /** Status characteristic read (protocol §4). */
  readStatus(): Uint8Array {
    this.catchUp();
    return encodeStatus(this.status(), this.nextCounter());
  }

  /**
   * Control Point write with response (protocol §5). Returns the ATT result of the write:
   * 0 = accepted (the outcome is in the Response characteristic), otherwise an ATT error code.
   */
  writeControlPoint(bytes: Uint8Array): number {
    this.catchUp();
    let command: ControlCommand;
    try {
      command = decodeControlPoint(bytes).value;
    } catch (err) {
      if (!(err instanceof PumpLinkCodecError)) throw err;
      const opcode = bytes[0] ?? 0;
      const requestId = bytes.length >= 3 ? (bytes[1] ?? 0) | ((bytes[2] ?? 0) << 8) : 0;
      switch (err.code) {
        case "bad_crc":
          this.respond(opcode, requestId, "bad_crc");
          return ATT_E2E_CRC_MISMATCH;
        case "bad_length":
          this.respond(opcode, requestId, "bad_length");
          return ATT_INVALID_ATTRIBUTE_VALUE_LENGTH;
        case "unknown_opcode":
          this.respond(opcode, requestId, "unknown_opcode");
          return ATT_SUCCESS;
        default:
          this.respond(opcode, requestId, "invalid_parameter");
          return ATT_SUCCESS;
      }
    }
    this.execute(command);
    return ATT_SUCCESS;
  }

  /** Response characteristic read: the answer to the latest Control Point write (protocol §6). */
  readResponse(): Uint8Array {
    return encodeResponse(this.response, this.responseCounter);
  }

  /** Records characteristic read: the next batch of the current selection (protocol §7). */
  readRecords(): Uint8Array {
    this.catchUp();
    const records: PumpRecord[] = [];
    const sel = this.selection;
    if (sel !== null) {
      // Records overwritten in the ring since SELECT are skipped; the client sees the gap in the seqs.
      sel.next = Math.max(sel.next, this.oldestSeq());
      let size = RECORDS_HEADER_BYTES + TRAILER_BYTES;
      while (sel.next <= sel.end && records.length < this.maxRecordsPerRead) {
        const rec = this.recordAt(sel.next);
        if (rec === undefined) break;
        const recBytes = recordSize(rec);
        if (size + recBytes > MAX_READ_BYTES) break;
        size += recBytes;
        records.push(rec);
        sel.next++;
      }
    }
    const more = sel !== null && sel.next <= sel.end && records.length > 0;
    if (sel !== null && !more) this.selection = null;
    return encodeRecords({ records, more }, this.nextCounter());
  }

  /** The link dropped: selections do not survive a disconnection; the Response does. */
  disconnect(): void {
    this.selection = null;
  }

  // -------------------------------------------------------------------------------------------
  // helpers for tests, the demo and the clinician side

  advanceTime(seconds: number): void {
    if (!this.ownsClock || !(this.clock instanceof ManualClock)) {
      throw new Error("advanceTime needs the simulator's own ManualClock; advance the injected clock instead");
    }
    this.clock.advance(seconds);
    this.catchUp();
  }

  /** Decoded status, as the device would report it now. */
  status(): PumpStatus {
    this.catchUp();
    const p = this.permission;
    const used = this.deliveriesInWindow();
    return {
      protocolVersion: PROTOCOL_VERSION,
      doseUnit: this.doseUnit,
      therapyState: this.therapyState,
      batteryPercent: this.batteryPercent(this.mono),
      deviceTime: this.deviceTime(),
      logId: this.logId,
      highestSeq: this.highestSeq,
      reservoirUl: this.reservoirUl(),
      capacityUl: this.capacityUl,
      lowReservoirThresholdUl: this.lowThresholdUl,
      concentration: this.concentration,
      basalDosePerDay: this.basalDosePerDay,
      alarmFlags: this.alarms,
      permission: {
        enabled: p.enabled,
        dose: p.dose,
        volumeUl: this.bolusVolumeUl(),
        lockoutS: p.lockoutS,
        durationS: p.durationS,
        maxPer24h: p.maxPer24h,
        version: p.version,
      },
      bolus: {
        lockoutRemainingS: this.lockoutRemaining(),
        usedLast24h: Math.min(used.length, 255),
        dailyMaxResetS: this.dailyMaxReset(used),
      },
    };
  }

  deviceTime(): number {
    return this.mono + this.utcOffset;
  }

  /** Every bolus the device actually delivered (ground truth for tests). */
  deliveries(): readonly DeliveredBolus[] {
    return this.delivered;
  }

  /** Records still held in the ring buffer, oldest first. */
  heldRecords(): readonly PumpRecord[] {
    this.catchUp();
    return this.log;
  }

  injectAlarm(alarm: AlarmName | number): void {
    this.catchUp();
    this.setAlarmBit(this.injectableBit(alarm), true);
  }

  clearAlarm(alarm: AlarmName | number): void {
    this.catchUp();
    this.setAlarmBit(this.injectableBit(alarm), false);
  }

  /**
   * Appends `count` historical records (reservoir readings, battery readings, therapy snapshots)
   * spaced `spacingS` apart and ending now, never before the newest record already held.
   */
  seedHistory(count: number, spacingS = 600): void {
    this.catchUp();
    const now = this.deviceTime();
    const floor = this.log.at(-1)?.time ?? 0;
    for (let i = 0; i < count; i++) {
      const time = Math.max(floor, now - (count - 1 - i) * spacingS);
      switch (i % 3) {
        case 0:
          this.append({ kind: "reservoir_reading", reservoirUl: this.reservoirUl() }, time);
          break;
        case 1: {
          const percent = this.batteryPercent(this.mono);
          this.append({ kind: "battery", percent, millivolts: batteryMillivolts(percent) }, time);
          break;
        }
        default:
          this.append(
            {
              kind: "therapy_changed",
              therapyState: this.therapyState,
              basalDosePerDay: this.basalDosePerDay,
              concentration: this.concentration,
            },
            time,
          );
      }
    }
  }

  /** A refill by the clinician: adds volume (clamped to capacity), optionally a new concentration. */
  refill(addedUl: number, concentration = this.concentration): void {
    this.catchUp();
    const before = this.reservoirNl(this.mono);
    const after = Math.min(this.capacityUl * 1000, before + addedUl * 1000);
    this.concentration = concentration;
    this.rebase(after);
    this.append({
      kind: "refill",
      addedUl: Math.round((after - before) / 1000),
      reservoirUl: this.reservoirUl(),
      concentration,
    });
    this.evaluateAlarms();
  }

  changeTherapy(change: { therapyState?: TherapyState; basalDosePerDay?: number; concentration?: number }): void {
    this.catchUp();
    this.rebase(this.reservoirNl(this.mono));
    this.therapyState = change.therapyState ?? this.therapyState;
    this.basalDosePerDay = change.basalDosePerDay ?? this.basalDosePerDay;
    this.concentration = change.concentration ?? this.concentration;
    this.append({
      kind: "therapy_changed",
      therapyState: this.therapyState,
      basalDosePerDay: this.basalDosePerDay,
      concentration: this.concentration,
    });
    this.evaluateAlarms();
  }

  /** Clinician changes the bolus permission; the version moves on so stale phone requests are refused. */
  setPermission(change: Partial<SimPermission>): number {
    this.catchUp();
    const version = this.permission.version >= 0xffff ? 1 : this.permission.version + 1;
    this.permission = { ...this.permission, ...change, version };
    const p = this.permission;
    this.append({
      kind: "permission_changed",
      enabled: p.enabled,
      dose: p.dose,
      lockoutS: p.lockoutS,
      durationS: p.durationS,
      maxPer24h: p.maxPer24h,
      version,
    });
    return version;
  }

  /** While busy (e.g. the handheld's own menu is mid-operation) every command answers `busy`. */
  setBusy(busy: boolean): void {
    this.busy = busy;
  }

  /** An unauthorised central gets `not_authorized` for every command. */
  setAuthorized(authorized: boolean): void {
    this.authorized = authorized;
  }

  // -------------------------------------------------------------------------------------------
  // commands

  private execute(cmd: ControlCommand): void {
    const opcode = opcodeOf(cmd);
    if (!this.authorized) return this.respond(opcode, cmd.requestId, "not_authorized");
    if (this.busy) return this.respond(opcode, cmd.requestId, "busy");
    switch (cmd.op) {
      case "request_bolus": {
        const remembered = this.tokens.get(cmd.token);
        if (remembered !== undefined) {
          return this.respond(opcode, cmd.requestId, remembered.result, { ...remembered.body, replayed: true });
        }
        const outcome = this.decideBolus(cmd.token, cmd.dose, cmd.permissionVersion);
        this.remember(cmd.token, outcome);
        return this.respond(opcode, cmd.requestId, outcome.result, outcome.body);
      }
      case "query_bolus": {
        const remembered = this.tokens.get(cmd.token);
        if (remembered === undefined) return this.respond(opcode, cmd.requestId, "token_unknown");
        return this.respond(opcode, cmd.requestId, remembered.result, { ...remembered.body, replayed: true });
      }
      case "select_records": {
        const first = Math.max(cmd.fromSeq, this.oldestSeq());
        if (this.highestSeq === 0 || first > this.highestSeq) {
          this.selection = null;
          return this.respond(opcode, cmd.requestId, "success", {
            kind: "selection",
            count: 0,
            firstSeq: 0,
            highestSeq: this.highestSeq,
          });
        }
        const count = Math.min(cmd.maxCount, this.highestSeq - first + 1);
        this.selection = { next: first, end: first + count - 1 };
        return this.respond(opcode, cmd.requestId, "success", {
          kind: "selection",
          count,
          firstSeq: first,
          highestSeq: this.highestSeq,
        });
      }
      case "set_time": {
        const previousTime = this.deviceTime();
        this.utcOffset = cmd.time - this.mono;
        this.append({ kind: "time_set", previousTime, newTime: cmd.time });
        this.setAlarmBit(ALARM_BITS.timeNotSet, false);
        return this.respond(opcode, cmd.requestId, "success", { kind: "time", previousTime, newTime: cmd.time });
      }
    }
  }

  /** Rule order is part of the protocol (§5.3): the first failing rule is the reason reported. */
  private decideBolus(token: number, dose: number, permissionVersion: number): StoredOutcome {
    const p = this.permission;
    const volumeUl = this.bolusVolumeUl();
    let reason: Exclude<BolusOutcomeResult, "success"> | undefined;
    if (this.therapyState !== "running") reason = "therapy_not_running";
    else if ((this.alarms & CRITICAL_ALARM_MASK) !== 0) reason = "critical_alarm_active";
    else if (!p.enabled) reason = "bolus_disabled";
    else if (permissionVersion !== p.version) reason = "stale_permission";
    else if (dose !== p.dose) reason = "dose_not_permitted";
    else if (this.lockoutRemaining() > 0) reason = "lockout_active";
    else if (this.deliveriesInWindow().length >= p.maxPer24h) reason = "daily_max_reached";
    else if (!(this.reservoirUl() > this.lowThresholdUl + volumeUl)) reason = "reservoir_too_low";

    const time = this.deviceTime();
    if (reason !== undefined) {
      const seq = this.append({ kind: "bolus_denied", token, requestedDose: dose, reason });
      return { result: reason, body: { kind: "bolus", token, dose: 0, volumeUl: 0, time, recordSeq: seq, replayed: false } };
    }
    const volumeNl = doseToVolumeNl(dose, this.concentration, this.doseUnit);
    this.rebase(Math.max(0, this.reservoirNl(this.mono) - volumeNl));
    const seq = this.append({ kind: "bolus_delivered", token, dose, volumeUl, permissionVersion: p.version });
    this.delivered.push({ token, dose, volumeUl, at: this.mono, deviceTime: time, seq });
    this.evaluateAlarms();
    return { result: "success", body: { kind: "bolus", token, dose, volumeUl, time, recordSeq: seq, replayed: false } };
  }

  private remember(token: number, outcome: StoredOutcome): void {
    this.tokens.set(token, outcome);
    while (this.tokens.size > this.tokenMemory) {
      const oldest = this.tokens.keys().next();
      if (oldest.done === true) break;
      this.tokens.delete(oldest.value);
    }
  }

  private respond(opcode: number, requestId: number, result: ResultName, body?: ControlResponse["body"]): void {
    this.response = { opcode, requestId, result, body: body ?? { kind: "none" } };
    this.responseCounter = this.nextCounter();
  }

  // -------------------------------------------------------------------------------------------
  // time

  private catchUp(): void {
    const target = Math.floor(this.clock.now());
    while (target > this.mono) {
      const due = Math.min(this.nextReadingAt, this.nextAlarmCrossing(), this.nextBatteryStep());
      if (due > target) break;
      this.mono = Math.max(this.mono, due);
      this.batteryTick();
      this.evaluateAlarms();
      if (this.nextReadingAt <= this.mono) {
        this.append({ kind: "reservoir_reading", reservoirUl: this.reservoirUl() });
        this.nextReadingAt = this.mono + this.readingInterval;
      }
    }
    this.mono = Math.max(this.mono, target);
  }

  /** Earliest instant after now at which the reservoir crosses the low or empty level. */
  private nextAlarmCrossing(): number {
    const rate = this.basalRate();
    if (rate === null) return Infinity;
    let t = Infinity;
    if (!this.hasAlarm(ALARM_BITS.lowReservoir)) t = Math.min(t, this.whenAtOrBelowUl(this.lowThresholdUl, rate));
    if (!this.hasAlarm(ALARM_BITS.emptyReservoir)) t = Math.min(t, this.whenAtOrBelowUl(0, rate));
    return Math.max(t, this.mono + 1);
  }

  private whenAtOrBelowUl(ul: number, rate: { num: bigint; den: bigint }): number {
    // reservoir µL ≤ ul  ⇔  nL < (ul+1)·1000  ⇔  drained ≥ segStartNl − (ul+1)·1000 + 1
    const need = BigInt(this.segStartNl - (ul + 1) * 1000 + 1);
    if (need <= 0n) return this.segStart;
    return this.segStart + Number((need * rate.den + rate.num - 1n) / rate.num);
  }

  private nextBatteryStep(): number {
    if (this.batterySecondsPerPercent <= 0 || this.batteryPercent(this.mono) === 0) return Infinity;
    const steps = Math.floor((this.mono - this.batteryStart) / this.batterySecondsPerPercent);
    return this.batteryStart + (steps + 1) * this.batterySecondsPerPercent;
  }

  private batteryTick(): void {
    const percent = this.batteryPercent(this.mono);
    if (percent !== this.lastLoggedBattery) {
      this.lastLoggedBattery = percent;
      this.append({ kind: "battery", percent, millivolts: batteryMillivolts(percent) });
    }
  }

  // -------------------------------------------------------------------------------------------
  // state

  private basalRate(): { num: bigint; den: bigint } | null {
    if (this.therapyState !== "running" || this.basalDosePerDay === 0) return null;
    return {
      num: BigInt(this.basalDosePerDay) * BigInt(nanolitreFactor(this.doseUnit)),
      den: BigInt(this.concentration) * BigInt(86_400),
    };
  }

  private reservoirNl(t: number): number {
    const rate = this.basalRate();
    if (rate === null) return this.segStartNl;
    const drained = Number((rate.num * BigInt(Math.max(0, t - this.segStart))) / rate.den);
    return Math.max(0, this.segStartNl - drained);
  }

  private rebase(nl: number): void {
    this.segStartNl = nl;
    this.segStart = this.mono;
  }

  private reservoirUl(): number {
    return Math.floor(this.reservoirNl(this.mono) / 1000);
  }

  private bolusVolumeUl(): number {
    return this.permission.dose === 0 ? 0 : Math.ceil(doseToVolumeNl(this.permission.dose, this.concentration, this.doseUnit) / 1000);
  }

  private batteryPercent(t: number): number {
    if (this.batterySecondsPerPercent <= 0) return this.batteryStartPercent;
    const used = Math.floor((t - this.batteryStart) / this.batterySecondsPerPercent);
    return Math.max(0, this.batteryStartPercent - used);
  }

  private lockoutRemaining(): number {
    const last = this.delivered.at(-1);
    if (last === undefined) return 0;
    return Math.max(0, last.at + this.permission.lockoutS - this.mono);
  }

  /** Deliveries at monotonic t count while now < t + 24 h. */
  private deliveriesInWindow(): DeliveredBolus[] {
    return this.delivered.filter((d) => this.mono < d.at + ROLLING_WINDOW_S);
  }

  private dailyMaxReset(inWindow: DeliveredBolus[]): number {
    const max = this.permission.maxPer24h;
    if (inWindow.length < max) return 0;
    // The (n − max + 1)-th oldest delivery must leave the window before another is allowed.
    const pivot = inWindow[inWindow.length - max];
    if (pivot === undefined) return 0; // max 0: never resets
    return pivot.at + ROLLING_WINDOW_S - this.mono;
  }

  private evaluateAlarms(): void {
    const ul = this.reservoirUl();
    const battery = this.batteryPercent(this.mono);
    this.setAlarmBit(ALARM_BITS.lowReservoir, ul <= this.lowThresholdUl);
    this.setAlarmBit(ALARM_BITS.emptyReservoir, ul === 0);
    this.setAlarmBit(ALARM_BITS.batteryReplacementDue, battery <= this.batteryDuePercent);
    this.setAlarmBit(ALARM_BITS.batteryEndOfService, battery <= this.batteryEosPercent);
  }

  private hasAlarm(bit: number): boolean {
    return (this.alarms & (1 << bit)) !== 0;
  }

  private setAlarmBit(bit: number, on: boolean): void {
    if (this.hasAlarm(bit) === on) return;
    this.alarms = on ? this.alarms | (1 << bit) : this.alarms & ~(1 << bit);
    this.append(
      on ? { kind: "alarm_raised", alarmBit: bit, alarmFlags: this.alarms } : { kind: "alarm_cleared", alarmBit: bit, alarmFlags: this.alarms },
    );
  }

  private injectableBit(alarm: AlarmName | number): number {
    if (typeof alarm === "number") {
      if (!Number.isInteger(alarm) || alarm < 0 || alarm > 15) throw new RangeError("alarm bit must be 0..15");
      if (alarm <= 7) return this.injectableBit((Object.keys(ALARM_BITS) as AlarmName[])[alarm] ?? "motorStall");
      return alarm;
    }
    if (DERIVED_ALARMS.includes(alarm)) throw new Error(`${alarm} follows the simulated state; change the state instead`);
    return ALARM_BITS[alarm];
  }

  // -------------------------------------------------------------------------------------------
  // log

  private append(event: DistributiveOmit<PumpRecord, "seq" | "time">, time = this.deviceTime()): number {
    const seq = ++this.highestSeq;
    this.log.push({ ...event, seq, time } as PumpRecord);
    if (this.log.length > this.logCapacity) this.log.shift();
    return seq;
  }

  private oldestSeq(): number {
    return this.highestSeq - this.log.length + 1;
  }

  private recordAt(seq: number): PumpRecord | undefined {
    return this.log[seq - this.oldestSeq()];
  }

  private nextCounter(): number {
    this.txCounter = (this.txCounter + 1) & 0xff;
    return this.txCounter;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function opcodeOf(cmd: ControlCommand): number {
  return OPCODES[cmd.op];
}

/** Simulator-only battery model; real devices report measured voltage. */
function batteryMillivolts(percent: number): number {
  return 2600 + percent * 8;
}
