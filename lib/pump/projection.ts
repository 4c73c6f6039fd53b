/**
 * Refill projection: when will the reservoir reach the low-reservoir alarm threshold, and when
 * will it be empty? See docs/refill-projection.md for the formula and the edge cases.
 *
 * Two scenarios (DESIGN.md, "The pump, numerically"):
 * - worst case: basal + every permitted bolus every day;
 * - expected: basal + the bolus volume actually delivered over the last 7 days ÷ 7.
 * Both are projected from the time of the status reading (the reservoir kept draining since),
 * not from `now`. Running out is dangerous (abrupt intrathecal baclofen withdrawal can be fatal),
 * so every ambiguity is resolved towards the earlier date, and missing or inconsistent data
 * yields an explicit "unknown" rather than a plausible-looking date.
 */
import { getDrug, type DrugId } from "@/lib/pump/drugs";
import { formatDate } from "@/lib/pump/time";
import { doseToVolumeUl, formatDailyVolume, formatDecimal, formatVolume } from "@/lib/pump/units";

export const MS_PER_DAY = 86_400_000;
/** Largest epoch ms a Date can hold. */
const MAX_DATE_MS = 8.64e15;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

export interface ReservoirReading {
  /** Reservoir volume reported by the latest status reading, µL. */
  readonly reservoirUl: number;
  /** When the device measured it (UTC). */
  readonly at: Date;
  /**
   * The device reports delivery suspended: neither basal nor boluses are delivered. Assumed to
   * have held since the reading (that is what the reading says).
   */
  readonly deliveryPaused?: boolean;
}

export interface ProjectionPrescription {
  /** A catalogue id; a plain string so a DB text column can be passed as is (unknown → "unknown_drug"). */
  readonly drug: DrugId | string;
  /** µg/mL (insulin: U/mL). */
  readonly concentration: number;
  /** µg/day (insulin: mU/day). 0 = therapy on hold. */
  readonly dailyDose: number;
  readonly lowReservoirThresholdUl: number;
}

export interface ProjectionBolusPermission {
  /** µg (insulin: mU) per bolus. */
  readonly dose: number;
  readonly maxPer24h: number;
  readonly enabled: boolean;
}

export interface ProjectionInput {
  readonly reading: ReservoirReading | null;
  /** Reservoir capacity, µL; null when the pump model is unknown (skips the capacity checks). */
  readonly capacityUl: number | null;
  readonly prescription: ProjectionPrescription | null;
  readonly bolusPermission: ProjectionBolusPermission | null;
  /** Bolus volume confirmed delivered in the 7 days before `now`, µL. */
  readonly bolusVolumeLast7DaysUl: number;
  readonly now: Date;
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

export type ScenarioStatus = "ok" | "already_below_threshold" | "no_consumption" | "unknown";

export type UnknownReason =
  | "no_prescription"
  | "no_reading"
  | "unknown_drug"
  | "invalid_concentration"
  | "invalid_daily_dose"
  | "invalid_threshold"
  | "invalid_reading"
  | "invalid_capacity"
  | "reading_above_capacity"
  | "invalid_bolus_permission"
  | "invalid_bolus_history";

interface KnownScenarioBase {
  /** Volume this scenario consumes per day, µL/day (fractional). */
  readonly dailyVolumeUl: number;
  /** Estimated reservoir at `now` under this scenario, µL (fractional, never below 0). */
  readonly volumeAtNowUl: number;
}

/** The threshold is reached strictly after `now`. */
export interface OkScenario extends KnownScenarioBase {
  readonly status: "ok";
  readonly lowReservoirAt: Date;
  readonly emptyAt: Date;
  /** (reservoir − threshold) / daily volume: days from the reading to the low date. */
  readonly daysFromReadingToLow: number;
}

/**
 * At `now` the reservoir is at or below the threshold: either the reading itself was (then
 * `lowReservoirAt` is the reading time: the true crossing is unknown but no later), or the
 * projected crossing lies between the reading and `now`.
 */
export interface BelowThresholdScenario extends KnownScenarioBase {
  readonly status: "already_below_threshold";
  readonly lowReservoirAt: Date;
  /** null when nothing is consumed (the reservoir stays where it is). May lie in the past. */
  readonly emptyAt: Date | null;
  readonly daysFromReadingToLow: number;
}

/** Nothing is consumed (daily dose 0 and no boluses, or delivery paused): never reaches it. */
export interface NoConsumptionScenario extends KnownScenarioBase {
  readonly status: "no_consumption";
  readonly lowReservoirAt: null;
  readonly emptyAt: null;
  readonly daysFromReadingToLow: null;
}

export interface UnknownScenario {
  readonly status: "unknown";
  readonly reason: UnknownReason;
  readonly message: string;
  readonly lowReservoirAt: null;
  readonly emptyAt: null;
  readonly daysFromReadingToLow: null;
}

export type KnownScenario = OkScenario | BelowThresholdScenario | NoConsumptionScenario;
export type ScenarioProjection = KnownScenario | UnknownScenario;

export interface KnownProjection {
  readonly kind: "known";
  readonly now: Date;
  readonly drug: DrugId;
  readonly readingAt: Date;
  readonly readingReservoirUl: number;
  readonly thresholdUl: number;
  readonly capacityUl: number | null;
  readonly deliveryPaused: boolean;
  /** dailyDose × 1000 / concentration (insulin: mU / (U/mL)); 0 when paused. */
  readonly basalDailyUl: number;
  readonly bolusPermissionState: "none" | "disabled" | "enabled";
  /** Volume of one permitted bolus, µL; null without a (valid) bolus permission. */
  readonly bolusVolumeUl: number | null;
  /** Boluses per day assumed by the worst case (0 when disabled, absent or paused). */
  readonly permittedBolusesPerDay: number;
  readonly permittedBolusDailyUl: number;
  /** bolusVolumeLast7DaysUl / 7 (0 when paused). */
  readonly observedBolusDailyUl: number;
  readonly worstCaseDailyUl: number;
  readonly expectedDailyUl: number;
  /**
   * "permission": basal + every permitted bolus. "observed": boluses actually delivered exceeded
   * what the permission now allows (permission reduced, or a limit violation), so the worst case
   * is raised to the expected rate — a "worst case" later than the expected date would be a lie.
   */
  readonly worstCaseBasis: "permission" | "observed";
  /** Best estimate of the reservoir now (expected scenario), µL. */
  readonly estimatedCurrentUl: number;
  readonly worstCase: KnownScenario;
  readonly expected: KnownScenario;
}

export interface UnknownProjection {
  readonly kind: "unknown";
  readonly now: Date;
  readonly reason: UnknownReason;
  readonly message: string;
  readonly estimatedCurrentUl: null;
  readonly worstCase: UnknownScenario;
  readonly expected: UnknownScenario;
}

export type RefillProjection = KnownProjection | UnknownProjection;

// ---------------------------------------------------------------------------------------------
// Projection
// ---------------------------------------------------------------------------------------------

/**
 * Projects both low-reservoir dates and empty dates from the latest reading. Never throws on
 * bad or missing clinical data (those give kind "unknown" with a reason); throws RangeError only
 * for an invalid `now`, which is a programming error.
 */
export function projectRefill(input: ProjectionInput): RefillProjection {
  const { now, reading, prescription, bolusPermission, capacityUl, bolusVolumeLast7DaysUl } = input;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError("now must be a valid Date");
  }
  const unknown = (reason: UnknownReason, message: string): UnknownProjection =>
    unknownProjection(now, reason, message);

  if (!prescription) return unknown("no_prescription", "No prescription is on file.");
  if (!reading) return unknown("no_reading", "No reservoir reading has been received from the pump yet.");

  const drug = getDrug(prescription.drug);
  if (!drug) return unknown("unknown_drug", `Unknown drug "${String(prescription.drug)}".`);

  const { concentration, dailyDose, lowReservoirThresholdUl: thresholdUl } = prescription;
  if (!isFiniteNumber(concentration) || concentration <= 0) {
    return unknown("invalid_concentration", "The prescribed concentration is missing or not positive.");
  }
  if (!isFiniteNumber(dailyDose) || dailyDose < 0) {
    return unknown("invalid_daily_dose", "The prescribed daily dose is missing or negative.");
  }
  if (!isFiniteNumber(thresholdUl) || thresholdUl < 0) {
    return unknown("invalid_threshold", "The low-reservoir threshold is missing or negative.");
  }
  if (
    !isFiniteNumber(reading.reservoirUl) ||
    reading.reservoirUl < 0 ||
    !(reading.at instanceof Date) ||
    Number.isNaN(reading.at.getTime())
  ) {
    return unknown("invalid_reading", "The reservoir reading is not a valid volume and time.");
  }
  if (capacityUl !== null) {
    if (!isFiniteNumber(capacityUl) || capacityUl <= 0) {
      return unknown("invalid_capacity", "The pump's reservoir capacity is not a positive volume.");
    }
    if (reading.reservoirUl > capacityUl) {
      return unknown(
        "reading_above_capacity",
        "The reading is larger than the reservoir capacity: check the pump model and the reading.",
      );
    }
    if (thresholdUl >= capacityUl) {
      return unknown("invalid_threshold", "The low-reservoir threshold is not below the reservoir capacity.");
    }
  }
  let bolusVolumeUl: number | null = null;
  if (bolusPermission) {
    const { dose, maxPer24h, enabled } = bolusPermission;
    // A disabled permission's numbers are irrelevant to the projection; only judge them if used.
    const valid =
      isFiniteNumber(dose) && dose >= 0 && Number.isInteger(maxPer24h) && maxPer24h >= 0;
    if (enabled && !valid) {
      return unknown("invalid_bolus_permission", "The bolus permission has an invalid dose or daily maximum.");
    }
    if (valid) bolusVolumeUl = doseToVolumeUl(dose, concentration, drug);
  }
  if (!isFiniteNumber(bolusVolumeLast7DaysUl) || bolusVolumeLast7DaysUl < 0) {
    return unknown("invalid_bolus_history", "The bolus volume delivered over the last 7 days is invalid.");
  }

  const paused = reading.deliveryPaused === true;
  const basalDailyUl = paused ? 0 : doseToVolumeUl(dailyDose, concentration, drug);
  const permittedBolusesPerDay =
    !paused && bolusPermission?.enabled && bolusVolumeUl !== null ? bolusPermission.maxPer24h : 0;
  const permittedBolusDailyUl = permittedBolusesPerDay * (bolusVolumeUl ?? 0);
  const observedBolusDailyUl = paused ? 0 : bolusVolumeLast7DaysUl / 7;

  const expectedDailyUl = basalDailyUl + observedBolusDailyUl;
  const permissionDailyUl = basalDailyUl + permittedBolusDailyUl;
  const worstCaseBasis = expectedDailyUl > permissionDailyUl ? "observed" : "permission";
  const worstCaseDailyUl = Math.max(permissionDailyUl, expectedDailyUl);

  const expected = projectScenario(expectedDailyUl, reading, thresholdUl, now);
  return {
    kind: "known",
    now,
    drug: drug.id,
    readingAt: reading.at,
    readingReservoirUl: reading.reservoirUl,
    thresholdUl,
    capacityUl,
    deliveryPaused: paused,
    basalDailyUl,
    bolusPermissionState: bolusPermission === null ? "none" : bolusPermission.enabled ? "enabled" : "disabled",
    bolusVolumeUl,
    permittedBolusesPerDay,
    permittedBolusDailyUl,
    observedBolusDailyUl,
    worstCaseDailyUl,
    expectedDailyUl,
    worstCaseBasis,
    estimatedCurrentUl: expected.volumeAtNowUl,
    worstCase: projectScenario(worstCaseDailyUl, reading, thresholdUl, now),
    expected,
  };
}

function projectScenario(
  dailyVolumeUl: number,
  reading: ReservoirReading,
  thresholdUl: number,
  now: Date,
): KnownScenario {
  const readingMs = reading.at.getTime();
  const reservoir = reading.reservoirUl;
  // A reading stamped after `now` (device clock ahead) must not "refill" the estimate.
  const elapsedDays = Math.max(0, (now.getTime() - readingMs) / MS_PER_DAY);
  const volumeAtNowUl = Math.max(0, reservoir - dailyVolumeUl * elapsedDays);
  const alreadyBelowAtReading = reservoir <= thresholdUl;

  const noConsumption = (): KnownScenario =>
    alreadyBelowAtReading
      ? {
          status: "already_below_threshold",
          dailyVolumeUl,
          volumeAtNowUl,
          lowReservoirAt: reading.at,
          emptyAt: null,
          daysFromReadingToLow: 0,
        }
      : {
          status: "no_consumption",
          dailyVolumeUl,
          volumeAtNowUl,
          lowReservoirAt: null,
          emptyAt: null,
          daysFromReadingToLow: null,
        };

  if (dailyVolumeUl <= 0) return noConsumption();

  const daysFromReadingToLow = alreadyBelowAtReading ? 0 : (reservoir - thresholdUl) / dailyVolumeUl;
  const daysFromReadingToEmpty = reservoir / dailyVolumeUl;
  const lowMs = readingMs + Math.round(daysFromReadingToLow * MS_PER_DAY);
  const emptyMs = readingMs + Math.round(daysFromReadingToEmpty * MS_PER_DAY);
  // A vanishingly small but positive rate pushes the dates past what a Date can hold
  // (≈ 275 000 years): for every practical purpose it never gets there.
  if (!(Math.abs(emptyMs) <= MAX_DATE_MS)) return noConsumption();

  const lowReservoirAt = new Date(lowMs);
  const emptyAt = new Date(emptyMs);
  if (alreadyBelowAtReading || lowMs <= now.getTime()) {
    return {
      status: "already_below_threshold",
      dailyVolumeUl,
      volumeAtNowUl,
      lowReservoirAt,
      emptyAt,
      daysFromReadingToLow,
    };
  }
  return { status: "ok", dailyVolumeUl, volumeAtNowUl, lowReservoirAt, emptyAt, daysFromReadingToLow };
}

function unknownProjection(now: Date, reason: UnknownReason, message: string): UnknownProjection {
  const scenario: UnknownScenario = {
    status: "unknown",
    reason,
    message,
    lowReservoirAt: null,
    emptyAt: null,
    daysFromReadingToLow: null,
  };
  return { kind: "unknown", now, reason, message, estimatedCurrentUl: null, worstCase: scenario, expected: scenario };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

// ---------------------------------------------------------------------------------------------
// Appointment check and clinic worklist
// ---------------------------------------------------------------------------------------------

export type AppointmentCheck = "ok" | "after_worst_case" | "after_expected" | "no_appointment" | "unknown";

/**
 * Where the next refill appointment falls relative to the projected low-reservoir dates.
 * - "after_expected" (alarm-level): after the expected date, or the reservoir is already at or
 *   below the threshold (whatever the appointment time);
 * - "after_worst_case" (warning): after the worst-case date only;
 * - "no_appointment": none booked (checked first: it is actionable even without a projection);
 * - "unknown": no projection, or an invalid appointment date.
 * "After" is strict and by instant, not by calendar day: an appointment at 14:00 on the day the
 * threshold is reached at 09:00 is after it (the pump will be alarming in the meantime).
 */
export function compareAppointment(
  appointmentAt: Date | null | undefined,
  projection: RefillProjection,
): AppointmentCheck {
  if (appointmentAt === null || appointmentAt === undefined) return "no_appointment";
  if (!(appointmentAt instanceof Date) || Number.isNaN(appointmentAt.getTime())) return "unknown";
  if (projection.kind === "unknown") return "unknown";
  const isAfter = (scenario: KnownScenario): boolean =>
    scenario.status === "already_below_threshold" ||
    (scenario.status === "ok" && appointmentAt.getTime() > scenario.lowReservoirAt.getTime());
  // Expected is checked first so the alarm wins even if the two dates were ever out of order.
  if (isAfter(projection.expected)) return "after_expected";
  if (isAfter(projection.worstCase)) return "after_worst_case";
  return "ok";
}

/**
 * Days (fractional) from `now` to the worst-case low-reservoir date; negative when it has
 * passed; null when there is no date (unknown projection, or nothing consumed).
 */
export function daysUntilWorstCase(projection: RefillProjection, now: Date): number | null {
  const at = projection.worstCase.lowReservoirAt;
  return at === null ? null : (at.getTime() - now.getTime()) / MS_PER_DAY;
}

/**
 * Sort key for a clinic's refill worklist, ascending = most urgent first:
 * - unknown projections first (−∞): with no reading or no prescription we cannot rule out that
 *   the pump is already empty, so they need a human before anything else;
 * - then by days until the worst-case date (already-below pumps have negative days);
 * - pumps that consume nothing last (+∞).
 */
export function refillUrgencyKey(projection: RefillProjection, now: Date): number {
  if (projection.kind === "unknown") return Number.NEGATIVE_INFINITY;
  return daysUntilWorstCase(projection, now) ?? Number.POSITIVE_INFINITY;
}

/** Comparator for Array.prototype.sort using refillUrgencyKey (ties compare equal). */
export function compareRefillUrgency(a: RefillProjection, b: RefillProjection, now: Date): number {
  const ka = refillUrgencyKey(a, now);
  const kb = refillUrgencyKey(b, now);
  // Avoid ∞ − ∞ = NaN, which would make the sort inconsistent.
  if (ka === kb) return 0;
  return ka < kb ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------
// Explanation
// ---------------------------------------------------------------------------------------------

export interface ProjectionExplanation {
  readonly worstCase: string;
  readonly expected: string;
}

/**
 * Human sentences showing how each date was obtained, e.g.
 * "18.4 mL left − 2 mL alarm threshold = 16.4 mL; at 0.3 mL/day (basal 0.2 + up to 4 boluses of
 * 0.025 mL) → 54 days after the reading, on Sun 10 Jan 2027."
 * Volumes are shown to the µL (no rounding that would make the arithmetic not add up); days are
 * whole days rounded down (the conservative direction). The date is included when `timeZone`
 * is given (the patient's zone).
 */
export function explainProjection(
  projection: RefillProjection,
  options: { readonly timeZone?: string } = {},
): ProjectionExplanation {
  if (projection.kind === "unknown") {
    return { worstCase: projection.message, expected: projection.message };
  }
  const p = projection;
  const basal = mlNumber(p.basalDailyUl);

  let worstBreakdown: string;
  if (p.worstCaseBasis === "observed") {
    worstBreakdown =
      `basal ${basal} + ${ml(p.observedBolusDailyUl * 7)} of boluses delivered in the last 7 days ÷ 7, ` +
      "more than the current bolus permission allows";
  } else if (p.permittedBolusesPerDay > 0 && p.bolusVolumeUl !== null) {
    const n = p.permittedBolusesPerDay;
    worstBreakdown = `basal ${basal} + up to ${n} ${n === 1 ? "bolus" : "boluses"} of ${ml(p.bolusVolumeUl)}`;
  } else {
    const why = { none: "no bolus permission", disabled: "boluses switched off", enabled: "no boluses permitted" };
    worstBreakdown = `basal ${basal}; ${why[p.bolusPermissionState]}`;
  }

  const observedWeekUl = p.observedBolusDailyUl * 7;
  const expectedBreakdown =
    observedWeekUl > 0
      ? `basal ${basal} + ${ml(observedWeekUl)} of boluses in the last 7 days ÷ 7`
      : `basal ${basal}; no boluses in the last 7 days`;

  return {
    worstCase: explainScenario(p, p.worstCase, worstBreakdown, "no boluses permitted", options.timeZone),
    expected: explainScenario(p, p.expected, expectedBreakdown, "no boluses in the last 7 days", options.timeZone),
  };
}

function explainScenario(
  p: KnownProjection,
  scenario: KnownScenario,
  breakdown: string,
  noBolusText: string,
  timeZone: string | undefined,
): string {
  const left = `${ml(p.readingReservoirUl)} left`;
  const threshold = `${ml(p.thresholdUl)} alarm threshold`;
  const onDate = (at: Date): string => (timeZone ? `, on ${formatDate(at, timeZone)}` : "");

  if (p.readingReservoirUl <= p.thresholdUl) {
    return `${left} at the last reading is at or below the ${threshold}: a refill is needed now.`;
  }
  if (scenario.status === "no_consumption") {
    const why = p.deliveryPaused ? "Delivery is paused" : `Nothing is delivered (daily dose 0, ${noBolusText})`;
    return `${why}: the reservoir stays at ${ml(p.readingReservoirUl)} and does not reach the ${threshold}.`;
  }
  const days = scenario.daysFromReadingToLow;
  const wholeDays = Math.floor(days);
  const dayText = wholeDays < 1 ? "less than 1 day" : `${wholeDays} ${wholeDays === 1 ? "day" : "days"}`;
  const base =
    `${left} − ${threshold} = ${ml(p.readingReservoirUl - p.thresholdUl)}; ` +
    `at ${formatDailyVolume(scenario.dailyVolumeUl)} (${breakdown}) → ${dayText} after the reading` +
    onDate(scenario.lowReservoirAt);
  return scenario.status === "already_below_threshold" ? `${base}: that date has passed.` : `${base}.`;
}

/** µL shown as mL to the µL: "18.4 mL", "0.025 mL". */
function ml(ul: number): string {
  return formatVolume(ul, { unit: "mL", mlFractionDigits: 3 });
}

/** Bare number of mL/day for breakdowns ("basal 0.2"). */
function mlNumber(ul: number): string {
  return formatDecimal(ul / 1000, 3);
}
