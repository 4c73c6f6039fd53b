/**
 * What to do with a queued pump-link upload once the server answered its replay.
 *
 * - delivered (2xx): the server stored it; duplicates of events it already had were ignored
 *   (ingestion is idempotent by device sequence number), so a replay never double-counts.
 * - retry (408, 429, 5xx): the server could not take it now; keep it and try at the next sync.
 * - dropped (any other 4xx: signed out, no access, invalid): replaying the same bytes can never
 *   succeed. Nothing is lost for good: the pump keeps its history and the next sync uploads
 *   from the server's last sequence number.
 */
export type ReplayOutcome = "delivered" | "retry" | "dropped";

export function replayOutcome(status: number): ReplayOutcome {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "dropped";
}

/** The answer the page gets when its upload could not reach the server and was queued. */
export function queuedUploadResponse(uploadId: string | null): Response {
  return new Response(
    JSON.stringify({
      queued: true,
      uploadId,
      message: "You are offline. This upload is saved on this device and will be sent when the connection returns.",
    }),
    { status: 202, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Pump-Sync": "queued" } },
  );
}

/** The upload's id, read from its JSON body, so the page can match the queued answer to what it sent. */
export async function uploadIdOf(request: Request): Promise<string | null> {
  try {
    const body: unknown = await request.clone().json();
    if (body && typeof body === "object" && "uploadId" in body && typeof body.uploadId === "string") return body.uploadId.slice(0, 64);
  } catch {
    // Not JSON: the server will refuse it on replay; the id is only informative.
  }
  return null;
}
