/**
 * The JSON a push message carries to the service worker (sw/push.ts shows it). Pure, so the
 * wording is unit-tested. Lock-screen rule: no drug names, no doses, no volumes — only whose
 * pump, what kind of problem, and what to do; the alarm page (behind sign-in) has the detail.
 */
import { z } from "zod";
import { formatTime } from "@/lib/pump/time";
import { alarmKindDefinition, RENOTIFY_SECONDS, type AlarmSeverity } from "./catalogue";

export const MESSAGE_KINDS = ["raise", "renotify", "all_clear", "acknowledged", "test"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Version 1 of the payload; the service worker validates the same shape. */
export const pushPayloadSchema = z.object({
  v: z.literal(1),
  kind: z.enum(MESSAGE_KINDS),
  alarmId: z.uuid().nullable(),
  patientId: z.uuid().nullable(),
  alarmKind: z.string().nullable(),
  severity: z.enum(["critical", "warning", "info"]),
  title: z.string().min(1).max(120),
  body: z.string().max(400),
  /** Notifications with the same tag replace each other (raise → reminder → all clear). */
  tag: z.string().min(1).max(80),
  /** Same-origin path the notification opens. */
  url: z.string().startsWith("/"),
  /** Same-origin path the "Acknowledge" action POSTs to; null when there is nothing to acknowledge. */
  ackUrl: z.string().startsWith("/").nullable(),
});
export type PushPayload = z.infer<typeof pushPayloadSchema>;

export interface PayloadAlarm {
  id: string;
  patientId: string;
  kind: string;
  severity: AlarmSeverity;
  detail: Record<string, unknown> | null;
}

export interface PayloadInput {
  alarm: PayloadAlarm;
  messageKind: Exclude<MessageKind, "test">;
  /** Reminder number for "renotify" (1, 2, …). */
  round: number;
  /** The recipient is the patient themself ("Your pump") rather than a caregiver. */
  recipientIsPatient: boolean;
  patient: { displayName: string; timeZone: string };
  acknowledgedBy?: { name: string; at: Date } | null;
}

/** "Alex Morgan" → "Alex": enough for a caregiver to know whose pump, little for a passer-by. */
export function shortName(displayName: string): string {
  const first = displayName.trim().split(/\s+/)[0] ?? "";
  return first.length > 0 ? first.slice(0, 40) : "Your person";
}

function whose(input: PayloadInput): string {
  if (input.recipientIsPatient) return "Your pump";
  const name = shortName(input.patient.displayName);
  return `${name}${name.endsWith("s") ? "’" : "’s"} pump`;
}

function iso(detail: Record<string, unknown> | null, key: string): Date | null {
  const v = detail?.[key];
  if (typeof v !== "string") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function alarmPaths(alarmId: string) {
  return { url: `/alarms/${alarmId}`, ackUrl: `/api/alarms/${alarmId}/ack` };
}

export function alarmTag(alarmId: string): string {
  return `alarm-${alarmId}`;
}

export function buildAlarmPayload(input: PayloadInput): PushPayload {
  const { alarm, messageKind } = input;
  const def = alarmKindDefinition(alarm.kind);
  const head = `${whose(input)} — ${def.headline}`;
  const { url, ackUrl } = alarmPaths(alarm.id);
  let title = alarm.severity === "critical" ? `Urgent: ${head}` : head;
  let body: string = def.advice;
  if (alarm.kind === "bolus_delivered") {
    const at = iso(alarm.detail, "deliveredAt");
    body = at ? `The pump recorded a bolus at ${formatTime(at, input.patient.timeZone)}.` : def.advice;
  }
  let acknowledgeable = def.lifecycle !== "notice";
  switch (messageKind) {
    case "raise":
      break;
    case "renotify": {
      const minutes = Math.round((RENOTIFY_SECONDS[alarm.severity] ?? 0) / 60);
      body = `Reminder ${input.round}: not yet acknowledged. ${body}`;
      if (alarm.severity === "critical" && minutes > 0) body += ` Repeats every ${minutes} minutes until acknowledged.`;
      break;
    }
    case "all_clear":
      title = `All clear: ${head}`;
      body = def.cleared ?? "The alarm has ended.";
      acknowledgeable = false;
      break;
    case "acknowledged": {
      title = head;
      const by = input.acknowledgedBy;
      body = by ? `Acknowledged by ${by.name} at ${formatTime(by.at, input.patient.timeZone)}.` : "Acknowledged.";
      acknowledgeable = false;
      break;
    }
  }
  return {
    v: 1,
    kind: messageKind,
    alarmId: alarm.id,
    patientId: alarm.patientId,
    alarmKind: alarm.kind,
    severity: alarm.severity,
    title: title.slice(0, 120),
    body: body.slice(0, 400),
    tag: alarmTag(alarm.id),
    url,
    ackUrl: acknowledgeable ? ackUrl : null,
  };
}

export function buildTestPayload(subscriptionId: string): PushPayload {
  return {
    v: 1,
    kind: "test",
    alarmId: null,
    patientId: null,
    alarmKind: null,
    severity: "info",
    title: "Pump Portal test notification",
    body: "Notifications work on this device. Alarms will appear like this.",
    tag: `test-${subscriptionId}`,
    url: "/notifications",
    ackUrl: null,
  };
}
