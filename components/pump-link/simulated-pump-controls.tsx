"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { usePumpLink } from "./provider";

const STEPS = [
  { seconds: 3600, label: "+1 h" },
  { seconds: 3 * 3600, label: "+3 h" },
  { seconds: 24 * 3600, label: "+1 day" },
] as const;

function hours(seconds: number): string {
  const h = Math.round(seconds / 360) / 10;
  return `${h.toLocaleString("en-GB")} h`;
}

/**
 * Demo controls of the simulated pump: skip simulated time ahead (a lockout runs down, the basal
 * drains the reservoir, new history accrues for the next sync) or start over with a fresh pump.
 * Renders nothing unless the simulated pump is connected.
 */
export function SimulatedPumpControls() {
  const link = usePumpLink();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (link.mode !== "simulated" || link.state !== "connected") return null;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col gap-3 rounded-xl border-2 border-dashed border-slate-300 p-4" data-testid="simulated-pump-controls">
      <p className="text-base">
        <strong>Demo pump.</strong> Nothing here reaches a real pump.{" "}
        {link.simulatedAdvanceS > 0 ? (
          <span data-testid="simulated-advance">Simulated time is {hours(link.simulatedAdvanceS)} ahead of real time.</span>
        ) : (
          <span data-testid="simulated-advance">Simulated time follows real time.</span>
        )}
      </p>
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Advance simulated time">
        <span className="text-base font-medium">Advance simulated time:</span>
        {STEPS.map((step) => (
          <Button key={step.seconds} type="button" variant="secondary" disabled={busy} onClick={() => void run(() => link.advanceSimulatedTime(step.seconds))}>
            {step.label}
          </Button>
        ))}
      </div>
      <div>
        <Button type="button" variant="secondary" disabled={busy} onClick={() => void run(() => link.resetSimulated())}>
          Start a fresh demo pump
        </Button>
      </div>
      {error ? <p className="text-base font-medium text-red-800">{error}</p> : null}
    </div>
  );
}
