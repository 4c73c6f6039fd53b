import { Alert } from "@/components/ui/alert";
import type { AppointmentCheck } from "@/lib/pump/projection";
import type { PumpStatus } from "@/lib/pump/status-query";
import { formatDate } from "@/lib/pump/time";

/** Warns when the next appointment is after a projected low-reservoir date (DESIGN.md). */
export function RefillCheckBanner({ check, status }: { check: AppointmentCheck; status: PumpStatus }) {
  const tz = status.patient.timeZone;
  const worst = status.projection.worstCase.lowReservoirAt;
  const expected = status.projection.expected.lowReservoirAt;
  switch (check) {
    case "ok":
      return <p className="text-base text-emerald-800" data-refill-check="ok">This appointment is before the reservoir is expected to run low.</p>;
    case "after_worst_case":
      return (
        <Alert tone="warning">
          <span data-refill-check="after_worst_case">
            This appointment is after {worst ? formatDate(worst, tz) : "the date"}, when the reservoir could run low if every permitted bolus is used. Ask the clinic about an earlier date.
          </span>
        </Alert>
      );
    case "after_expected":
      return (
        <Alert tone="danger">
          <span data-refill-check="after_expected">
            <strong>Refill needed sooner.</strong> At the current rate the reservoir runs low on {expected ? formatDate(expected, tz) : "a date before this appointment"}, before this appointment. Contact the clinic to bring it forward.
          </span>
        </Alert>
      );
    case "no_appointment":
      return (
        <Alert tone="warning">
          <span data-refill-check="no_appointment">No refill appointment is booked{worst ? ` — the reservoir could run low from ${formatDate(worst, tz)}` : ""}. Contact the clinic to book one.</span>
        </Alert>
      );
    case "unknown":
      return <Alert tone="info"><span data-refill-check="unknown">We cannot check this appointment against the reservoir: {status.projection.kind === "unknown" ? status.projection.message : "no projection"}</span></Alert>;
  }
}
