import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MS_PER_DAY,
  compareAppointment,
  compareRefillUrgency,
  daysUntilWorstCase,
  explainProjection,
  projectRefill,
  refillUrgencyKey,
  type KnownProjection,
  type ProjectionInput,
  type RefillProjection,
  type UnknownReason,
} from "@/lib/pump/projection";
import { formatDate } from "@/lib/pump/time";

const READING_AT = new Date("2026-11-17T10:00:00Z");
/** Reading time + `days`, rounded to the millisecond as the projection does. */
const at = (days: number): Date => new Date(READING_AT.getTime() + Math.round(days * MS_PER_DAY));

/** The brief's reference pump: 40 mL, 18 mL left, baclofen 2000 µg/mL, 400 µg/day, 4 × 50 µg boluses. */
function input(overrides: Partial<ProjectionInput> = {}): ProjectionInput {
  return {
    reading: { reservoirUl: 18_000, at: READING_AT },
    capacityUl: 40_000,
    prescription: { drug: "baclofen", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: 2000 },
    bolusPermission: { dose: 50, maxPer24h: 4, enabled: true },
    bolusVolumeLast7DaysUl: 0,
    now: READING_AT,
    ...overrides,
  };
}

function known(p: RefillProjection): KnownProjection {
  if (p.kind !== "known") throw new Error(`expected a known projection, got ${p.reason}`);
  return p;
}

describe("projectRefill: rates", () => {
  it("reference case: 200 µL/day basal, 25 µL bolus, 300 µL/day worst case", () => {
    const p = known(projectRefill(input()));
    expect(p.basalDailyUl).toBe(200);
    expect(p.bolusVolumeUl).toBe(25);
    expect(p.permittedBolusesPerDay).toBe(4);
    expect(p.permittedBolusDailyUl).toBe(100);
    expect(p.worstCaseDailyUl).toBe(300);
    expect(p.expectedDailyUl).toBe(200);
    expect(p.worstCaseBasis).toBe("permission");
  });

  type RateRow = {
    name: string;
    over: Partial<ProjectionInput>;
    basal: number;
    worst: number;
    expected: number;
  };
  const rows: RateRow[] = [
    {
      name: "boluses used: 7-day bolus volume averaged into the expected rate",
      over: { bolusVolumeLast7DaysUl: 350 },
      basal: 200,
      worst: 300,
      expected: 250,
    },
    {
      name: "bolus permission disabled: worst case is basal only",
      over: { bolusPermission: { dose: 50, maxPer24h: 4, enabled: false } },
      basal: 200,
      worst: 200,
      expected: 200,
    },
    {
      name: "no bolus permission at all",
      over: { bolusPermission: null },
      basal: 200,
      worst: 200,
      expected: 200,
    },
    {
      name: "bolus permission dominates the daily volume (6 × 50 µL vs 50 µL basal)",
      over: {
        prescription: { drug: "baclofen", concentration: 2000, dailyDose: 100, lowReservoirThresholdUl: 2000 },
        bolusPermission: { dose: 100, maxPer24h: 6, enabled: true },
        bolusVolumeLast7DaysUl: 700,
      },
      basal: 50,
      worst: 350,
      expected: 150,
    },
    {
      name: "insulin U400: 20 U/day basal = 50 µL, 3 × 4 U boluses = 30 µL",
      over: {
        prescription: { drug: "insulin", concentration: 400, dailyDose: 20_000, lowReservoirThresholdUl: 2000 },
        bolusPermission: { dose: 4000, maxPer24h: 3, enabled: true },
        bolusVolumeLast7DaysUl: 140,
      },
      basal: 50,
      worst: 80,
      expected: 70,
    },
    {
      name: "morphine 25 mg/mL, 5 mg/day",
      over: {
        prescription: { drug: "morphine", concentration: 25_000, dailyDose: 5000, lowReservoirThresholdUl: 2000 },
        bolusPermission: null,
      },
      basal: 200,
      worst: 200,
      expected: 200,
    },
    {
      name: "observed boluses above the permission raise the worst case to the observed rate",
      over: { bolusPermission: { dose: 50, maxPer24h: 1, enabled: true }, bolusVolumeLast7DaysUl: 700 },
      basal: 200,
      worst: 300,
      expected: 300,
    },
  ];
  it.each(rows)("$name", ({ over, basal, worst, expected }) => {
    const p = known(projectRefill(input(over)));
    expect(p.basalDailyUl).toBe(basal);
    expect(p.worstCaseDailyUl).toBeCloseTo(worst, 9);
    expect(p.expectedDailyUl).toBeCloseTo(expected, 9);
    expect(p.worstCase.dailyVolumeUl).toBeCloseTo(worst, 9);
    expect(p.expected.dailyVolumeUl).toBeCloseTo(expected, 9);
  });

  it("marks the worst-case basis as observed when boluses exceeded the permission", () => {
    const p = known(projectRefill(input({ bolusPermission: null, bolusVolumeLast7DaysUl: 700 })));
    expect(p.worstCaseBasis).toBe("observed");
    expect(p.worstCaseDailyUl).toBe(300);
  });
});

describe("projectRefill: dates", () => {
  it("reference case: worst case (18000 − 2000) / 300 days after the reading, expected / 200", () => {
    const p = known(projectRefill(input()));
    expect(p.worstCase.status).toBe("ok");
    expect(p.worstCase.daysFromReadingToLow).toBeCloseTo(16_000 / 300, 12);
    expect(p.worstCase.lowReservoirAt).toEqual(at(16_000 / 300));
    expect(p.worstCase.emptyAt).toEqual(at(60));
    expect(p.expected.lowReservoirAt).toEqual(at(80));
    expect(p.expected.emptyAt).toEqual(at(90));
  });

  it("projects from the reading time, not from now, and estimates the current volume", () => {
    const now = at(10);
    const p = known(projectRefill(input({ now, bolusVolumeLast7DaysUl: 350 })));
    // Same dates as if now were the reading time.
    expect(p.expected.lowReservoirAt).toEqual(at(16_000 / 250));
    expect(p.worstCase.lowReservoirAt?.getTime()).toBe(
      READING_AT.getTime() + Math.round((16_000 / 300) * MS_PER_DAY),
    );
    expect(p.estimatedCurrentUl).toBeCloseTo(18_000 - 10 * 250, 9);
    expect(p.expected.volumeAtNowUl).toBeCloseTo(15_500, 9);
    expect(p.worstCase.volumeAtNowUl).toBeCloseTo(15_000, 9);
  });

  it("does not let a reading from the future (clock skew) inflate the current volume", () => {
    const p = known(projectRefill(input({ now: at(-1) })));
    expect(p.estimatedCurrentUl).toBe(18_000);
    expect(p.expected.lowReservoirAt).toEqual(at(80));
  });

  it("never estimates a negative current volume", () => {
    const p = known(projectRefill(input({ now: at(365) })));
    expect(p.estimatedCurrentUl).toBe(0);
    expect(p.worstCase.volumeAtNowUl).toBe(0);
  });

  it("reading already at or below the threshold", () => {
    for (const reservoirUl of [2000, 1500, 0]) {
      const p = known(projectRefill(input({ reading: { reservoirUl, at: READING_AT }, now: at(1) })));
      for (const s of [p.worstCase, p.expected]) {
        expect(s.status).toBe("already_below_threshold");
        expect(s.lowReservoirAt).toEqual(READING_AT);
        expect(s.daysFromReadingToLow).toBe(0);
      }
      expect(p.worstCase.emptyAt).toEqual(at(reservoirUl / 300));
    }
  });

  it("reading below the threshold stays below even if the reading is stamped after now", () => {
    const p = known(projectRefill(input({ reading: { reservoirUl: 1500, at: READING_AT }, now: at(-0.5) })));
    expect(p.worstCase.status).toBe("already_below_threshold");
  });

  it("threshold crossed between the reading and now → already below, with the computed crossing", () => {
    // 2500 µL − 2000 µL = 500 µL; worst 300 µL/day → 1.67 days; expected 200 → 2.5 days.
    const base = { reading: { reservoirUl: 2500, at: READING_AT } };
    const p2 = known(projectRefill(input({ ...base, now: at(2) })));
    expect(p2.worstCase.status).toBe("already_below_threshold");
    expect(p2.worstCase.lowReservoirAt?.getTime()).toBe(READING_AT.getTime() + Math.round((500 / 300) * MS_PER_DAY));
    expect(p2.expected.status).toBe("ok");
    expect(p2.expected.lowReservoirAt).toEqual(at(2.5));
    // Exactly at the crossing counts as reached.
    const p3 = known(projectRefill(input({ ...base, now: at(2.5) })));
    expect(p3.expected.status).toBe("already_below_threshold");
  });

  it("zero daily dose without boluses: no consumption, never reaches the threshold", () => {
    const p = known(
      projectRefill(
        input({
          prescription: { drug: "baclofen", concentration: 2000, dailyDose: 0, lowReservoirThresholdUl: 2000 },
          bolusPermission: null,
          now: at(30),
        }),
      ),
    );
    for (const s of [p.worstCase, p.expected]) {
      expect(s.status).toBe("no_consumption");
      expect(s.lowReservoirAt).toBeNull();
      expect(s.emptyAt).toBeNull();
      expect(s.dailyVolumeUl).toBe(0);
    }
    expect(p.estimatedCurrentUl).toBe(18_000);
  });

  it("zero daily dose with boluses permitted: worst case still drains, expected does not", () => {
    const p = known(
      projectRefill(
        input({
          prescription: { drug: "baclofen", concentration: 2000, dailyDose: 0, lowReservoirThresholdUl: 2000 },
        }),
      ),
    );
    expect(p.worstCase.status).toBe("ok");
    expect(p.worstCase.lowReservoirAt).toEqual(at(160));
    expect(p.expected.status).toBe("no_consumption");
  });

  it("delivery paused: nothing drains, not even permitted boluses", () => {
    const p = known(
      projectRefill(input({ reading: { reservoirUl: 18_000, at: READING_AT, deliveryPaused: true }, bolusVolumeLast7DaysUl: 350 })),
    );
    expect(p.deliveryPaused).toBe(true);
    expect(p.basalDailyUl).toBe(0);
    expect(p.worstCase.status).toBe("no_consumption");
    expect(p.expected.status).toBe("no_consumption");
  });

  it("paused with the reservoir below the threshold is still below the threshold", () => {
    const p = known(
      projectRefill(input({ reading: { reservoirUl: 1000, at: READING_AT, deliveryPaused: true } })),
    );
    expect(p.worstCase.status).toBe("already_below_threshold");
    expect(p.worstCase.emptyAt).toBeNull();
  });

  it("a vanishingly small rate is treated as no consumption rather than an invalid Date", () => {
    const p = known(
      projectRefill(
        input({
          prescription: { drug: "baclofen", concentration: 2000, dailyDose: 1e-12, lowReservoirThresholdUl: 2000 },
          bolusPermission: null,
        }),
      ),
    );
    expect(p.expected.status).toBe("no_consumption");
  });

  it("insulin dates", () => {
    const p = known(
      projectRefill(
        input({
          reading: { reservoirUl: 12_000, at: READING_AT },
          capacityUl: 15_000,
          prescription: { drug: "insulin", concentration: 400, dailyDose: 20_000, lowReservoirThresholdUl: 2000 },
          bolusPermission: { dose: 4000, maxPer24h: 3, enabled: true },
          bolusVolumeLast7DaysUl: 140,
        }),
      ),
    );
    expect(p.worstCase.lowReservoirAt).toEqual(at(10_000 / 80));
    expect(p.expected.lowReservoirAt).toEqual(at(10_000 / 70));
  });

  it("worst case is never later than expected, low never later than empty (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 4_000 }),
        fc.integer({ min: 0, max: 2_500 }),
        fc.option(fc.record({ dose: fc.integer({ min: 0, max: 500 }), maxPer24h: fc.integer({ min: 0, max: 12 }), enabled: fc.boolean() })),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 400, noNaN: true }),
        (reservoirUl, threshold, concentration, dailyDose, bolusPermission, bolus7d, nowDays) => {
          const p = projectRefill({
            reading: { reservoirUl, at: READING_AT },
            capacityUl: null,
            prescription: { drug: "baclofen", concentration, dailyDose, lowReservoirThresholdUl: threshold },
            bolusPermission,
            bolusVolumeLast7DaysUl: bolus7d,
            now: at(nowDays),
          });
          const k = known(p);
          expect(k.worstCaseDailyUl).toBeGreaterThanOrEqual(k.expectedDailyUl);
          const w = k.worstCase.lowReservoirAt;
          const e = k.expected.lowReservoirAt;
          if (e !== null) {
            expect(w).not.toBeNull();
            expect(w!.getTime()).toBeLessThanOrEqual(e.getTime());
          }
          for (const s of [k.worstCase, k.expected]) {
            if (s.lowReservoirAt && s.emptyAt) expect(s.lowReservoirAt.getTime()).toBeLessThanOrEqual(s.emptyAt.getTime());
            expect(s.volumeAtNowUl).toBeGreaterThanOrEqual(0);
            expect(s.volumeAtNowUl).toBeLessThanOrEqual(reservoirUl);
            const below = s.status === "already_below_threshold";
            expect(below).toBe(s.lowReservoirAt !== null && s.lowReservoirAt.getTime() <= at(nowDays).getTime());
          }
        },
      ),
    );
  });
});

describe("projectRefill: unknown", () => {
  type Row = [string, Partial<ProjectionInput>, UnknownReason];
  const rows: Row[] = [
    ["no prescription", { prescription: null }, "no_prescription"],
    ["no reading", { reading: null }, "no_reading"],
    ["neither: prescription is reported first", { prescription: null, reading: null }, "no_prescription"],
    [
      "drug not in the catalogue",
      { prescription: { drug: "sufentanil", concentration: 50, dailyDose: 10, lowReservoirThresholdUl: 2000 } },
      "unknown_drug",
    ],
    [
      "zero concentration",
      { prescription: { drug: "baclofen", concentration: 0, dailyDose: 400, lowReservoirThresholdUl: 2000 } },
      "invalid_concentration",
    ],
    [
      "NaN daily dose",
      { prescription: { drug: "baclofen", concentration: 2000, dailyDose: Number.NaN, lowReservoirThresholdUl: 2000 } },
      "invalid_daily_dose",
    ],
    [
      "negative threshold",
      { prescription: { drug: "baclofen", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: -1 } },
      "invalid_threshold",
    ],
    [
      "threshold at capacity",
      { prescription: { drug: "baclofen", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: 40_000 } },
      "invalid_threshold",
    ],
    ["negative reservoir", { reading: { reservoirUl: -5, at: READING_AT } }, "invalid_reading"],
    ["invalid reading time", { reading: { reservoirUl: 5, at: new Date(Number.NaN) } }, "invalid_reading"],
    ["reading above capacity", { reading: { reservoirUl: 40_001, at: READING_AT } }, "reading_above_capacity"],
    ["zero capacity", { capacityUl: 0 }, "invalid_capacity"],
    ["enabled bolus with fractional max", { bolusPermission: { dose: 50, maxPer24h: 1.5, enabled: true } }, "invalid_bolus_permission"],
    ["enabled bolus with negative dose", { bolusPermission: { dose: -50, maxPer24h: 2, enabled: true } }, "invalid_bolus_permission"],
    ["negative 7-day bolus volume", { bolusVolumeLast7DaysUl: -1 }, "invalid_bolus_history"],
  ];
  it.each(rows)("%s → unknown (%s)", (_name, over, reason) => {
    const p = projectRefill(input(over));
    expect(p.kind).toBe("unknown");
    if (p.kind !== "unknown") return;
    expect(p.reason).toBe(reason);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.estimatedCurrentUl).toBeNull();
    for (const s of [p.worstCase, p.expected]) {
      expect(s.status).toBe("unknown");
      expect(s.lowReservoirAt).toBeNull();
    }
  });

  it("a disabled bolus permission with junk numbers is ignored, not fatal", () => {
    const p = known(projectRefill(input({ bolusPermission: { dose: Number.NaN, maxPer24h: -1, enabled: false } })));
    expect(p.worstCaseDailyUl).toBe(200);
    expect(p.bolusPermissionState).toBe("disabled");
  });

  it("unknown capacity skips the capacity checks", () => {
    expect(projectRefill(input({ capacityUl: null, reading: { reservoirUl: 60_000, at: READING_AT } })).kind).toBe("known");
  });

  it("throws only for an invalid now (programming error)", () => {
    expect(() => projectRefill(input({ now: new Date(Number.NaN) }))).toThrow(RangeError);
  });
});

describe("compareAppointment", () => {
  const okProjection = projectRefill(input()); // worst: day 53.33, expected: day 80
  type Row = [string, Date | null, RefillProjection, ReturnType<typeof compareAppointment>];
  const rows: Row[] = [
    ["well before both dates", at(30), okProjection, "ok"],
    ["exactly at the worst-case date is not after it", okProjection.worstCase.lowReservoirAt!, okProjection, "ok"],
    ["one minute after the worst-case date", new Date(okProjection.worstCase.lowReservoirAt!.getTime() + 60_000), okProjection, "after_worst_case"],
    ["between the two dates", at(70), okProjection, "after_worst_case"],
    ["exactly at the expected date", at(80), okProjection, "after_worst_case"],
    ["after the expected date", at(81), okProjection, "after_expected"],
    ["no appointment", null, okProjection, "no_appointment"],
    ["no appointment and no projection", null, projectRefill(input({ prescription: null })), "no_appointment"],
    ["unknown projection", at(10), projectRefill(input({ reading: null })), "unknown"],
    ["invalid appointment date", new Date(Number.NaN), okProjection, "unknown"],
    [
      "already below threshold: any appointment is alarm-level",
      at(1),
      projectRefill(input({ reading: { reservoirUl: 1500, at: READING_AT } })),
      "after_expected",
    ],
    [
      "no consumption: any appointment is fine",
      at(1000),
      projectRefill(
        input({
          prescription: { drug: "baclofen", concentration: 2000, dailyDose: 0, lowReservoirThresholdUl: 2000 },
          bolusPermission: null,
        }),
      ),
      "ok",
    ],
    [
      "zero basal, boluses permitted: only the worst case can be exceeded",
      at(200),
      projectRefill(
        input({ prescription: { drug: "baclofen", concentration: 2000, dailyDose: 0, lowReservoirThresholdUl: 2000 } }),
      ),
      "after_worst_case",
    ],
  ];
  it.each(rows)("%s", (_name, appointment, projection, expected) => {
    expect(compareAppointment(appointment, projection)).toBe(expected);
  });
});

describe("clinic worklist ordering", () => {
  const now = at(0);
  const soon = projectRefill(input({ reading: { reservoirUl: 5000, at: READING_AT } })); // worst 10 days
  const later = projectRefill(input()); // worst 53.3 days
  const below = projectRefill(input({ reading: { reservoirUl: 1000, at: READING_AT } }));
  const unknown = projectRefill(input({ reading: null }));
  const idle = projectRefill(
    input({
      prescription: { drug: "baclofen", concentration: 2000, dailyDose: 0, lowReservoirThresholdUl: 2000 },
      bolusPermission: null,
    }),
  );

  it("daysUntilWorstCase", () => {
    expect(daysUntilWorstCase(soon, now)).toBeCloseTo(10, 9);
    expect(daysUntilWorstCase(later, at(3))).toBeCloseTo(16_000 / 300 - 3, 6);
    expect(daysUntilWorstCase(below, at(2))).toBeCloseTo(-2, 9);
    expect(daysUntilWorstCase(unknown, now)).toBeNull();
    expect(daysUntilWorstCase(idle, now)).toBeNull();
  });

  it("sorts unknown first, then by days to the worst-case date, idle pumps last", () => {
    const list = [idle, later, unknown, soon, below];
    const sorted = [...list].sort((a, b) => compareRefillUrgency(a, b, now));
    expect(sorted).toEqual([unknown, below, soon, later, idle]);
    expect(refillUrgencyKey(unknown, now)).toBe(Number.NEGATIVE_INFINITY);
    expect(refillUrgencyKey(idle, now)).toBe(Number.POSITIVE_INFINITY);
    expect(compareRefillUrgency(unknown, unknown, now)).toBe(0);
    expect(compareRefillUrgency(idle, idle, now)).toBe(0);
  });
});

describe("explainProjection", () => {
  it("reference case with boluses, in the patient's zone", () => {
    const p = projectRefill(input({ reading: { reservoirUl: 18_400, at: READING_AT }, bolusVolumeLast7DaysUl: 100 }));
    const e = explainProjection(p, { timeZone: "Europe/London" });
    // 16400 / 300 = 54.67 days → "54 days"; 2026-11-17T10:00Z + 54.67 d = 2027-01-11T02:00Z.
    expect(e.worstCase).toBe(
      "18.4 mL left − 2 mL alarm threshold = 16.4 mL; at 0.3 mL/day (basal 0.2 + up to 4 boluses of 0.025 mL) → 54 days after the reading, on Mon 11 Jan 2027.",
    );
    // 16400 / (200 + 100/7) = 76.53 days.
    expect(e.expected).toBe(
      "18.4 mL left − 2 mL alarm threshold = 16.4 mL; at 0.214 mL/day (basal 0.2 + 0.1 mL of boluses in the last 7 days ÷ 7) → 76 days after the reading, on Mon 1 Feb 2027.",
    );
  });

  it.each<[string, Partial<ProjectionInput>, RegExp, RegExp]>([
    [
      "no boluses permitted or used",
      { bolusPermission: null },
      /\(basal 0\.2; no bolus permission\) → 80 days after the reading\.$/,
      /\(basal 0\.2; no boluses in the last 7 days\) → 80 days/,
    ],
    [
      "bolus switched off",
      { bolusPermission: { dose: 50, maxPer24h: 4, enabled: false } },
      /basal 0\.2; boluses switched off/,
      /no boluses in the last 7 days/,
    ],
    [
      "one bolus per day (singular)",
      { bolusPermission: { dose: 50, maxPer24h: 1, enabled: true } },
      /up to 1 bolus of 0\.025 mL/,
      /→ 80 days/,
    ],
    [
      "reading at the threshold",
      { reading: { reservoirUl: 2000, at: READING_AT } },
      /^2 mL left at the last reading is at or below the 2 mL alarm threshold: a refill is needed now\.$/,
      /refill is needed now/,
    ],
    [
      "crossed since the reading",
      { reading: { reservoirUl: 2500, at: READING_AT }, now: at(3) },
      /→ 1 day after the reading: that date has passed\.$/,
      /→ 2 days after the reading: that date has passed\.$/,
    ],
    [
      "less than a day",
      { reading: { reservoirUl: 2100, at: READING_AT } },
      /→ less than 1 day after the reading\.$/,
      /→ less than 1 day after the reading\.$/,
    ],
    [
      "paused",
      { reading: { reservoirUl: 18_000, at: READING_AT, deliveryPaused: true } },
      /^Delivery is paused: the reservoir stays at 18 mL and does not reach the 2 mL alarm threshold\.$/,
      /^Delivery is paused/,
    ],
    [
      "observed boluses above the permission",
      { bolusPermission: null, bolusVolumeLast7DaysUl: 700 },
      /at 0\.3 mL\/day \(basal 0\.2 \+ 0\.7 mL of boluses delivered in the last 7 days ÷ 7, more than the current bolus permission allows\)/,
      /at 0\.3 mL\/day \(basal 0\.2 \+ 0\.7 mL of boluses in the last 7 days ÷ 7\)/,
    ],
    [
      "zero dose, boluses permitted but unused",
      { prescription: { drug: "baclofen", concentration: 2000, dailyDose: 0, lowReservoirThresholdUl: 2000 } },
      /at 0\.1 mL\/day \(basal 0 \+ up to 4 boluses of 0\.025 mL\) → 160 days after the reading\.$/,
      /^Nothing is delivered \(daily dose 0, no boluses in the last 7 days\): the reservoir stays at 18 mL and does not reach the 2 mL alarm threshold\.$/,
    ],
    [
      "zero dose, no bolus permission",
      {
        prescription: { drug: "baclofen", concentration: 2000, dailyDose: 0, lowReservoirThresholdUl: 2000 },
        bolusPermission: null,
      },
      /^Nothing is delivered \(daily dose 0, no boluses permitted\)/,
      /^Nothing is delivered \(daily dose 0, no boluses in the last 7 days\)/,
    ],
    ["no prescription", { prescription: null }, /^No prescription is on file\.$/, /^No prescription/],
  ])("%s", (_name, over, worst, expected) => {
    const e = explainProjection(projectRefill(input(over)));
    expect(e.worstCase).toMatch(worst);
    expect(e.expected).toMatch(expected);
    expect(`${e.worstCase} ${e.expected}`).not.toMatch(/\d\.\d{4,}|NaN|undefined|Infinity/);
  });

  it("shows the date the worst case lands on in the patient's zone", () => {
    const p = projectRefill(input());
    const e = explainProjection(p, { timeZone: "America/New_York" });
    expect(e.worstCase).toContain(`on ${formatDate(p.worstCase.lowReservoirAt!, "America/New_York")}`);
  });
});
