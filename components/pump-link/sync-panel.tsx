"use client";

import { useRouter } from "next/navigation";
import { useCallback, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { httpSyncApi } from "@/lib/sync/http-api";
import { pumpFailure, runSync, SyncFailure, type SyncProgress, type SyncSummary } from "@/lib/sync/run-sync";
import { usePumpLink } from "./provider";

type Run =
  | { phase: "idle" }
  | { phase: "running"; progress: SyncProgress; integrity: number; reconnects: number }
  | { phase: "done"; summary: SyncSummary }
  | { phase: "failed"; failure: SyncFailure };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

function ProgressView({ run }: { run: Extract<Run, { phase: "running" }> }) {
  const p = run.progress;
  const label =
    p.phase === "status"
      ? "Reading the pump's status…"
      : p.expected === 0 && p.received === 0
        ? "Checking for new records…"
        : `${p.phase === "uploading" ? "Uploading" : "Receiving"} records: ${p.received.toLocaleString("en-GB")} of ${p.expected.toLocaleString("en-GB")}`;
  return (
    <div className="flex flex-col gap-2" data-testid="sync-progress">
      <p className="text-base" role="status" aria-live="polite">
        {label}
        {p.deviceHighestSeq > 0 ? <span className="text-muted"> (the pump&apos;s newest record is #{p.deviceHighestSeq})</span> : null}
      </p>
      <progress
        className="h-4 w-full"
        aria-label="Records received from the pump"
        max={Math.max(1, p.expected)}
        value={p.phase === "status" ? undefined : Math.min(p.received, Math.max(1, p.expected))}
        data-received={p.received}
        data-expected={p.expected}
      />
      {run.integrity > 0 ? <p className="text-base text-muted">Damaged data from the pump was detected and read again.</p> : null}
      {run.reconnects > 0 ? <p className="text-base text-muted">The link to the pump dropped; reconnecting and continuing where it stopped…</p> : null}
    </div>
  );
}

function ResultView({ summary }: { summary: SyncSummary }) {
  return (
    <Alert tone="success" live>
      <div className="flex flex-col gap-1">
        <p className="text-lg font-semibold" data-testid="sync-result" data-new={summary.newEvents} data-duplicates={summary.duplicateEvents}>
          {plural(summary.newEvents, "new event")}
          {summary.duplicateEvents > 0 ? ` · ${plural(summary.duplicateEvents, "record")} already uploaded (ignored)` : ""}
        </p>
        {summary.queuedUploads > 0 ? (
          <p data-testid="sync-queued">
            Saved on this phone: {plural(summary.received, "record")} will upload by themselves when you are back online.
          </p>
        ) : null}
        <p>
          {summary.received === 0
            ? "Your pump had nothing new since the last sync; its current status was uploaded."
            : `Received ${plural(summary.received, "record")} from your pump (up to #${summary.lastSeq}).`}
        </p>
        {summary.integrityRetries > 0 ? (
          <p data-testid="sync-integrity">
            {summary.integrityRetries === 1 ? "1 damaged transfer was" : `${summary.integrityRetries} damaged transfers were`} detected by the pump&apos;s checksum and read again; no damaged data was used.
          </p>
        ) : null}
        {summary.reconnects > 0 ? (
          <p data-testid="sync-reconnects">
            The link dropped {summary.reconnects === 1 ? "once" : `${summary.reconnects} times`}; the sync reconnected and continued where it stopped.
          </p>
        ) : null}
        {summary.gaps.length > 0 ? (
          <p data-testid="sync-gaps">
            The pump had already overwritten {summary.gaps.map((g) => (g.from === g.to ? `#${g.from}` : `#${g.from}–#${g.to}`)).join(", ")} in its memory; those
            records cannot be recovered. Syncing more often avoids this.
          </p>
        ) : null}
      </div>
    </Alert>
  );
}

/** The Sync page's body: sync the connected pump's history and status to the server. */
export function SyncPanel() {
  const link = usePumpLink();
  const router = useRouter();
  const [run, setRun] = useState<Run>({ phase: "idle" });
  const busy = useRef(false);

  const sync = useCallback(async () => {
    const client = link.client;
    if (!client || busy.current) return;
    busy.current = true;
    let integrity = 0;
    let reconnects = 0;
    let progress: SyncProgress = { phase: "status", received: 0, expected: 0, deviceHighestSeq: 0, uploaded: 0 };
    const show = () => setRun({ phase: "running", progress, integrity, reconnects });
    show();
    try {
      const summary = await runSync({
        client,
        api: httpSyncApi(link.patientId),
        connectionCount: link.connectionCount,
        onProgress: (p) => {
          progress = p;
          show();
        },
        subscribe: (listener) =>
          link.onLinkEvent((event) => {
            if (event.type === "crc_retry") integrity++;
            if (event.type === "reconnect") reconnects++;
            listener(event);
            show();
          }),
      });
      setRun({ phase: "done", summary });
      // The status page and anything else server-rendered now have newer data.
      router.refresh();
      await link.refreshStatus().catch(() => undefined);
    } catch (err) {
      setRun({ phase: "failed", failure: err instanceof SyncFailure ? err : pumpFailure(err, { received: 0, newEvents: 0, duplicateEvents: 0, queuedUploads: 0 }) });
    } finally {
      busy.current = false;
    }
  }, [link, router]);

  const connected = link.state === "connected" && link.client !== null;
  const running = run.phase === "running";

  return (
    <Card title="Sync history">
      <div className="flex flex-col gap-4" data-testid="sync-panel" data-phase={run.phase}>
        <p className="text-base">
          Copies the records your pump has logged since the last sync (boluses, alarms, refills, reservoir readings) and its current status to Pump
          Portal, so that you, your caregivers and your clinic see them. Only new records are transferred.
        </p>
        <div>
          <Button type="button" onClick={() => void sync()} disabled={!connected || running}>
            {running ? "Syncing…" : run.phase === "idle" ? "Sync now" : "Sync again"}
          </Button>
          {!connected ? <p className="mt-2 text-base text-muted">Connect your pump above first.</p> : null}
        </div>
        {run.phase === "running" ? <ProgressView run={run} /> : null}
        {run.phase === "done" ? <ResultView summary={run.summary} /> : null}
        {run.phase === "failed" ? (
          <Alert tone="danger" live>
            <div className="flex flex-col gap-3">
              <p data-testid="sync-error" data-kind={run.failure.kind}>
                {run.failure.message}
              </p>
              {run.failure.saved.newEvents > 0 ? <p>{plural(run.failure.saved.newEvents, "new event")} were stored before the sync stopped.</p> : null}
              {run.failure.kind === "signed_out" ? (
                <a className="font-semibold underline" href="/sign-in">
                  Sign in again
                </a>
              ) : (
                <div>
                  <Button type="button" onClick={() => void sync()} disabled={!connected}>
                    Try again
                  </Button>
                </div>
              )}
            </div>
          </Alert>
        ) : null}
      </div>
    </Card>
  );
}
