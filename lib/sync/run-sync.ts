/**
 * One history sync from the phone's point of view (protocol §8.2 plus the upload): read the pump's
 * status, ask the server where this pump's log left off, pull only the newer records over the
 * pump link, and upload them in chunks as they arrive. Framework-free so that unit tests, the
 * integration test (against the real database) and the browser run the same code.
 *
 * Nothing here trusts the link or the network to be reliable: the pump link client resumes after
 * dropped links and corrupted values, uploads are idempotent on the server (duplicates are
 * ignored and counted), and when something fails part-way, whatever was received is still
 * uploaded so that the next sync resumes from it.
 */
import { PumpLinkError, PumpLinkTransportError } from "@/lib/pump-link/errors";
import type { PumpLinkClient, PumpLinkEvent, SyncResult } from "@/lib/pump-link/client";
import type { PumpRecord, PumpStatus } from "@/lib/pump-link/types";
import { MAX_RECORDS_PER_UPLOAD, recordForUpload, statusForUpload, type SyncStateJson, type SyncUpload, type SyncUploadResult } from "./schema";

/** The server side of a sync, as the phone sees it (HTTP in the browser; direct calls in tests). */
export interface SyncApi {
  getState(logId: number): Promise<SyncStateJson>;
  upload(body: SyncUpload): Promise<UploadOutcome>;
}

export type UploadOutcome =
  /** The server stored the upload and answered. */
  | { kind: "stored"; result: SyncUploadResult }
  /** The browser kept the upload to send when back online (service-worker background sync). */
  | { kind: "queued" };

export type SyncPhase = "status" | "receiving" | "uploading" | "done";

export interface SyncProgress {
  phase: SyncPhase;
  /** New records received from the pump so far in this sync. */
  received: number;
  /** New records the pump reported when the sync started (its highest sequence number minus the resume point). */
  expected: number;
  /** The pump's newest record. */
  deviceHighestSeq: number;
  /** Records handed to the server so far (stored or queued). */
  uploaded: number;
}

export interface SyncSummary {
  logId: number;
  /** Sequence number after which this sync started (what the server already had). */
  resumedAfterSeq: number;
  received: number;
  newEvents: number;
  duplicateEvents: number;
  /** Uploads the browser queued for later instead of delivering now. */
  queuedUploads: number;
  uploads: number;
  /** Highest sequence number the server holds for this log after the sync (or, when queued, the highest received). */
  lastSeq: number;
  deviceHighestSeq: number;
  /** Values that failed their CRC/length check and were read again (any characteristic). */
  integrityRetries: number;
  /** Times the link dropped during the sync and was re-established. */
  reconnects: number;
  /** Ranges the pump had already overwritten in its ring buffer (lost on the device, protocol §7.4). */
  gaps: { from: number; to: number }[];
  /** The status uploaded with the last chunk. */
  status: PumpStatus;
}

export type SyncFailureKind = "link" | "integrity" | "pump" | "log_mismatch" | "upload_offline" | "upload_rejected" | "upload_failed" | "signed_out";

/** A sync that stopped, with a sentence for the patient and what was saved before it stopped. */
export class SyncFailure extends Error {
  override readonly name = "SyncFailure";
  constructor(
    readonly kind: SyncFailureKind,
    message: string,
    /** Records received and stored (or queued) before the failure. */
    readonly saved: { received: number; newEvents: number; duplicateEvents: number; queuedUploads: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown by SyncApi implementations; `kind` tells the sync how to explain it. */
export class SyncApiError extends Error {
  override readonly name = "SyncApiError";
  constructor(
    readonly kind: "offline" | "rejected" | "server" | "signed_out",
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface RunSyncOptions {
  client: PumpLinkClient;
  api: SyncApi;
  onProgress?: (progress: SyncProgress) => void;
  /** Records per upload (default 500; at most MAX_RECORDS_PER_UPLOAD). */
  chunkSize?: number;
  newUploadId?: () => string;
  /**
   * Link events of this sync (CRC retries, reconnects). Wire the client's `onEvent` to this so the
   * summary counts retries on every characteristic, not only on Records.
   */
  subscribe?: (listener: (event: PumpLinkEvent) => void) => () => void;
  /**
   * Connections the transport has made so far. When given, `reconnects` counts the connections made
   * during the sync: a browser may report a drop between two operations, and the client then
   * reconnects without any failure to count.
   */
  connectionCount?: () => number;
}

export async function runSync(options: RunSyncOptions): Promise<SyncSummary> {
  const { client, api } = options;
  const chunkSize = Math.max(1, Math.min(MAX_RECORDS_PER_UPLOAD, options.chunkSize ?? 500));
  const newUploadId = options.newUploadId ?? (() => crypto.randomUUID());
  let integrityEvents = 0;
  let reconnectEvents = 0;
  const connectionsAtStart = options.connectionCount?.() ?? 0;
  const unsubscribe = options.subscribe?.((event) => {
    if (event.type === "crc_retry") integrityEvents++;
    if (event.type === "reconnect") reconnectEvents++;
  });

  const totals = { received: 0, newEvents: 0, duplicateEvents: 0, queuedUploads: 0, uploads: 0 };
  const progress: SyncProgress = { phase: "status", received: 0, expected: 0, deviceHighestSeq: 0, uploaded: 0 };
  const report = () => options.onProgress?.({ ...progress });
  let pending: PumpRecord[] = [];
  let serverLastSeq = 0;

  const upload = async (logId: number, status: PumpStatus, records: PumpRecord[]) => {
    const body: SyncUpload = { uploadId: newUploadId(), device: { logId, status: statusForUpload(status) }, records: records.map(recordForUpload) };
    let outcome: UploadOutcome;
    try {
      outcome = await api.upload(body);
    } catch (err) {
      throw uploadFailure(err, totals);
    }
    totals.uploads++;
    progress.uploaded += records.length;
    if (outcome.kind === "queued") {
      totals.queuedUploads++;
    } else {
      totals.newEvents += outcome.result.newEvents;
      totals.duplicateEvents += outcome.result.duplicateEvents;
      serverLastSeq = Math.max(serverLastSeq, outcome.result.lastSeq);
    }
    report();
  };

  try {
    report();
    const startStatus = await pumpStep(() => client.readStatus(), totals);
    let state: SyncStateJson;
    try {
      state = await api.getState(startStatus.logId);
    } catch (err) {
      throw uploadFailure(err, totals);
    }
    const afterSeq = state.lastSeq;
    serverLastSeq = afterSeq;
    if (afterSeq > startStatus.highestSeq) {
      throw new SyncFailure(
        "log_mismatch",
        "The pump's history is shorter than what was already uploaded for it. Nothing was changed. " +
          "This can happen after the pump's memory was reset; please tell your clinic.",
        { ...totals },
      );
    }
    progress.phase = "receiving";
    progress.expected = startStatus.highestSeq - afterSeq;
    progress.deviceHighestSeq = startStatus.highestSeq;
    report();

    let result: SyncResult;
    try {
      result = await client.syncRecords({
        afterSeq,
        logId: startStatus.logId,
        onBatch: async (records) => {
          pending.push(...records);
          progress.received += records.length;
          totals.received += records.length;
          report();
          while (pending.length >= chunkSize) {
            const chunk = pending.slice(0, chunkSize);
            pending = pending.slice(chunkSize);
            progress.phase = "uploading";
            await upload(startStatus.logId, startStatus, chunk);
            progress.phase = "receiving";
          }
        },
      });
    } catch (err) {
      // Keep what arrived before the link gave up: the next sync then resumes after it.
      if (!(err instanceof SyncFailure) && pending.length > 0) {
        const rest = pending;
        pending = [];
        try {
          progress.phase = "uploading";
          await upload(startStatus.logId, startStatus, rest);
        } catch {
          // The original failure is the one to report; the records are still on the pump.
        }
      }
      if (err instanceof SyncFailure) throw err;
      throw pumpFailure(err, totals);
    }

    // The final upload carries a fresh status, so the server's reading reflects the end of the sync.
    let endStatus = startStatus;
    try {
      endStatus = await client.readStatus();
    } catch {
      // The records are what matters; the status read at the start is still true for its time.
    }
    progress.phase = "uploading";
    progress.deviceHighestSeq = Math.max(progress.deviceHighestSeq, result.deviceHighestSeq, endStatus.highestSeq);
    const rest = pending;
    pending = [];
    // Even with no new records the status is worth storing: it is the newest reading of the pump.
    await upload(startStatus.logId, endStatus, rest);

    progress.phase = "done";
    report();
    return {
      logId: startStatus.logId,
      resumedAfterSeq: afterSeq,
      received: totals.received,
      newEvents: totals.newEvents,
      duplicateEvents: totals.duplicateEvents,
      queuedUploads: totals.queuedUploads,
      uploads: totals.uploads,
      lastSeq: totals.queuedUploads > 0 ? Math.max(serverLastSeq, result.lastSeq) : serverLastSeq,
      deviceHighestSeq: progress.deviceHighestSeq,
      integrityRetries: options.subscribe ? integrityEvents : result.crcRetries,
      reconnects: options.connectionCount ? options.connectionCount() - connectionsAtStart : options.subscribe ? reconnectEvents : result.reconnects,
      gaps: result.gaps,
      status: endStatus,
    };
  } finally {
    unsubscribe?.();
  }
}

type Totals = { received: number; newEvents: number; duplicateEvents: number; queuedUploads: number };

async function pumpStep<T>(fn: () => Promise<T>, totals: Totals): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw pumpFailure(err, totals);
  }
}

const KEPT = "Records received before that are saved; sync again to continue.";

/** Pump-link failures in the patient's words. */
export function pumpFailure(err: unknown, totals: Totals): SyncFailure {
  const saved = { ...totals };
  const kept = saved.received > 0 ? ` ${KEPT}` : "";
  if (err instanceof PumpLinkError) {
    switch (err.code) {
      case "link_lost":
      case "timeout":
        return new SyncFailure("link", `The connection to the pump kept dropping. Keep the phone close to the pump and try again.${kept}`, saved, { cause: err });
      case "integrity":
        return new SyncFailure("integrity", `Data from the pump kept arriving damaged, so it was not used. Move away from other radio devices and try again.${kept}`, saved, { cause: err });
      case "unsupported_version":
        return new SyncFailure("pump", "This pump speaks a newer version of the link protocol. Update Pump Portal (reload the page) and try again.", saved, { cause: err });
      case "log_reset":
        return new SyncFailure("log_mismatch", "The pump's history was reset while syncing. Sync again to start from its new history.", saved, { cause: err });
      case "device_refused":
      case "protocol":
        return new SyncFailure("pump", `The pump did not answer as expected (${err.message}). Try again; if it keeps happening, tell your clinic.${kept}`, saved, { cause: err });
    }
  }
  if (err instanceof PumpLinkTransportError) {
    return new SyncFailure("link", `Could not reach the pump (${err.message}). Check that it is switched on and nearby, then try again.${kept}`, saved, { cause: err });
  }
  return new SyncFailure("pump", `The sync stopped unexpectedly (${err instanceof Error ? err.message : String(err)}).${kept}`, saved, { cause: err });
}

function uploadFailure(err: unknown, totals: Totals): SyncFailure {
  const saved = { ...totals };
  const onPump = "Nothing is lost: the records stay on the pump, and the next sync picks up where this one stopped.";
  if (err instanceof SyncApiError) {
    switch (err.kind) {
      case "offline":
        return new SyncFailure("upload_offline", `This phone seems to be offline, so the records could not be uploaded. ${onPump}`, saved, { cause: err });
      case "signed_out":
        return new SyncFailure("signed_out", "You have been signed out. Sign in again, then sync.", saved, { cause: err });
      case "rejected":
        return new SyncFailure("upload_rejected", `The server did not accept the records: ${err.message}`, saved, { cause: err });
      case "server":
        return new SyncFailure("upload_failed", `The server could not store the records just now. ${onPump}`, saved, { cause: err });
    }
  }
  return new SyncFailure("upload_failed", `The upload failed (${err instanceof Error ? err.message : String(err)}). ${onPump}`, saved, { cause: err });
}
