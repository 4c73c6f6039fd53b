import { describe, expect, it } from "vitest";
import { DRUG_LIST } from "@/lib/pump/drugs";
import { ALARM_KINDS, type AlarmKind } from "@/lib/alarms/catalogue";
import { buildAlarmPayload, buildTestPayload, MESSAGE_KINDS, pushPayloadSchema, shortName } from "@/lib/alarms/payload";

const alarmId = "7b0c61f8-3f0e-4c55-9a0c-6a3e3a5d2f10";
const patientId = "0f3c2b8e-2a59-4a8f-8d55-0c1d2e3f4a5b";
const patient = { displayName: "Alex Morgan", timeZone: "Europe/London" };

function payload(kind: AlarmKind, messageKind: Exclude<(typeof MESSAGE_KINDS)[number], "test">, recipientIsPatient = false) {
  return buildAlarmPayload({
    alarm: { id: alarmId, patientId, kind, severity: ALARM_KINDS[kind].severity, detail: { deliveredAt: "2026-11-25T14:05:00Z" } },
    messageKind,
    round: 2,
    recipientIsPatient,
    patient,
    acknowledgedBy: { name: "Sam Morgan", at: new Date("2026-11-25T14:07:00Z") },
  });
}

describe("notification payloads", () => {
  it("names whose pump and what is wrong, nothing more", () => {
    expect(payload("device_motor_stall", "raise")).toEqual({
      v: 1,
      kind: "raise",
      alarmId,
      patientId,
      alarmKind: "device_motor_stall",
      severity: "critical",
      title: "Urgent: Alex’s pump — motor stopped",
      body: "The pump motor stopped and the pump may not be delivering. Contact the clinic now.",
      tag: `alarm-${alarmId}`,
      url: `/alarms/${alarmId}`,
      ackUrl: `/api/alarms/${alarmId}/ack`,
    });
    expect(payload("device_low_reservoir", "raise", true).title).toBe("Your pump — reservoir low");
  });

  it("words reminders, all clears and acknowledgements", () => {
    expect(payload("device_motor_stall", "renotify").body).toBe(
      "Reminder 2: not yet acknowledged. The pump motor stopped and the pump may not be delivering. Contact the clinic now. Repeats every 5 minutes until acknowledged.",
    );
    expect(payload("device_low_reservoir", "all_clear")).toMatchObject({ title: "All clear: Alex’s pump — reservoir low", body: "The pump no longer reports a low reservoir.", ackUrl: null });
    expect(payload("device_motor_stall", "acknowledged")).toMatchObject({ title: "Alex’s pump — motor stopped", body: "Acknowledged by Sam Morgan at 14:07.", ackUrl: null });
    expect(payload("bolus_delivered", "raise")).toMatchObject({ body: "The pump recorded a bolus at 14:05.", ackUrl: null, severity: "info" });
  });

  it("never puts a drug name, dose, volume or percentage on the lock screen, for any kind and message", () => {
    const drugWords = DRUG_LIST.flatMap((d) => [d.id, d.displayName.toLowerCase()]);
    for (const kind of Object.keys(ALARM_KINDS) as AlarmKind[]) {
      for (const m of MESSAGE_KINDS) {
        if (m === "test") continue;
        for (const self of [true, false]) {
          const p = payload(kind, m, self);
          expect(pushPayloadSchema.safeParse(p).success).toBe(true);
          const text = `${p.title} ${p.body}`.toLowerCase();
          for (const w of drugWords) expect(text, `${kind}/${m}`).not.toContain(w);
          expect(text).not.toMatch(/µg|\bmg\b|\bml\b|\bunits?\b|\d+\s?%/);
        }
      }
    }
    expect(pushPayloadSchema.safeParse(buildTestPayload(alarmId)).success).toBe(true);
  });

  it("shortens names to the first name", () => {
    expect(shortName("  Alex   Morgan ")).toBe("Alex");
    expect(shortName("")).toBe("Your person");
    expect(payload("device_low_reservoir", "raise").title.length).toBeLessThanOrEqual(120);
  });
});
