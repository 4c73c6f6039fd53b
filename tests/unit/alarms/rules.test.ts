import { describe, expect, it } from "vitest";
import { projectRefill } from "@/lib/pump/projection";
import { ALARM_BITS } from "@/lib/pump-link/types";
import { ALARM_KINDS } from "@/lib/alarms/catalogue";
import { deriveAlarms, planAlarmChanges, type AlarmSnapshot, type DesiredAlarm } from "@/lib/alarms/rules";

const now = new Date("2026-11-25T10:00:00Z");
const H = 3_600_000;
const flag = (name: keyof typeof ALARM_BITS) => 1 << ALARM_BITS[name];

function snap(over: Partial<AlarmSnapshot> = {}): AlarmSnapshot {
  return {
    now,
    hasPump: true,
    pumpCreatedAt: new Date(now.getTime() - 400 * 24 * H),
    staleSyncThresholdSeconds: 24 * 3600,
    latestReadingAt: new Date(now.getTime() - 2 * H),
    deviceFlags: 0,
    deviceFlagsAt: new Date(now.getTime() - 2 * H),
    scheduledAppointments: [],
    projection: null,
    violations: [],
    deliveredBoluses: [],
    ...over,
  };
}
const keys = (a: DesiredAlarm[]) => a.map((x) => x.dedupeKey).sort();

describe("deriveAlarms", () => {
  it("raises nothing for a healthy, recently synced pump", () => {
    expect(deriveAlarms(snap())).toEqual([]);
  });

  it("maps every device flag to its kind and severity; unknown bits are critical", () => {
    const all = Object.keys(ALARM_BITS).reduce((f, n) => f | flag(n as keyof typeof ALARM_BITS), 0) | (1 << 12);
    const got = deriveAlarms(snap({ deviceFlags: all }));
    expect(got.map((a) => [a.kind, a.severity])).toEqual([
      ["device_low_reservoir", "warning"],
      ["device_empty_reservoir", "critical"],
      ["device_battery_replacement_due", "warning"],
      ["device_battery_end_of_service", "critical"],
      ["device_motor_stall", "critical"],
      ["device_memory_error", "critical"],
      ["device_occlusion", "critical"],
      ["device_time_not_set", "warning"],
      ["device_unknown", "critical"],
    ]);
    expect(got.at(-1)).toMatchObject({ dedupeKey: "device:bit12", detail: { bit: 12 } });
  });

  it("raises no sync only once the patient's threshold has passed (exactly at it is not yet stale)", () => {
    const at = (ms: number) => snap({ latestReadingAt: new Date(now.getTime() - ms) });
    expect(keys(deriveAlarms(at(24 * H)))).toEqual([]);
    expect(keys(deriveAlarms(at(24 * H + 1000)))).toEqual(["no_sync"]);
    expect(keys(deriveAlarms(snap({ staleSyncThresholdSeconds: 3600, latestReadingAt: new Date(now.getTime() - 2 * H) })))).toEqual(["no_sync"]);
    // Never synced: counted from when the pump was registered.
    expect(keys(deriveAlarms(snap({ latestReadingAt: null, pumpCreatedAt: new Date(now.getTime() - 2 * H) })))).toEqual([]);
    expect(keys(deriveAlarms(snap({ latestReadingAt: null })))).toEqual(["no_sync"]);
    expect(keys(deriveAlarms(snap({ hasPump: false, latestReadingAt: null })))).toEqual([]);
  });

  it("counts a scheduled appointment more than an hour past as missed", () => {
    const appts = [
      { id: "a", scheduledAt: new Date(now.getTime() - H - 1000) },
      { id: "b", scheduledAt: new Date(now.getTime() - H + 1000) },
    ];
    expect(keys(deriveAlarms(snap({ scheduledAppointments: appts })))).toEqual(["appointment_missed:a"]);
  });

  it("raises refill-after-projection when the next appointment is after the expected low-reservoir date", () => {
    const projection = projectRefill({
      reading: { reservoirUl: 3000, at: now },
      capacityUl: 20_000,
      prescription: { drug: "baclofen", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: 2000 },
      bolusPermission: null,
      bolusVolumeLast7DaysUl: 0,
      now,
    });
    // 1000 µL above the threshold at 200 µL/day: low in 5 days.
    const soon = [{ id: "s", scheduledAt: new Date(now.getTime() + 4 * 24 * H) }];
    const late = [{ id: "l", scheduledAt: new Date(now.getTime() + 6 * 24 * H) }];
    expect(keys(deriveAlarms(snap({ projection, scheduledAppointments: soon })))).toEqual([]);
    expect(deriveAlarms(snap({ projection, scheduledAppointments: late }))).toEqual([
      expect.objectContaining({ kind: "refill_after_projection", dedupeKey: "refill_after_projection:l", severity: "warning" }),
    ]);
    // A missed appointment is its own alarm; the check looks at the next one still to come.
    const both = [{ id: "m", scheduledAt: new Date(now.getTime() - 3 * H) }, ...late];
    expect(keys(deriveAlarms(snap({ projection, scheduledAppointments: both })))).toEqual(["appointment_missed:m", "refill_after_projection:l"]);
  });

  it("raises limit violations within the lookback, and bolus notices only while recent", () => {
    const got = deriveAlarms(
      snap({
        violations: [
          { id: "v1", at: new Date(now.getTime() - 2 * 24 * H) },
          { id: "v0", at: new Date(now.getTime() - 40 * 24 * H) },
        ],
        deliveredBoluses: [
          { id: "b1", deliveredAt: new Date(now.getTime() - H) },
          { id: "b0", deliveredAt: new Date(now.getTime() - 13 * H) },
        ],
      }),
    );
    expect(got.map((a) => [a.dedupeKey, a.severity, a.lifecycle])).toEqual([
      ["bolus_limit_violation:v1", "critical", "event"],
      ["bolus_delivered:b1", "info", "notice"],
    ]);
  });
});

describe("planAlarmChanges", () => {
  const low = deriveAlarms(snap({ deviceFlags: flag("lowReservoir") }));
  const violation = deriveAlarms(snap({ violations: [{ id: "v", at: now }] }));

  it("raises what is new and leaves what is already open", () => {
    expect(planAlarmChanges(low, [], new Set()).raise.map((a) => a.dedupeKey)).toEqual(["device:lowReservoir"]);
    expect(planAlarmChanges(low, [{ id: "1", kind: "device_low_reservoir", dedupeKey: "device:lowReservoir" }], new Set())).toEqual({ raise: [], resolve: [] });
  });

  it("resolves open condition alarms whose condition cleared, never events or unknown kinds", () => {
    const open = [
      { id: "1", kind: "device_low_reservoir", dedupeKey: "device:lowReservoir" },
      { id: "2", kind: "bolus_limit_violation", dedupeKey: "bolus_limit_violation:v" },
      { id: "3", kind: "from_a_newer_version", dedupeKey: "x" },
    ];
    expect(planAlarmChanges([], open, new Set())).toEqual({ raise: [], resolve: ["1"] });
  });

  it("raises a past fact once, ever: an acknowledged violation does not come back", () => {
    expect(planAlarmChanges(violation, [], new Set()).raise).toHaveLength(1);
    expect(planAlarmChanges(violation, [], new Set(["bolus_limit_violation:v"])).raise).toHaveLength(0);
    // A condition that ended and came back is a new alarm.
    expect(planAlarmChanges(low, [], new Set(["device:lowReservoir"])).raise).toHaveLength(1);
  });

  it("every kind has words for the lock screen, and every condition an all clear", () => {
    for (const [kind, def] of Object.entries(ALARM_KINDS)) {
      expect(def.headline, kind).toMatch(/^[a-z]/);
      expect(def.advice, kind).toMatch(/\.$/);
      if (def.lifecycle === "condition") expect("cleared" in def && def.cleared, kind).toBeTruthy();
    }
  });
});
