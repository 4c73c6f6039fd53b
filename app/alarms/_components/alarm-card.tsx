import Link from "next/link";
import { DataAge } from "@/components/data-age";
import type { AlarmView } from "@/lib/alarms/queries";
import { formatDateTime } from "@/lib/pump/time";
import { AlarmActions } from "./alarm-actions";
import { SeverityBadge, STATE_LABEL } from "./severity-badge";

const BORDER = { critical: "border-red-700", warning: "border-amber-600", info: "border-slate-300" } as const;

/** One open alarm: what, since when, who acknowledged, and the buttons. */
export function AlarmCard({ alarm, timeZone, now }: { alarm: AlarmView; timeZone: string; now: Date }) {
  return (
    <li className={`rounded-2xl border-2 border-l-8 bg-white p-4 ${BORDER[alarm.severity]}`} data-alarm-id={alarm.id} data-alarm-kind={alarm.kind} data-alarm-state={alarm.state} data-severity={alarm.severity}>
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={alarm.severity} />
        <Link href={`/alarms/${alarm.id}`} className="text-lg font-semibold text-brand-800 underline">
          {alarm.headline}
        </Link>
      </div>
      <p className="mt-1 text-base">{alarm.advice}</p>
      <p className="mt-1 text-sm text-muted">
        Raised <DataAge at={alarm.raisedAt} now={now} timeZone={timeZone} /> ({formatDateTime(alarm.raisedAt, timeZone)}) · {STATE_LABEL[alarm.state]}
      </p>
      {alarm.acknowledgedAt ? (
        <p className="mt-1 text-base font-medium" data-testid="acknowledged-by">
          Acknowledged by {alarm.acknowledgedBy} at {formatDateTime(alarm.acknowledgedAt, timeZone)}
        </p>
      ) : null}
      {alarm.snoozedUntil ? <p className="mt-1 text-sm">You snoozed its reminders until {formatDateTime(alarm.snoozedUntil, timeZone)}.</p> : null}
      <AlarmActions alarmId={alarm.id} severity={alarm.severity} state={alarm.state} snoozedUntil={alarm.snoozedUntil?.toISOString() ?? null} headline={alarm.headline} />
    </li>
  );
}
