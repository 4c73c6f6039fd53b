import { Card } from "@/components/ui/card";
import type { listRefillHistory, PumpStatus } from "@/lib/pump/status-query";
import { formatDate, formatDateTime } from "@/lib/pump/time";
import { formatVolume } from "@/lib/pump/units";
import { RefillCheckBanner } from "./refill-check";

const STATUS_TEXT = { scheduled: "Booked", completed: "Done", cancelled: "Cancelled", missed: "Missed" } as const;

function ScenarioLine({ label, scenario, tz, testId }: { label: string; scenario: PumpStatus["projection"]["worstCase"]; tz: string; testId: string }) {
  let text: string;
  switch (scenario.status) {
    case "ok":
      text = formatDate(scenario.lowReservoirAt, tz);
      break;
    case "already_below_threshold":
      text = "Already at or below the alarm level";
      break;
    case "no_consumption":
      text = "Not expected (no drug is being used)";
      break;
    default:
      text = "Unknown";
  }
  return (
    <div>
      <dt className="text-base text-muted">{label}</dt>
      <dd className="text-2xl font-bold" data-testid={testId}>
        {text}
      </dd>
    </div>
  );
}

export function RefillView({ status, history, icsBase }: { status: PumpStatus; history: Awaited<ReturnType<typeof listRefillHistory>>; icsBase: string }) {
  const tz = status.patient.timeZone;
  const { nextRefill, projection, explanation } = status;
  return (
    <div className="flex flex-col gap-4">
      <Card title="Next refill appointment">
        {nextRefill ? (
          <div className="flex flex-col gap-3">
            <p className="text-xl font-semibold" data-testid="next-refill">
              {formatDateTime(nextRefill.scheduledAt, tz)}
            </p>
            <p className="text-base">
              {nextRefill.location}
              {nextRefill.clinicianName ? <> · with {nextRefill.clinicianName}</> : null}
            </p>
            <p className="text-sm text-muted">Times are shown in {tz.replace("_", " ")} time.</p>
            <RefillCheckBanner check={nextRefill.check} status={status} />
            <a
              href={`${icsBase}/${nextRefill.id}/calendar.ics`}
              download
              className="inline-flex min-h-12 w-fit items-center rounded-xl border-2 border-brand-600 px-4 font-semibold text-brand-700 hover:bg-brand-50"
            >
              Add to calendar
            </a>
          </div>
        ) : (
          <RefillCheckBanner check="no_appointment" status={status} />
        )}
      </Card>
      <Card title="When the reservoir runs low">
        <dl className="grid gap-4 sm:grid-cols-2">
          <ScenarioLine label="If every permitted bolus is used (worst case)" scenario={projection.worstCase} tz={tz} testId="worst-case-date" />
          <ScenarioLine label="At the recent rate (expected)" scenario={projection.expected} tz={tz} testId="expected-date" />
        </dl>
        <details className="mt-4 text-base">
          <summary className="min-h-12 cursor-pointer py-2 font-semibold text-brand-700">How these dates are worked out</summary>
          <p className="mt-2" data-testid="worst-case-explanation">
            <strong>Worst case:</strong> {explanation.worstCase}
          </p>
          <p className="mt-2" data-testid="expected-explanation">
            <strong>Expected:</strong> {explanation.expected}
          </p>
          <p className="mt-2 text-muted">Both start from the last synced reading; sync the handheld for a fresher estimate.</p>
        </details>
      </Card>
      <Card title="Past refills">
        {history.length === 0 ? (
          <p>None recorded yet.</p>
        ) : (
          <table className="w-full text-left text-base" data-testid="refill-history">
            <thead>
              <tr className="border-b border-slate-300">
                <th className="py-2 pr-2">Date</th>
                <th className="py-2 pr-2">Status</th>
                <th className="py-2">Added</th>
              </tr>
            </thead>
            <tbody>
              {history.map(({ appointment: a }) => (
                <tr key={a.id} className="border-b border-slate-100">
                  <td className="py-2 pr-2">{formatDate(a.completedAt ?? a.scheduledAt, tz)}</td>
                  <td className="py-2 pr-2">{STATUS_TEXT[a.status]}</td>
                  <td className="py-2">{a.volumeAddedUl !== null ? formatVolume(a.volumeAddedUl) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
