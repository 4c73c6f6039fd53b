import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { DataAge } from "@/components/data-age";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { patients } from "@/db/schema";
import { alarmKindDefinition } from "@/lib/alarms/catalogue";
import { alarmDetailLines } from "@/lib/alarms/detail-text";
import { authorizedAlarm } from "@/lib/alarms/mutations";
import { deliverySummary } from "@/lib/alarms/outbox";
import { alarmView } from "@/lib/alarms/queries";
import { requirePageActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { formatDateTime } from "@/lib/pump/time";
import { eq } from "drizzle-orm";
import { AlarmActions } from "../_components/alarm-actions";
import { LiveRefresh } from "../_components/live-refresh";
import { SeverityBadge, STATE_LABEL } from "../_components/severity-badge";

export const metadata: Metadata = { title: "Alarm" };

const MESSAGE_LABEL: Record<string, string> = { raise: "Alarm", renotify: "Reminders", all_clear: "All clear", acknowledged: "“Acknowledged” notices" };

export default async function AlarmPage({ params }: { params: Promise<{ alarmId: string }> }) {
  await connection();
  const { alarmId } = await params;
  const actor = await requirePageActor();
  const db = await getDb();
  let alarm;
  try {
    alarm = await authorizedAlarm(db, actor, alarmId, "alarms:read");
  } catch (e) {
    if (e instanceof AppError && e.status === 404) notFound();
    throw e;
  }
  const now = new Date();
  const view = await alarmView(db, alarm, actor.userId, now);
  const [patient] = await db.select({ displayName: patients.displayName, timeZone: patients.timeZone, userId: patients.userId }).from(patients).where(eq(patients.id, alarm.patientId)).limit(1);
  const tz = patient?.timeZone ?? actor.timeZone;
  const lines = alarmDetailLines(alarm.kind, alarm.detail ?? null, tz);
  const delivery = await deliverySummary(db, alarm.id);
  const def = alarmKindDefinition(alarm.kind);
  return (
    <>
      <LiveRefresh everyMs={30_000} />
      <p>
        <Link href={`/alarms?patient=${alarm.patientId}`} className="inline-flex min-h-12 items-center text-base text-brand-800 underline">
          ← All alarms{patient && patient.userId !== actor.userId ? ` for ${patient.displayName}` : ""}
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3" data-testid="alarm-detail" data-alarm-state={view.state} data-severity={view.severity}>
        <SeverityBadge severity={view.severity} />
        <h1 className="text-2xl font-bold">{view.headline}</h1>
      </div>
      <Card>
        <p className="text-lg">{view.advice}</p>
        <dl className="mt-4 grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-semibold">Whose pump</dt>
          <dd>{patient && patient.userId === actor.userId ? "Yours" : (patient?.displayName ?? "")}</dd>
          <dt className="font-semibold">Raised</dt>
          <dd>
            {formatDateTime(view.raisedAt, tz)} (<DataAge at={view.raisedAt} now={now} timeZone={tz} />)
          </dd>
          <dt className="font-semibold">State</dt>
          <dd data-testid="alarm-state">{STATE_LABEL[view.state]}</dd>
          {view.acknowledgedAt ? (
            <>
              <dt className="font-semibold">Acknowledged</dt>
              <dd data-testid="acknowledged-by">
                by {view.acknowledgedBy} at {formatDateTime(view.acknowledgedAt, tz)}
              </dd>
            </>
          ) : null}
          {view.resolvedAt ? (
            <>
              <dt className="font-semibold">Ended</dt>
              <dd>{formatDateTime(view.resolvedAt, tz)}</dd>
            </>
          ) : null}
          {lines.map((l) => (
            <div key={l.label} className="contents">
              <dt className="font-semibold">{l.label}</dt>
              <dd>{l.value}</dd>
            </div>
          ))}
          {view.state === "active" && view.nextNotifyAt ? (
            <>
              <dt className="font-semibold">Next reminder</dt>
              <dd>{formatDateTime(view.nextNotifyAt, tz)}{view.notifyRound > 0 ? ` (${view.notifyRound} sent so far)` : ""}</dd>
            </>
          ) : null}
          {view.snoozedUntil ? (
            <>
              <dt className="font-semibold">Your snooze</dt>
              <dd>until {formatDateTime(view.snoozedUntil, tz)} (only you)</dd>
            </>
          ) : null}
        </dl>
        <AlarmActions alarmId={view.id} severity={view.severity} state={view.state} snoozedUntil={view.snoozedUntil?.toISOString() ?? null} headline={view.headline} />
        {def.lifecycle === "event" && view.state === "active" ? <p className="mt-2 text-sm text-muted">This is a past event: acknowledging it closes it.</p> : null}
      </Card>
      <Card title="Notifications sent">
        {delivery.length === 0 ? (
          <p>No notifications were sent for this alarm (nobody had notifications turned on, or it was muted).</p>
        ) : (
          <ul className="flex flex-col gap-1 text-base" data-testid="delivery-summary">
            {delivery.map((d) => (
              <li key={d.kind}>
                {MESSAGE_LABEL[d.kind] ?? d.kind}: {d.sent} delivered to a device{d.pending ? `, ${d.pending} on the way` : ""}
                {d.failed ? `, ${d.failed} not delivered` : ""}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
