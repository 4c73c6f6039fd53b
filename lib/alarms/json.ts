import type { AlarmView } from "./queries";

/** An alarm as the API returns it (dates as ISO strings; the page and the service worker read this). */
export function alarmJson(a: AlarmView) {
  return {
    id: a.id,
    patientId: a.patientId,
    kind: a.kind,
    severity: a.severity,
    state: a.state,
    headline: a.headline,
    advice: a.advice,
    raisedAt: a.raisedAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
    reminders: a.notifyRound,
    nextReminderAt: a.state === "active" ? (a.nextNotifyAt?.toISOString() ?? null) : null,
    snoozedUntil: a.snoozedUntil?.toISOString() ?? null,
  };
}
