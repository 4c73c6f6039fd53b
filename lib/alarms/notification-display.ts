/**
 * How the service worker shows a pushed alarm (sw/push.ts). Pure and browser-safe — no server
 * imports — so the display rules are unit-tested in Node and bundled into the worker.
 */

export type Severity = "critical" | "warning" | "info";
export type MessageKind = "raise" | "renotify" | "all_clear" | "acknowledged" | "test";

export interface AlarmPushPayload {
  kind: MessageKind;
  alarmId: string | null;
  severity: Severity;
  title: string;
  body: string;
  tag: string;
  url: string;
  ackUrl: string | null;
}

interface NotificationAction {
  action: string;
  title: string;
}

/** Options Chromium, Firefox and Safari understand (lib.dom's type lacks actions, vibrate, renotify). */
export interface AlarmNotificationOptions {
  body: string;
  tag: string;
  data: { url: string; ackUrl: string | null; alarmId: string | null; severity: Severity; title: string };
  icon: string;
  requireInteraction: boolean;
  renotify: boolean;
  silent: boolean;
  vibrate?: number[];
  actions: NotificationAction[];
  timestamp: number;
}

/** Told to open pages when an alarm was acknowledged from a notification (they refresh). */
export const ALARM_ACKNOWLEDGED_MESSAGE = "PUMP_ALARM_ACKNOWLEDGED";

export const KINDS: readonly MessageKind[] = ["raise", "renotify", "all_clear", "acknowledged", "test"];
export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];
const CRITICAL_VIBRATION = [400, 200, 400, 200, 800];

const FALLBACK: AlarmPushPayload = {
  kind: "raise",
  alarmId: null,
  severity: "critical",
  title: "Pump Portal alarm",
  body: "Open Pump Portal to see the alarm.",
  tag: "pump-portal-alarm",
  url: "/alarms",
  ackUrl: null,
};

export const isPath = (v: unknown): v is string => typeof v === "string" && v.startsWith("/") && !v.startsWith("//");

/**
 * Reads the pushed JSON. Anything unreadable still becomes a notification (a push the user
 * cannot see would be a lost alarm) that sends them to the alarm list.
 */
export function parsePushPayload(text: string | null | undefined): AlarmPushPayload {
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? "");
  } catch {
    return FALLBACK;
  }
  if (typeof raw !== "object" || raw === null) return FALLBACK;
  const p = raw as Record<string, unknown>;
  const kind = KINDS.find((k) => k === p.kind);
  const severity = SEVERITIES.find((s) => s === p.severity);
  if (!kind || !severity || typeof p.title !== "string" || !p.title || typeof p.body !== "string" || typeof p.tag !== "string" || !p.tag || !isPath(p.url)) {
    return FALLBACK;
  }
  return {
    kind,
    severity,
    alarmId: typeof p.alarmId === "string" ? p.alarmId : null,
    title: p.title.slice(0, 120),
    body: p.body.slice(0, 400),
    tag: p.tag.slice(0, 80),
    url: p.url,
    ackUrl: isPath(p.ackUrl) ? p.ackUrl : null,
  };
}

/** How a payload is shown. Pure, so the rules are unit-tested without a browser. */
export function notificationFor(p: AlarmPushPayload, now: number): { title: string; options: AlarmNotificationOptions } {
  const alerting = p.kind === "raise" || p.kind === "renotify";
  const critical = p.severity === "critical" && alerting;
  return {
    title: p.title,
    options: {
      body: p.body,
      tag: p.tag,
      data: { url: p.url, ackUrl: alerting ? p.ackUrl : null, alarmId: p.alarmId, severity: p.severity, title: p.title },
      icon: "/icons/icon-192.png",
      requireInteraction: critical,
      // A reminder replacing the same alarm's notification alerts again; an all clear does too
      // (good news is worth a sound); "acknowledged by …" just updates the text quietly.
      renotify: p.kind !== "acknowledged",
      silent: p.kind === "acknowledged",
      ...(critical ? { vibrate: CRITICAL_VIBRATION } : {}),
      actions: alerting && p.ackUrl ? [{ action: "acknowledge", title: "Acknowledge" }] : [],
      timestamp: now,
    },
  };
}
