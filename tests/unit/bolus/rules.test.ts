import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bolusAvailability, deviceAvailability, findViolations, permissionAt, type PermissionRule } from "@/lib/bolus/rules";

const H = 3600_000;
const t0 = new Date("2026-11-25T12:00:00Z");
const at = (hoursFromT0: number) => new Date(t0.getTime() + hoursFromT0 * H);
const perm: PermissionRule = { version: 1, enabled: true, dose: 50, lockoutSeconds: 3 * 3600, maxPer24h: 4, effectiveFrom: at(-1000) };
const base = { permission: perm, deliveries: [] as Date[], reservoirUl: 20_000, thresholdUl: 2000, bolusVolumeUl: 25, criticalAlarm: false, connected: true, now: t0 };

describe("bolus availability (what the page says)", () => {
  it("allows a bolus with nothing in the way", () => {
    expect(bolusAvailability(base)).toMatchObject({ allowed: true, reasons: [], remaining: 4, usedLast24h: 0, nextAllowedAt: null });
  });

  it("lockout: refuses until lockout after the last delivery, and says when", () => {
    const a = bolusAvailability({ ...base, deliveries: [at(-1)] });
    expect(a.reasons).toEqual(["lockout"]);
    expect(a.nextAllowedAt).toEqual(at(2));
    expect(a.remaining).toBe(3);
    expect(bolusAvailability({ ...base, deliveries: [at(-3)] }).allowed).toBe(true);
  });

  it("rolling 24 h maximum: the slot frees when the oldest blocking delivery leaves the window", () => {
    const deliveries = [at(-23), at(-18), at(-12), at(-6)];
    const a = bolusAvailability({ ...base, deliveries });
    expect(a.reasons).toEqual(["daily_max"]);
    expect(a.remaining).toBe(0);
    expect(a.nextAllowedAt).toEqual(at(1));
    // One millisecond after the window edge passes the oldest delivery, one is allowed again.
    const later = bolusAvailability({ ...base, deliveries, now: new Date(at(1).getTime() + 1) });
    expect(later).toMatchObject({ allowed: true, remaining: 1 });
    // Exactly at the edge the oldest delivery has just left the (exclusive) window.
    expect(bolusAvailability({ ...base, deliveries, now: at(1) }).allowed).toBe(true);
  });

  it("lists every reason at once", () => {
    const a = bolusAvailability({ ...base, permission: { ...perm, enabled: false }, deliveries: [at(-1)], reservoirUl: 2020, criticalAlarm: true, connected: false });
    expect(a.reasons).toEqual(["disabled", "lockout", "reservoir_low", "critical_alarm", "not_connected"]);
    expect(a.allowed).toBe(false);
  });

  it("reservoir must stay above threshold plus one bolus (strictly)", () => {
    expect(bolusAvailability({ ...base, reservoirUl: 2025 }).reasons).toEqual(["reservoir_low"]);
    expect(bolusAvailability({ ...base, reservoirUl: 2026 }).allowed).toBe(true);
  });

  it("without a permission nothing is allowed", () => {
    expect(bolusAvailability({ ...base, permission: null }).reasons).toEqual(["no_permission"]);
  });

  it("property: never allowed while a lockout or the maximum holds; next time is never in the past", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -48 * 60, max: 0 }), { maxLength: 12 }), (minutes) => {
        const deliveries = minutes.map((m) => new Date(t0.getTime() + m * 60_000));
        const a = bolusAvailability({ ...base, deliveries });
        const last = Math.max(...deliveries.map((d) => d.getTime()), -Infinity);
        const inDay = deliveries.filter((d) => d.getTime() > t0.getTime() - 24 * H).length;
        const blocked = last + perm.lockoutSeconds * 1000 > t0.getTime() || inDay >= perm.maxPer24h;
        expect(a.allowed).toBe(!blocked);
        if (a.nextAllowedAt) expect(a.nextAllowedAt.getTime()).toBeGreaterThan(t0.getTime());
      }),
    );
  });
});

describe("server re-check of delivered boluses", () => {
  const d = (key: string, h: number, dose = 50) => ({ key, at: at(h), dose });

  it("finds nothing in a compliant history", () => {
    expect(findViolations([d("a", -20), d("b", -15), d("c", -10), d("d", -5)], [perm])).toEqual([]);
  });

  it("flags a lockout breach, a fifth bolus in 24 h, a wrong dose and a disabled permission", () => {
    const v = findViolations([d("a", -20), d("b", -19), d("c", -10), d("d", -6), d("e", -2, 80)], [perm]);
    expect(v.map((x) => `${x.key}:${x.rule}`)).toEqual(["b:lockout", "e:dose", "e:daily_max"]);
    const off = findViolations([d("x", -1)], [perm, { ...perm, version: 2, enabled: false, effectiveFrom: at(-2) }]);
    expect(off.map((x) => x.rule)).toEqual(["disabled"]);
  });

  it("uses the permission in force at each delivery", () => {
    const v2 = { ...perm, version: 2, lockoutSeconds: 3600, effectiveFrom: at(-5) };
    expect(permissionAt([perm, v2], at(-6))?.version).toBe(1);
    expect(permissionAt([perm, v2], at(-5))?.version).toBe(2);
    // 1.5 h apart: a breach under v1 (3 h lockout) but fine under v2 (1 h).
    expect(findViolations([d("a", -9), d("b", -7.5)], [perm, v2]).map((x) => x.rule)).toEqual(["lockout"]);
    expect(findViolations([d("a", -3), d("b", -1.5)], [perm, v2])).toEqual([]);
  });
});

describe("availability from the connected handheld", () => {
  const dev = {
    permission: { enabled: true, dose: 50, volumeUl: 25, lockoutS: 10_800, maxPer24h: 4, version: 1 },
    bolus: { lockoutRemainingS: 0, usedLast24h: 1, dailyMaxResetS: 0 },
    reservoirUl: 20_000,
    lowReservoirThresholdUl: 2000,
    criticalAlarm: false,
  };
  it("follows the device's lockout, counting down from when the status was read", () => {
    const d = { ...dev, bolus: { ...dev.bolus, lockoutRemainingS: 3600 } };
    const a = deviceAvailability(d, t0, new Date(t0.getTime() + 600_000));
    expect(a).toMatchObject({ allowed: false, reasons: ["lockout"], remaining: 3 });
    expect(a.nextAllowedAt).toEqual(new Date(t0.getTime() + 3600_000));
    expect(deviceAvailability(d, t0, new Date(t0.getTime() + 3600_000)).allowed).toBe(true);
  });
  it("at the daily maximum waits for the window, then frees one slot", () => {
    const d = { ...dev, bolus: { lockoutRemainingS: 0, usedLast24h: 4, dailyMaxResetS: 7200 } };
    expect(deviceAvailability(d, t0, t0)).toMatchObject({ reasons: ["daily_max"], remaining: 0 });
    expect(deviceAvailability(d, t0, new Date(t0.getTime() + 7200_000))).toMatchObject({ allowed: true, remaining: 1 });
  });
  it("reservoir floor and critical alarm", () => {
    expect(deviceAvailability({ ...dev, reservoirUl: 2025 }, t0, t0).reasons).toEqual(["reservoir_low"]);
    expect(deviceAvailability({ ...dev, criticalAlarm: true }, t0, t0).reasons).toEqual(["critical_alarm"]);
  });
});

describe("re-sending a token the device never received (protocol §9)", () => {
  it("is allowed only within 10 minutes of the request; later the token is settled by sync", async () => {
    const { maySendSameTokenAgain, RESEND_WINDOW_MS } = await import("@/components/bolus/flow");
    const at = new Date("2026-11-25T10:00:00Z");
    expect(maySendSameTokenAgain(at, new Date(at.getTime() + 1000))).toBe(true);
    expect(maySendSameTokenAgain(at, new Date(at.getTime() + RESEND_WINDOW_MS - 1))).toBe(true);
    expect(maySendSameTokenAgain(at, new Date(at.getTime() + RESEND_WINDOW_MS))).toBe(false);
    expect(maySendSameTokenAgain(at, new Date(at.getTime() + 3 * 3600_000))).toBe(false);
    // A phone clock set back cannot make an old token look fresh.
    expect(maySendSameTokenAgain(at, new Date(at.getTime() - 60_000))).toBe(false);
  });
});
