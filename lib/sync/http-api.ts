/**
 * The sync endpoints over HTTP, for the browser. Errors become SyncApiError with a kind the sync
 * can explain; the server's own sentence is kept for rejections.
 *
 * Offline uploads: the PWA's service worker may keep a failed POST in a background-sync queue and
 * answer it itself. It signals that with HTTP 202 and `{ "queued": true }`; only then does the app
 * say the upload is saved on the phone. Any other network failure is reported as offline, with the
 * records still on the pump.
 */
import { SyncApiError, type SyncApi, type UploadOutcome } from "./run-sync";
import type { SyncStateJson, SyncUpload, SyncUploadResult } from "./schema";

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export function syncUrl(patientId: string): string {
  return `/api/patients/${encodeURIComponent(patientId)}/sync`;
}

export function httpSyncApi(patientId: string, fetchImpl: Fetch = (input, init) => fetch(input, init)): SyncApi {
  const url = syncUrl(patientId);
  return {
    async getState(logId) {
      const res = await send(() => fetchImpl(`${url}?logId=${logId}`, { headers: { Accept: "application/json" }, cache: "no-store" }));
      return (await res.json()) as SyncStateJson;
    },
    async upload(body: SyncUpload): Promise<UploadOutcome> {
      const res = await send(() =>
        fetchImpl(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) }),
      );
      const json = (await res.json().catch(() => null)) as (SyncUploadResult & { queued?: boolean }) | null;
      if (res.status === 202 && json?.queued === true) return { kind: "queued" };
      if (json === null || typeof json.newEvents !== "number") throw new SyncApiError("server", "the server's answer was not understood", res.status);
      return { kind: "stored", result: json };
    },
  };
}

async function send(request: () => Promise<Response>): Promise<Response> {
  let res: Response;
  try {
    res = await request();
  } catch (err) {
    // fetch rejects only when no HTTP answer arrived: offline, DNS, connection reset.
    throw new SyncApiError("offline", err instanceof Error ? err.message : "network error");
  }
  if (res.ok) return res;
  const message = await res
    .json()
    .then((b: { error?: { message?: unknown } }) => (typeof b?.error?.message === "string" ? b.error.message : null))
    .catch(() => null);
  if (res.status === 401) throw new SyncApiError("signed_out", message ?? "Please sign in to continue.", 401);
  if (res.status >= 500 || res.status === 429) throw new SyncApiError("server", message ?? `HTTP ${res.status}`, res.status);
  throw new SyncApiError("rejected", message ?? `HTTP ${res.status}`, res.status);
}
