import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EARTH_RADIUS_KM,
  haversineKm,
  haversineMiles,
  isSiteOpen,
  kmToMiles,
  milesToKm,
  nearestOpenSite,
  nearestSite,
} from "@/lib/trials/geo";
import { BOSTON, LOS_ANGELES, NEW_YORK, site } from "./fixtures";

const LONDON = { lat: 51.5074, lon: -0.1278 };
const PARIS = { lat: 48.8566, lon: 2.3522 };
const SYDNEY = { lat: -33.8688, lon: 151.2093 };

/** Within `pct` percent of the expected value. */
function near(actual: number, expected: number, pct = 1): void {
  expect(Math.abs(actual - expected) / expected).toBeLessThan(pct / 100);
}

describe("haversine distance", () => {
  it("matches published great-circle distances for known city pairs (±1 %)", () => {
    near(haversineKm(NEW_YORK, LOS_ANGELES), 3936);
    near(haversineMiles(NEW_YORK, LOS_ANGELES), 2446);
    near(haversineKm(BOSTON, NEW_YORK), 306);
    near(haversineKm(LONDON, PARIS), 344);
    near(haversineKm(LONDON, SYDNEY), 16994);
  });

  it("is zero to itself and half the circumference to the antipode", () => {
    expect(haversineKm(BOSTON, BOSTON)).toBe(0);
    near(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 }), Math.PI * EARTH_RADIUS_KM, 0.0001);
  });

  it("converts miles and kilometres", () => {
    expect(kmToMiles(1.609344)).toBeCloseTo(1, 12);
    expect(milesToKm(kmToMiles(123.4))).toBeCloseTo(123.4, 10);
  });

  it("refuses invalid coordinates instead of returning nonsense", () => {
    expect(() => haversineKm({ lat: 91, lon: 0 }, BOSTON)).toThrow(RangeError);
    expect(() => haversineKm({ lat: 0, lon: Number.NaN }, BOSTON)).toThrow(RangeError);
  });

  const point = fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
  });

  it("is symmetric, bounded and obeys the triangle inequality (property)", () => {
    fc.assert(
      fc.property(point, point, point, (a, b, c) => {
        const ab = haversineKm(a, b);
        expect(ab).toBeCloseTo(haversineKm(b, a), 6);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(Math.PI * EARTH_RADIUS_KM + 1e-6);
        expect(ab).toBeLessThanOrEqual(haversineKm(a, c) + haversineKm(c, b) + 1e-6);
      }),
    );
  });
});

describe("nearest site", () => {
  const boston = site({ facility: "Boston site" });
  const ny = site({ facility: "NY site", city: "New York", lat: NEW_YORK.lat, lon: NEW_YORK.lon });
  const la = site({ facility: "LA site", city: "Los Angeles", lat: LOS_ANGELES.lat, lon: LOS_ANGELES.lon });
  const unlocated = site({ facility: "No geo", lat: null, lon: null });

  it("picks the closest site with coordinates", () => {
    const r = nearestSite(NEW_YORK, [la, unlocated, boston, ny]);
    expect(r?.site.facility).toBe("NY site");
    expect(r?.distanceKm).toBe(0);
    expect(nearestSite(NEW_YORK, [unlocated])).toBeNull();
    expect(nearestSite(NEW_YORK, [])).toBeNull();
  });

  it("only counts open sites; a site with no status follows the trial's status", () => {
    const closedNy = { ...ny, status: "COMPLETED" };
    expect(nearestOpenSite(NEW_YORK, [closedNy, boston, la], "RECRUITING")?.site.facility).toBe("Boston site");
    const blank = { ...ny, status: null };
    expect(isSiteOpen(blank, "RECRUITING")).toBe(true);
    expect(isSiteOpen(blank, "ACTIVE_NOT_RECRUITING")).toBe(false);
    expect(isSiteOpen({ ...ny, status: "NOT_YET_RECRUITING" }, "RECRUITING")).toBe(true);
    expect(isSiteOpen({ ...ny, status: "WITHDRAWN" }, "RECRUITING")).toBe(false);
  });
});
