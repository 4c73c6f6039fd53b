/**
 * Drug catalogue for implantable pumps.
 *
 * The numeric bounds here are VALIDATION BOUNDS, not clinical advice: they exist to catch
 * unit and decimal-point errors at data entry (2 instead of 2000 µg/mL, 4000 instead of
 * 400 µg/day). "Typical" ranges drive a soft warning ("please confirm"); "hard" bounds reject.
 * They are deliberately wider than guideline maxima so that a real, documented patient is never
 * locked out by the software; the prescriber remains responsible for the dose.
 *
 * Sources used to size them (approximate, rounded outward): Polyanalgesic Consensus Conference
 * 2017 (Deer et al., Neuromodulation 2017) maximum concentrations / daily doses for intrathecal
 * opioids, bupivacaine and clonidine; Lioresal/Gablofen intrathecal labels for baclofen
 * (maintenance doses reported up to ~2000 µg/day); Prialt label for ziconotide (max 19.2 µg/day,
 * 25 and 100 µg/mL vials); U400 insulin (Insuman Implantable) for implantable insulin pumps.
 *
 * Storage units (DESIGN.md, Safety rule 4): doses are integer µg (insulin: integer milli-units),
 * concentrations integer µg/mL (insulin: integer U/mL). All bounds below are in those units.
 */

export const DRUG_IDS = [
  "morphine",
  "hydromorphone",
  "fentanyl",
  "bupivacaine",
  "clonidine",
  "baclofen",
  "ziconotide",
  "insulin",
] as const;

export type DrugId = (typeof DRUG_IDS)[number];

/** Storage unit of a dose: micrograms, or milli-units for insulin. */
export type DoseUnit = "ug" | "mU";

/** Storage unit of a concentration. */
export type ConcentrationUnit = "µg/mL" | "U/mL";

/**
 * How masses are shown on screen.
 * - "auto": below 1000 µg in µg, from 1000 µg in mg ("400 µg", "1.5 mg"), the ISMP-friendly
 *   rule for drugs prescribed in mg (avoids "0.4 mg" style leading decimals).
 * - "ug": always µg ("1,500 µg"), for drugs whose vials, pump programmers and clinical notes use
 *   µg throughout (baclofen 2000 µg/mL, clonidine, fentanyl, ziconotide); showing "1.5 mg/day"
 *   next to a "2,000 µg/mL" vial label invites exactly the 1000× confusion we want to avoid.
 * Insulin ignores this (always units).
 */
export type MassDisplay = "auto" | "ug";

export interface NumericRange {
  readonly min: number;
  readonly max: number;
}

export interface DrugDefinition {
  readonly id: DrugId;
  readonly displayName: string;
  readonly doseUnit: DoseUnit;
  readonly concentrationUnit: ConcentrationUnit;
  readonly massDisplay: MassDisplay;
  /** Usual concentrations (storage unit); outside → warning. */
  readonly typicalConcentration: NumericRange;
  /** Plausible concentrations (storage unit); outside → reject. */
  readonly concentrationBounds: NumericRange;
  /** Usual daily doses (storage unit: µg or mU); outside → warning. */
  readonly typicalDailyDose: NumericRange;
  /** Hard plausible maximum daily dose (storage unit); above → reject. */
  readonly maxDailyDose: number;
  /** Where the rationale for the numbers comes from (shown to developers, not patients). */
  readonly boundsNote: string;
}

const catalogue = {
  morphine: {
    id: "morphine",
    displayName: "Morphine",
    doseUnit: "ug",
    concentrationUnit: "µg/mL",
    massDisplay: "auto",
    typicalConcentration: { min: 1_000, max: 25_000 },
    concentrationBounds: { min: 500, max: 50_000 },
    typicalDailyDose: { min: 100, max: 15_000 },
    maxDailyDose: 20_000,
    boundsNote: "PACC 2017: max 20 mg/mL and 15 mg/day; hard bounds 50 mg/mL, 20 mg/day.",
  },
  hydromorphone: {
    id: "hydromorphone",
    displayName: "Hydromorphone",
    doseUnit: "ug",
    concentrationUnit: "µg/mL",
    massDisplay: "auto",
    typicalConcentration: { min: 500, max: 15_000 },
    concentrationBounds: { min: 100, max: 30_000 },
    typicalDailyDose: { min: 10, max: 4_000 },
    maxDailyDose: 6_000,
    boundsNote: "PACC 2017: max 15 mg/mL and 4 mg/day; hard bounds 30 mg/mL, 6 mg/day.",
  },
  fentanyl: {
    id: "fentanyl",
    displayName: "Fentanyl",
    doseUnit: "ug",
    concentrationUnit: "µg/mL",
    massDisplay: "ug",
    typicalConcentration: { min: 50, max: 2_000 },
    concentrationBounds: { min: 10, max: 10_000 },
    typicalDailyDose: { min: 25, max: 1_000 },
    maxDailyDose: 1_500,
    boundsNote: "PACC 2017: max 10 mg/mL and 1000 µg/day; hard bound 1500 µg/day.",
  },
  bupivacaine: {
    id: "bupivacaine",
    displayName: "Bupivacaine",
    doseUnit: "ug",
    concentrationUnit: "µg/mL",
    massDisplay: "auto",
    typicalConcentration: { min: 2_500, max: 30_000 },
    concentrationBounds: { min: 1_000, max: 40_000 },
    typicalDailyDose: { min: 1_000, max: 20_000 },
    maxDailyDose: 30_000,
    boundsNote: "PACC 2017: max 30 mg/mL and 15–20 mg/day; hard bounds 40 mg/mL, 30 mg/day.",
  },
  clonidine: {
    id: "clonidine",
    displayName: "Clonidine",
    doseUnit: "ug",
    concentrationUnit: "µg/mL",
    massDisplay: "ug",
    typicalConcentration: { min: 50, max: 1_000 },
    concentrationBounds: { min: 25, max: 2_000 },
    typicalDailyDose: { min: 40, max: 600 },
    maxDailyDose: 1_000,
    boundsNote: "PACC 2017: max 1000 µg/mL and 40–600 µg/day; hard bounds 2000 µg/mL, 1000 µg/day.",
  },
  baclofen: {
    id: "baclofen",
    displayName: "Baclofen",
    doseUnit: "ug",
    concentrationUnit: "µg/mL",
    massDisplay: "ug",
    typicalConcentration: { min: 500, max: 2_000 },
    concentrationBounds: { min: 50, max: 4_000 },
    typicalDailyDose: { min: 50, max: 1_000 },
    // The label reports maintenance doses up to ~2000 µg/day (2003 µg/day in trials); a hard
    // bound at exactly 2000 would reject a documented patient, hence the margin.
    maxDailyDose: 2_500,
    boundsNote: "Intrathecal baclofen label: 50–2000 µg/mL vials, maintenance up to ~2000 µg/day.",
  },
  ziconotide: {
    id: "ziconotide",
    displayName: "Ziconotide",
    doseUnit: "ug",
    concentrationUnit: "µg/mL",
    massDisplay: "ug",
    typicalConcentration: { min: 25, max: 100 },
    // Diluted with saline below the 25 µg/mL vial strength in some centres.
    concentrationBounds: { min: 1, max: 100 },
    typicalDailyDose: { min: 0.5, max: 19.2 },
    // Label maximum (0.8 µg/h). Not an integer: see the storage caveat in docs/refill-projection.md.
    maxDailyDose: 19.2,
    boundsNote: "Prialt label: 25 and 100 µg/mL vials, max 19.2 µg/day.",
  },
  insulin: {
    id: "insulin",
    displayName: "Insulin",
    doseUnit: "mU",
    concentrationUnit: "U/mL",
    massDisplay: "auto",
    typicalConcentration: { min: 400, max: 400 },
    concentrationBounds: { min: 100, max: 500 },
    typicalDailyDose: { min: 5_000, max: 60_000 },
    maxDailyDose: 200_000,
    boundsNote: "Implantable insulin pumps use U400; hard bounds U100–U500, 200 U/day basal.",
  },
} as const satisfies Record<DrugId, DrugDefinition>;

export const DRUGS: Readonly<Record<DrugId, DrugDefinition>> = catalogue;

/** Catalogue in display order (for pickers). */
export const DRUG_LIST: readonly DrugDefinition[] = DRUG_IDS.map((id) => catalogue[id]);

export function isDrugId(value: unknown): value is DrugId {
  return typeof value === "string" && (DRUG_IDS as readonly string[]).includes(value);
}

/** Looks a drug up by id; undefined for anything not in the catalogue (e.g. a stale DB value). */
export function getDrug(id: string): DrugDefinition | undefined {
  return isDrugId(id) ? catalogue[id] : undefined;
}

/** Either an id or the definition itself: callers holding one need not look up the other. */
export type DrugRef = DrugId | DrugDefinition;

export function resolveDrug(drug: DrugRef): DrugDefinition {
  if (typeof drug !== "string") return drug;
  const found = getDrug(drug);
  // Unreachable under the type system; guards values that arrive untyped from JSON or the DB.
  if (!found) throw new RangeError(`Unknown drug: ${String(drug)}`);
  return found;
}

export type BoundsField = "concentration" | "dailyDose";
export type BoundsCode =
  | "not_a_number"
  | "not_integer"
  | "negative"
  | "below_min"
  | "above_max"
  | "outside_typical";

export interface BoundsIssue {
  readonly field: BoundsField;
  /** "error" must block saving; "warning" needs an explicit confirmation by the clinician. */
  readonly severity: "error" | "warning";
  readonly code: BoundsCode;
  readonly message: string;
}

/**
 * Checks a prescription against the catalogue bounds. Returns every issue found (empty = fine),
 * so a form can show all problems at once. A daily dose of 0 is allowed (therapy on hold); the
 * projection reports it as "no consumption".
 */
export function checkPrescriptionBounds(
  drugRef: DrugRef,
  prescription: { readonly concentration: number; readonly dailyDose: number },
): BoundsIssue[] {
  const drug = resolveDrug(drugRef);
  const issues: BoundsIssue[] = [];
  const concUnit = drug.concentrationUnit;
  const doseUnit = drug.doseUnit === "mU" ? "mU" : "µg";
  const { concentration, dailyDose } = prescription;

  if (!Number.isFinite(concentration)) {
    issues.push(issue("concentration", "error", "not_a_number", "Concentration is not a number."));
  } else if (!Number.isInteger(concentration)) {
    issues.push(
      issue("concentration", "error", "not_integer", `Concentration must be a whole number of ${concUnit}.`),
    );
  } else if (concentration < drug.concentrationBounds.min) {
    issues.push(
      issue(
        "concentration",
        "error",
        "below_min",
        `${drug.displayName} concentration below ${drug.concentrationBounds.min} ${concUnit} is implausible; check the unit.`,
      ),
    );
  } else if (concentration > drug.concentrationBounds.max) {
    issues.push(
      issue(
        "concentration",
        "error",
        "above_max",
        `${drug.displayName} concentration above ${drug.concentrationBounds.max} ${concUnit} is implausible; check the unit.`,
      ),
    );
  } else if (
    concentration < drug.typicalConcentration.min ||
    concentration > drug.typicalConcentration.max
  ) {
    issues.push(
      issue(
        "concentration",
        "warning",
        "outside_typical",
        `${drug.displayName} concentration is outside the usual ${drug.typicalConcentration.min}–${drug.typicalConcentration.max} ${concUnit}; please confirm.`,
      ),
    );
  }

  if (!Number.isFinite(dailyDose)) {
    issues.push(issue("dailyDose", "error", "not_a_number", "Daily dose is not a number."));
  } else if (!Number.isInteger(dailyDose)) {
    issues.push(
      issue("dailyDose", "error", "not_integer", `Daily dose must be a whole number of ${doseUnit}.`),
    );
  } else if (dailyDose < 0) {
    issues.push(issue("dailyDose", "error", "negative", "Daily dose cannot be negative."));
  } else if (dailyDose > drug.maxDailyDose) {
    issues.push(
      issue(
        "dailyDose",
        "error",
        "above_max",
        `${drug.displayName} daily dose above ${drug.maxDailyDose} ${doseUnit} is implausible; check the unit.`,
      ),
    );
  } else if (
    dailyDose > 0 &&
    (dailyDose < drug.typicalDailyDose.min || dailyDose > drug.typicalDailyDose.max)
  ) {
    issues.push(
      issue(
        "dailyDose",
        "warning",
        "outside_typical",
        `${drug.displayName} daily dose is outside the usual ${drug.typicalDailyDose.min}–${drug.typicalDailyDose.max} ${doseUnit}; please confirm.`,
      ),
    );
  }

  return issues;
}

function issue(
  field: BoundsField,
  severity: BoundsIssue["severity"],
  code: BoundsCode,
  message: string,
): BoundsIssue {
  return { field, severity, code, message };
}
