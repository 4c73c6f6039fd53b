import { describe, expect, it } from "vitest";
import { buildAlarmPayload } from "@/lib/alarms/payload";
import { notificationFor, parsePushPayload } from "@/lib/alarms/notification-display";

const alarm = { id: "7b0c61f8-3f0e-4c55-9a0c-6a3e3a5d2f10", patientId: "0f3c2b8e-2a59-4a8f-8d55-0c1d2e3f4a5b", kind: "device_motor_stall", severity: "critical" as const, detail: null };
const patient = { displayName: "Alex Morgan", timeZone: "Europe/London" };
const shown = (messageKind: "raise" | "renotify" | "all_clear" | "acknowledged", severity: "critical" | "warning" = "critical") =>
  notificationFor(parsePushPayload(JSON.stringify(buildAlarmPayload({ alarm: { ...alarm, severity }, messageKind, round: 1, recipientIsPatient: false, patient }))), 1000);

describe("service worker notification display", () => {
  it("a critical alarm stays on screen, vibrates and offers Acknowledge", () => {
    const { title, options } = shown("raise");
    expect(title).toBe("Urgent: Alex’s pump — motor stopped");
    expect(options).toMatchObject({
      requireInteraction: true,
      renotify: true,
      silent: false,
      tag: `alarm-${alarm.id}`,
      actions: [{ action: "acknowledge", title: "Acknowledge" }],
      data: { url: `/alarms/${alarm.id}`, ackUrl: `/api/alarms/${alarm.id}/ack` },
    });
    expect(options.vibrate?.length).toBeGreaterThan(0);
    expect(shown("renotify").options.requireInteraction).toBe(true);
  });

  it("a warning can be acknowledged but does not demand interaction", () => {
    const { options } = shown("raise", "warning");
    expect(options.requireInteraction).toBe(false);
    expect(options.vibrate).toBeUndefined();
    expect(options.actions).toEqual([{ action: "acknowledge", title: "Acknowledge" }]);
  });

  it("all clears and acknowledgements replace the alarm by tag and offer nothing to acknowledge", () => {
    for (const kind of ["all_clear", "acknowledged"] as const) {
      const { options } = shown(kind);
      expect(options).toMatchObject({ requireInteraction: false, actions: [], tag: `alarm-${alarm.id}`, data: { ackUrl: null } });
    }
    expect(shown("acknowledged").options.silent).toBe(true);
  });

  it("shows something for any payload it cannot read (a lost alarm is worse than a vague one)", () => {
    for (const bad of ["", "not json", "null", JSON.stringify({ kind: "raise" }), JSON.stringify({ ...buildAlarmPayload({ alarm, messageKind: "raise", round: 0, recipientIsPatient: true, patient }), url: "https://evil.example/" })]) {
      const { title, options } = notificationFor(parsePushPayload(bad), 0);
      expect(title).toBe("Pump Portal alarm");
      expect(options.data.url).toBe("/alarms");
      expect(options.requireInteraction).toBe(true);
    }
  });
});
