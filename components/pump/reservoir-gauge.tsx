/** Horizontal gauge: fill to the reservoir level, a marker at the low-reservoir threshold. */
export function ReservoirGauge({ volumeUl, capacityUl, thresholdUl }: { volumeUl: number; capacityUl: number; thresholdUl: number | null }) {
  const pct = Math.max(0, Math.min(100, (volumeUl / capacityUl) * 100));
  const thresholdPct = thresholdUl !== null ? Math.max(0, Math.min(100, (thresholdUl / capacityUl) * 100)) : null;
  const low = thresholdUl !== null && volumeUl <= thresholdUl;
  return (
    <div
      role="meter"
      aria-valuemin={0}
      aria-valuemax={capacityUl}
      aria-valuenow={volumeUl}
      aria-valuetext={`${Math.round(pct)}% full`}
      aria-label="Reservoir level"
      className="relative h-8 w-full overflow-hidden rounded-full border-2 border-slate-400 bg-slate-100"
    >
      <div className={`h-full ${low ? "bg-red-700" : pct < 25 ? "bg-amber-600" : "bg-brand-600"}`} style={{ width: `${pct}%` }} />
      {thresholdPct !== null ? (
        <div className="absolute inset-y-0 w-1 bg-ink" style={{ left: `calc(${thresholdPct}% - 2px)` }} title="Low-reservoir alarm level" aria-hidden />
      ) : null}
    </div>
  );
}
