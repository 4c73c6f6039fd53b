import { describe, expect, it } from "vitest";
import { therapySchema } from "@/lib/pump/therapy-schema";

const base = {
  drug: "baclofen",
  concentration: "2000",
  dailyDose: "400",
  lowReservoirThresholdUl: "2000",
  bolusEnabled: "on",
  bolusDose: "50",
  bolusDurationSeconds: "600",
  lockoutSeconds: "10800",
  maxPer24h: "4",
  capacityUl: "40000",
};

const errors = (over: Record<string, string | undefined>) => {
  const r = therapySchema.safeParse({ ...base, ...over });
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("therapy settings validation", () => {
  it("accepts the demo prescription and coerces form strings to integers", () => {
    const r = therapySchema.parse(base);
    expect(r).toMatchObject({ concentration: 2000, dailyDose: 400, bolusEnabled: true, maxPer24h: 4 });
  });

  it.each([
    [{ concentration: "0" }, "concentration", /implausible|at least/],
    [{ concentration: "-5" }, "concentration", /./],
    [{ concentration: "abc" }, "concentration", /number/],
    [{ dailyDose: "12.5" }, "dailyDose", /whole number/],
    [{ dailyDose: "-1" }, "dailyDose", /./],
    [{ dailyDose: "99999999" }, "dailyDose", /./],
    [{ lockoutSeconds: "300" }, "lockoutSeconds", /at least as long as the bolus/],
    [{ lockoutSeconds: "7200", maxPer24h: "24" }, "maxPer24h", /at most 13 boluses fit in 24 hours/],
    [{ lowReservoirThresholdUl: "100" }, "lowReservoirThresholdUl", /at least 500/],
    [{ drug: "aspirin" }, "drug", /Choose a drug/],
    [{ concentration: "500", dailyDose: "2000", bolusDose: "500", maxPer24h: "8", lockoutSeconds: "3600", capacityUl: "10000", confirmUnusual: "on" }, "maxPer24h", /empty in under a day/],
  ])("refuses %o on %s", (over, field, message) => {
    const e = errors(over);
    expect(e[field], JSON.stringify(e)).toMatch(message);
  });

  it("reports every problem at once, not just the first", () => {
    const e = errors({ concentration: "0", lockoutSeconds: "300" });
    expect(Object.keys(e)).toEqual(expect.arrayContaining(["concentration", "lockoutSeconds"]));
  });

  it("needs explicit confirmation for unusual but possible values", () => {
    const unusual = { concentration: "4000", dailyDose: "1900" };
    const first = errors(unusual);
    expect(Object.values(first).join(" ")).toMatch(/Tick “I have checked these unusual values”/);
    expect(errors({ ...unusual, confirmUnusual: "on" })).toEqual({});
  });
});
