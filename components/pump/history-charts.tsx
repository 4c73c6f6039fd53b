import { Card } from "@/components/ui/card";
import type { getHistory } from "@/lib/pump/status-query";
import { formatDate, localDateKey } from "@/lib/pump/time";
import { formatVolume } from "@/lib/pump/units";

type History = Awaited<ReturnType<typeof getHistory>>;

// A small viewBox keeps labels legible when the chart is scaled down to a phone's width.
const W = 400;
const H = 220;
const PAD = { l: 58, r: 10, t: 12, b: 30 };

/** One point per local day (the last reading of the day) keeps the chart readable and light. */
function dailyLast(readings: History["readings"], tz: string) {
  const byDay = new Map<string, { at: Date; reservoirUl: number }>();
  for (const r of readings) byDay.set(localDateKey(r.at, tz), r);
  return [...byDay.entries()].map(([day, r]) => ({ day, ...r }));
}

export function HistoryCharts({ history, capacityUl, thresholdUl, timeZone }: { history: History; capacityUl: number; thresholdUl: number | null; timeZone: string }) {
  const points = dailyLast(history.readings, timeZone);
  const start = history.since.getTime();
  const end = Math.max(start + 1, ...points.map((p) => p.at.getTime()));
  const x = (t: number) => PAD.l + ((t - start) / (end - start)) * (W - PAD.l - PAD.r);
  const y = (ul: number) => PAD.t + (1 - ul / capacityUl) * (H - PAD.t - PAD.b);
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.at.getTime()).toFixed(1)},${y(p.reservoirUl).toFixed(1)}`).join(" ");
  const mlTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(capacityUl * f));

  const bolusDays = history.boluses;
  const maxBolus = Math.max(1, ...bolusDays.map((b) => b.count));
  const dayKeys: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) dayKeys.push(localDateKey(new Date(t), timeZone));
  const counts = new Map(bolusDays.map((b) => [b.day, b.count]));
  const bw = (W - PAD.l - PAD.r) / Math.max(1, dayKeys.length);
  const total = bolusDays.reduce((n, b) => n + b.count, 0);

  return (
    <div className="flex flex-col gap-4">
      <Card title="Reservoir over the last 90 days">
        <figure>
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="reservoir-chart-title" className="h-auto w-full" data-testid="reservoir-chart">
            <title id="reservoir-chart-title">Reservoir volume by day; refills show as jumps up. Table below.</title>
            {mlTicks.map((v) => (
              <g key={v}>
                <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
                <text x={PAD.l - 6} y={y(v) + 4} textAnchor="end" fontSize="14" fill="#4a5463">
                  {formatVolume(v)}
                </text>
              </g>
            ))}
            {thresholdUl !== null ? <line x1={PAD.l} x2={W - PAD.r} y1={y(thresholdUl)} y2={y(thresholdUl)} stroke="#b91c1c" strokeDasharray="6 4" strokeWidth="2" /> : null}
            <path d={path} fill="none" stroke="#1d5fbf" strokeWidth="3" />
            <text x={PAD.l} y={H - 8} fontSize="14" fill="#4a5463">
              {formatDate(history.since, timeZone)}
            </text>
            <text x={W - PAD.r} y={H - 8} fontSize="14" fill="#4a5463" textAnchor="end">
              {points.length ? formatDate(points[points.length - 1]!.at, timeZone) : ""}
            </text>
          </svg>
          <figcaption className="mt-2 text-sm text-muted">Blue: reservoir at the end of each day. Red dashes: low-reservoir alarm level.</figcaption>
        </figure>
        <details className="mt-3">
          <summary className="min-h-12 cursor-pointer py-2 font-semibold text-brand-700">Show the numbers</summary>
          <table className="mt-2 w-full text-left text-base" data-testid="reservoir-table">
            <thead>
              <tr className="border-b border-slate-300">
                <th className="py-1">Day</th>
                <th className="py-1">Reservoir</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.day} className="border-b border-slate-100">
                  <td className="py-1">{formatDate(p.at, timeZone)}</td>
                  <td className="py-1">{formatVolume(p.reservoirUl)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </Card>
      <Card title="Boluses per day">
        <p className="mb-2 text-base">
          {total} {total === 1 ? "bolus" : "boluses"} in the last 90 days.
        </p>
        <figure>
          <svg viewBox={`0 0 ${W} 130`} role="img" aria-labelledby="bolus-chart-title" className="h-auto w-full" data-testid="bolus-chart">
            <title id="bolus-chart-title">Number of boluses delivered each day. Table below.</title>
            {dayKeys.map((d, i) => {
              const c = counts.get(d) ?? 0;
              const h = (c / maxBolus) * 100;
              return c ? <rect key={d} x={PAD.l + i * bw + 1} y={112 - h} width={Math.max(1, bw - 2)} height={h} fill="#1d5fbf" /> : null;
            })}
            <line x1={PAD.l} x2={W - PAD.r} y1={112} y2={112} stroke="#94a3b8" />
            <text x={PAD.l - 6} y={16} textAnchor="end" fontSize="14" fill="#4a5463">
              {maxBolus}
            </text>
            <text x={PAD.l - 6} y={116} textAnchor="end" fontSize="14" fill="#4a5463">
              0
            </text>
          </svg>
        </figure>
        <details className="mt-3">
          <summary className="min-h-12 cursor-pointer py-2 font-semibold text-brand-700">Show the numbers</summary>
          <table className="mt-2 w-full text-left text-base" data-testid="bolus-table">
            <thead>
              <tr className="border-b border-slate-300">
                <th className="py-1">Day</th>
                <th className="py-1">Boluses</th>
              </tr>
            </thead>
            <tbody>
              {bolusDays.map((b) => (
                <tr key={b.day} className="border-b border-slate-100">
                  <td className="py-1">{b.day}</td>
                  <td className="py-1">{b.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </Card>
    </div>
  );
}
