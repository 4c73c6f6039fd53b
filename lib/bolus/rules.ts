// Bolus permission rules (DESIGN.md "The pump, numerically"), framework-free.
// The device is the authority; these rules drive what the UI shows and the server's re-check
// of synced history. They never send anything to a pump.

export const DAY_S = 86_400;

export interface PermissionRule {
  version: number;
  enabled: boolean;
  dose: number;
  lockoutSeconds: number;
  maxPer24h: number;
  /** When this version took effect. */
  effectiveFrom: Date;
}

export type UnavailableReason = "disabled" | "lockout" | "daily_max" | "reservoir_low" | "critical_alarm" | "not_connected" | "no_permission";

export interface AvailabilityInput {
  permission: PermissionRule | null;
  /** Times of boluses the device confirmed (any order). */
  deliveries: readonly Date[];
  reservoirUl: number | null;
  thresholdUl: number | null;
  bolusVolumeUl: number | null;
  criticalAlarm: boolean;
  connected: boolean;
  now: Date;
}

export interface Availability {
  allowed: boolean;
  reasons: UnavailableReason[];
  /** Boluses still allowed in the rolling 24 h ending now. */
  remaining: number;
  usedLast24h: number;
  /** When time-based limits next allow one (null: not time-limited, or never by time alone). */
  nextAllowedAt: Date | null;
}

/**
 * "Allowed now" needs: enabled, no lockout running, fewer than the maximum in the past 24 h,
 * reservoir above the low threshold plus one bolus, no critical alarm, and a connected handheld.
 * Every failing reason is listed so the page can say all of them.
 */
export function bolusAvailability(input: AvailabilityInput): Availability {
  const { permission: p, now } = input;
  const t = now.getTime();
  if (!p) return { allowed: false, reasons: ["no_permission"], remaining: 0, usedLast24h: 0, nextAllowedAt: null };
  const sorted = [...input.deliveries].map((d) => d.getTime()).filter((d) => d <= t).sort((a, b) => a - b);
  const windowStart = t - DAY_S * 1000;
  const inWindow = sorted.filter((d) => d > windowStart);
  const reasons: UnavailableReason[] = [];
  let nextAllowed = t;
  if (!p.enabled) reasons.push("disabled");
  const last = sorted.at(-1);
  if (last !== undefined && last + p.lockoutSeconds * 1000 > t) {
    reasons.push("lockout");
    nextAllowed = Math.max(nextAllowed, last + p.lockoutSeconds * 1000);
  }
  if (inWindow.length >= p.maxPer24h) {
    reasons.push("daily_max");
    // The window frees a slot when the oldest delivery that keeps it full leaves the window.
    const oldestBlocking = inWindow[inWindow.length - p.maxPer24h]!;
    nextAllowed = Math.max(nextAllowed, oldestBlocking + DAY_S * 1000);
  }
  if (input.reservoirUl !== null && input.thresholdUl !== null && input.bolusVolumeUl !== null && input.reservoirUl <= input.thresholdUl + input.bolusVolumeUl) {
    reasons.push("reservoir_low");
  }
  if (input.criticalAlarm) reasons.push("critical_alarm");
  if (!input.connected) reasons.push("not_connected");
  const timeLimited = reasons.includes("lockout") || reasons.includes("daily_max");
  return {
    allowed: reasons.length === 0,
    reasons,
    remaining: Math.max(0, p.maxPer24h - inWindow.length),
    usedLast24h: inWindow.length,
    nextAllowedAt: timeLimited ? new Date(nextAllowed) : null,
  };
}

export interface DeliveryToCheck {
  key: string;
  at: Date;
  dose: number;
}

export interface Violation {
  key: string;
  rule: "disabled" | "lockout" | "daily_max" | "dose" | "no_permission";
  detail: string;
}

/** The permission version in force at `at`: the newest one effective at or before it. */
export function permissionAt(permissions: readonly PermissionRule[], at: Date): PermissionRule | null {
  let best: PermissionRule | null = null;
  for (const p of permissions) {
    if (p.effectiveFrom.getTime() <= at.getTime() && (!best || p.version > best.version)) best = p;
  }
  return best;
}

/**
 * Re-checks delivered boluses against the permission in force at each delivery (safety rule 3).
 * Only a misbehaving device can produce a violation; each one becomes a critical alarm.
 */
export function findViolations(deliveries: readonly DeliveryToCheck[], permissions: readonly PermissionRule[]): Violation[] {
  const sorted = [...deliveries].sort((a, b) => a.at.getTime() - b.at.getTime());
  const out: Violation[] = [];
  sorted.forEach((d, i) => {
    const p = permissionAt(permissions, d.at);
    if (!p) {
      out.push({ key: d.key, rule: "no_permission", detail: "delivered while no bolus permission was in force" });
      return;
    }
    if (!p.enabled) out.push({ key: d.key, rule: "disabled", detail: `delivered while boluses were switched off (permission v${p.version})` });
    if (d.dose !== p.dose) out.push({ key: d.key, rule: "dose", detail: `dose ${d.dose} differs from the permitted ${p.dose} (permission v${p.version})` });
    const prev = sorted[i - 1];
    if (prev && d.at.getTime() - prev.at.getTime() < p.lockoutSeconds * 1000) {
      out.push({ key: d.key, rule: "lockout", detail: `${Math.round((d.at.getTime() - prev.at.getTime()) / 1000)} s after the previous bolus; lockout is ${p.lockoutSeconds} s` });
    }
    const windowStart = d.at.getTime() - DAY_S * 1000;
    const countInWindow = sorted.slice(0, i + 1).filter((x) => x.at.getTime() > windowStart).length;
    if (countInWindow > p.maxPer24h) out.push({ key: d.key, rule: "daily_max", detail: `${countInWindow} boluses in 24 h; the maximum is ${p.maxPer24h}` });
  });
  return out;
}

/** The handheld's own view of bolus limits, as its Status reported them at `readAt`. */
export interface DeviceBolusState {
  permission: { enabled: boolean; dose: number; volumeUl: number; lockoutS: number; maxPer24h: number; version: number };
  bolus: { lockoutRemainingS: number; usedLast24h: number; dailyMaxResetS: number };
  reservoirUl: number;
  lowReservoirThresholdUl: number;
  criticalAlarm: boolean;
}

/**
 * Availability from the connected device (the authority), aged from when its status was read:
 * remaining lockout and window times count down from that moment.
 */
export function deviceAvailability(d: DeviceBolusState, readAt: Date, now: Date): Availability {
  const elapsedS = Math.max(0, (now.getTime() - readAt.getTime()) / 1000);
  const reasons: UnavailableReason[] = [];
  let waitS = 0;
  if (!d.permission.enabled) reasons.push("disabled");
  const lockoutLeft = d.bolus.lockoutRemainingS - elapsedS;
  if (lockoutLeft > 0) {
    reasons.push("lockout");
    waitS = Math.max(waitS, lockoutLeft);
  }
  const windowLeft = d.bolus.dailyMaxResetS - elapsedS;
  const atMax = d.bolus.usedLast24h >= d.permission.maxPer24h && windowLeft > 0;
  if (atMax) {
    reasons.push("daily_max");
    waitS = Math.max(waitS, windowLeft);
  }
  if (d.reservoirUl <= d.lowReservoirThresholdUl + d.permission.volumeUl) reasons.push("reservoir_low");
  if (d.criticalAlarm) reasons.push("critical_alarm");
  const used = atMax || d.bolus.dailyMaxResetS === 0 ? d.bolus.usedLast24h : Math.min(d.bolus.usedLast24h, d.permission.maxPer24h - 1);
  return {
    allowed: reasons.length === 0,
    reasons,
    remaining: Math.max(0, d.permission.maxPer24h - used),
    usedLast24h: used,
    nextAllowedAt: waitS > 0 ? new Date(now.getTime() + waitS * 1000) : null,
  };
}
