"use client";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { usePumpLink } from "@/components/pump-link/provider";
import { bolusAvailability, deviceAvailability, type Availability } from "@/lib/bolus/rules";
import { hasCriticalAlarm } from "@/lib/pump-link/alarms";
import { newBolusToken } from "@/lib/pump-link/random";
import { formatDateTime, formatTime } from "@/lib/pump/time";
import { formatCountdown } from "./countdown";
import { createSendLock, maySendSameTokenAgain, outcomeView, sendBolusAttempt, type BolusOutcome } from "./flow";
import { DENIAL_TEXT, UNAVAILABLE_TEXT } from "./reasons";

export interface BolusHistoryItem {
  token: number;
  state: "requested" | "confirmed" | "denied" | "unconfirmed";
  dose: number;
  requestedAt: string;
  resultCode: string | null;
  deliveredAt: string | null;
  deviceSeq: number | null;
}

export interface BolusPanelProps {
  patientId: string;
  drugName: string;
  doseText: string;
  timeZone: string;
  permission: { version: number; enabled: boolean; dose: number; lockoutSeconds: number; maxPer24h: number; effectiveFrom: string } | null;
  /** Confirmed deliveries the server knows of (last 48 h), ISO. */
  serverDeliveries: string[];
  reservoirUl: number | null;
  thresholdUl: number | null;
  bolusVolumeUl: number | null;
  criticalAlarm: boolean;
  history: BolusHistoryItem[];
}

type Flow =
  | { phase: "idle" }
  | { phase: "confirming" }
  | { phase: "sending"; token: number }
  | { phase: "done"; token: number; result: BolusOutcome };

const STATE_TEXT = { requested: "Requested", confirmed: "Delivered", denied: "Not given", unconfirmed: "Not confirmed" } as const;

/** Best effort: the server only records; the later history sync reconciles anything lost here. */
async function recordOnServer(patientId: string, body: unknown): Promise<void> {
  try {
    await fetch(`/api/patients/${patientId}/boluses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    /* offline: the device's record arrives with the next sync */
  }
}

export function BolusPanel(props: BolusPanelProps) {
  const link = usePumpLink();
  const [now, setNow] = useState(() => new Date());
  const [flow, setFlow] = useState<Flow>({ phase: "idle" });
  const [history, setHistory] = useState(props.history);
  const lockRef = useRef(createSendLock());
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  useEffect(() => {
    if (flow.phase === "confirming") confirmRef.current?.focus();
  }, [flow.phase]);

  const device = link.state === "connected" ? link.deviceStatus : null;
  const statusReadAt = link.statusReadAt;
  const availability: Availability = useMemo(() => {
    if (device && statusReadAt) {
      return deviceAvailability(
        { permission: device.permission, bolus: device.bolus, reservoirUl: device.reservoirUl, lowReservoirThresholdUl: device.lowReservoirThresholdUl, criticalAlarm: hasCriticalAlarm(device.alarmFlags) },
        statusReadAt,
        now,
      );
    }
    const p = props.permission;
    return bolusAvailability({
      permission: p && { ...p, effectiveFrom: new Date(p.effectiveFrom) },
      deliveries: [...props.serverDeliveries, ...history.filter((h) => h.state === "confirmed" && h.deliveredAt).map((h) => h.deliveredAt!)].map((d) => new Date(d)),
      reservoirUl: props.reservoirUl,
      thresholdUl: props.thresholdUl,
      bolusVolumeUl: props.bolusVolumeUl,
      criticalAlarm: props.criticalAlarm,
      connected: false,
      now,
    });
  }, [device, statusReadAt, now, props, history]);

  const maxPer24h = device?.permission.maxPer24h ?? props.permission?.maxPer24h ?? 0;
  const permissionVersion = device?.permission.version ?? props.permission?.version ?? 0;
  const dose = device?.permission.dose ?? props.permission?.dose ?? 0;
  const versionMismatch = device && props.permission && device.permission.version !== props.permission.version;

  const upsertHistory = useCallback((item: BolusHistoryItem) => {
    setHistory((h) => [item, ...h.filter((x) => x.token !== item.token)]);
  }, []);

  const finish = useCallback(
    async (token: number, result: BolusOutcome, requestedAt: string) => {
      setFlow({ phase: "done", token, result });
      if (result.state === "confirmed") {
        const deliveredAt = new Date(result.deviceTime * 1000).toISOString();
        upsertHistory({ token, state: "confirmed", dose, requestedAt, resultCode: null, deliveredAt, deviceSeq: result.recordSeq });
        await recordOnServer(props.patientId, { token, dose, permissionVersion, requestedAt, outcome: { state: "confirmed", deliveredAt, deviceSeq: result.recordSeq } });
      } else if (result.state === "denied") {
        upsertHistory({ token, state: "denied", dose, requestedAt, resultCode: result.reason, deliveredAt: null, deviceSeq: result.recordSeq });
        await recordOnServer(props.patientId, { token, dose, permissionVersion, requestedAt, outcome: { state: "denied", resultCode: result.reason } });
      } else if (result.state === "unconfirmed") {
        upsertHistory({ token, state: "unconfirmed", dose, requestedAt, resultCode: null, deliveredAt: null, deviceSeq: null });
        await recordOnServer(props.patientId, { token, dose, permissionVersion, requestedAt, outcome: { state: "unconfirmed" } });
      }
      await link.refreshStatus().catch(() => undefined);
    },
    [dose, permissionVersion, props.patientId, upsertHistory, link],
  );

  /** Sends (or re-sends, with the SAME token) the request to the handheld. Caller holds the lock. */
  const transmit = useCallback(
    async (token: number, requestedAt: string, mode: "request" | "query") => {
      setFlow({ phase: "sending", token });
      await finish(token, await sendBolusAttempt(link.client, { token, dose, permissionVersion }, mode), requestedAt);
    },
    [link.client, dose, permissionVersion, finish],
  );

  /** One request at a time per page: a double click or a repeated key press is ignored. */
  const withLock = useCallback((run: () => Promise<void>) => {
    void lockRef.current.run(run);
  }, []);

  const retry = useCallback(
    (token: number, requestedAt: string, mode: "request" | "query") => withLock(() => transmit(token, requestedAt, mode)),
    [withLock, transmit],
  );

  const start = useCallback(
    () =>
      withLock(async () => {
        const token = newBolusToken();
        const requestedAt = new Date().toISOString();
        setFlow({ phase: "sending", token });
        upsertHistory({ token, state: "requested", dose, requestedAt, resultCode: null, deliveredAt: null, deviceSeq: null });
        await recordOnServer(props.patientId, { token, dose, permissionVersion, requestedAt });
        await transmit(token, requestedAt, "request");
      }),
    [withLock, dose, permissionVersion, props.patientId, transmit, upsertHistory],
  );

  const nextAt = availability.nextAllowedAt;
  const msLeft = nextAt ? nextAt.getTime() - now.getTime() : 0;
  // Announced politely once a minute (not every second): the text only changes at minute steps.
  const announce = availability.allowed
    ? "A bolus is available now."
    : nextAt && msLeft > 0
      ? `Next bolus available at ${formatTime(nextAt, props.timeZone)} (in ${formatCountdown(msLeft)}).`
      : "A bolus is not available now.";
  const flowToken = flow.phase === "sending" || flow.phase === "done" ? flow.token : null;
  const requestedAtOf = (token: number) => history.find((h) => h.token === token)?.requestedAt ?? new Date().toISOString();

  return (
    <div className="flex flex-col gap-4">
      <Card title="Your personal bolus">
        {props.permission ? (
          <div className="flex flex-col gap-2 text-base">
            <p className="text-2xl font-bold" data-testid="bolus-dose">
              {props.doseText} {props.drugName.toLowerCase()}
            </p>
            <p data-testid="bolus-remaining">
              {availability.remaining} of {maxPer24h} left in the last 24 hours
            </p>
            <p className="text-sm text-muted">At least {Math.round((props.permission.lockoutSeconds / 3600) * 10) / 10} h between boluses.</p>
          </div>
        ) : (
          <p>No personal bolus has been prescribed.</p>
        )}
      </Card>

      <Card title="Can I have one now?">
        <div aria-live="polite" className="text-xl font-semibold" data-testid="bolus-availability">
          {announce}
        </div>
        {!availability.allowed && nextAt && msLeft > 0 ? (
          <p className="mt-1 text-base text-muted" aria-hidden data-testid="bolus-countdown">
            {Math.floor(msLeft / 3600_000)}:{String(Math.floor((msLeft % 3600_000) / 60_000)).padStart(2, "0")}:{String(Math.floor((msLeft % 60_000) / 1000)).padStart(2, "0")}
          </p>
        ) : null}
        {availability.reasons.length ? (
          <ul className="mt-3 flex list-disc flex-col gap-1 pl-6 text-base" data-testid="bolus-reasons">
            {availability.reasons.map((r) => (
              <li key={r} data-reason={r}>
                {UNAVAILABLE_TEXT[r]}
              </li>
            ))}
          </ul>
        ) : null}
        {versionMismatch ? (
          <Alert tone="warning">Your handheld has different bolus settings from your clinic&apos;s latest. Sync it to update.</Alert>
        ) : null}
        {link.state !== "connected" ? (
          <p className="mt-3 text-base text-muted">Connect your handheld (or the simulated pump) above to give a bolus.</p>
        ) : (
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <p className="text-base text-muted" data-testid="bolus-connection">
              Connected to {link.mode === "simulated" ? "the simulated pump" : "your handheld"}
              {link.statusReadAt ? `, checked at ${formatTime(link.statusReadAt, props.timeZone)}` : ""}.
            </p>
            <Button type="button" variant="secondary" onClick={() => void link.refreshStatus()} disabled={flow.phase === "sending"}>
              Check the pump again
            </Button>
          </div>
        )}
      </Card>

      <Card title="Give a bolus">
        {flow.phase === "confirming" ? (
          <div role="group" aria-labelledby="bolus-confirm-title" className="flex flex-col gap-3">
            <p id="bolus-confirm-title" className="text-xl font-bold">
              Give {props.doseText} {props.drugName.toLowerCase()} now?
            </p>
            <p className="text-base">Your handheld will ask the pump. The pump decides and may refuse.</p>
            <div className="flex flex-wrap gap-3">
              <Button ref={confirmRef} type="button" onClick={start}>
                Yes, give {props.doseText}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setFlow({ phase: "idle" })}>
                Cancel
              </Button>
            </div>
          </div>
        ) : (
          <Button type="button" onClick={() => setFlow({ phase: "confirming" })} disabled={!availability.allowed || flow.phase === "sending"} aria-describedby="bolus-availability-note">
            Give bolus
          </Button>
        )}
        <p id="bolus-availability-note" className="sr-only">
          {announce}
        </p>
        <div aria-live="assertive" className="mt-4" data-testid="bolus-outcome">
          {flow.phase === "sending" ? <Alert tone="info">Asking the pump… keep the phone near the handheld.</Alert> : null}
          {flow.phase === "done" && flow.result.state === "confirmed" && outcomeView(flow.result) === "delivered" ? (
            <Alert tone="success">
              <strong>Delivered.</strong> The pump confirmed {props.doseText} at {formatDateTime(new Date(flow.result.deviceTime * 1000), props.timeZone)} (event #{flow.result.recordSeq}).
            </Alert>
          ) : null}
          {flow.phase === "done" && flow.result.state === "denied" && outcomeView(flow.result) === "not_given" ? (
            <Alert tone="warning">
              <strong>Not given.</strong> <span data-denial={flow.result.reason}>{DENIAL_TEXT[flow.result.reason] ?? "The pump refused the bolus."}</span>
            </Alert>
          ) : null}
          {flow.phase === "done" && outcomeView(flow.result) === "check_handheld" ? (
            <Alert tone="danger">
              <strong>We could not confirm delivery</strong> — check your handheld before trying again.
              <span className="mt-3 flex flex-wrap gap-3">
                <Button type="button" variant="secondary" onClick={() => flowToken !== null && retry(flowToken, requestedAtOf(flowToken), "query")} disabled={link.state !== "connected"}>
                  Check with the handheld
                </Button>
              </span>
            </Alert>
          ) : null}
          {flow.phase === "done" && outcomeView(flow.result) === "never_received" ? (
            <Alert tone="warning">
              The pump never received that request, so nothing was given.
              {flowToken !== null && maySendSameTokenAgain(new Date(requestedAtOf(flowToken)), now) ? (
                <span className="mt-3 flex flex-wrap gap-3">
                  <Button type="button" onClick={() => retry(flowToken, requestedAtOf(flowToken), "request")} disabled={!availability.allowed}>
                    Send the same request again
                  </Button>
                </span>
              ) : (
                <span className="mt-2 block" data-testid="bolus-too-old-to-resend">
                  That request is more than 10 minutes old, so it is not sent again (the pump may no longer remember it). Sync your pump to
                  settle it; if you still need a bolus, start a new one.
                </span>
              )}
            </Alert>
          ) : null}
        </div>
      </Card>

      <Card title="Your recent boluses">
        {history.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul className="flex flex-col divide-y divide-slate-200" data-testid="bolus-history">
            {history.slice(0, 30).map((h) => (
              <li key={h.token} className="flex flex-wrap justify-between gap-2 py-2 text-base" data-state={h.state}>
                <span>{formatDateTime(new Date(h.deliveredAt ?? h.requestedAt), props.timeZone)}</span>
                <span className="font-semibold">
                  {STATE_TEXT[h.state]}
                  {h.state === "denied" && h.resultCode ? <span className="font-normal text-muted"> — {DENIAL_TEXT[h.resultCode] ?? h.resultCode}</span> : null}
                  {h.deviceSeq !== null && h.state === "confirmed" ? <span className="font-normal text-muted"> · event #{h.deviceSeq}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
