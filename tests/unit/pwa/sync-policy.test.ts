import { describe, expect, it } from "vitest";
import { SYNC_UPLOAD_PATH } from "@/sw/offline-keys";
import { queuedUploadResponse, replayOutcome, uploadIdOf } from "@/sw/sync-policy";

describe("queued pump-link uploads", () => {
  it.each([
    [200, "delivered"],
    [201, "delivered"],
    [202, "delivered"],
    [408, "retry"],
    [429, "retry"],
    [500, "retry"],
    [503, "retry"],
    [400, "dropped"],
    [401, "dropped"],
    [403, "dropped"],
    [404, "dropped"],
    [409, "dropped"],
    [413, "dropped"],
  ] as const)("a replay answered %i is %s", (status, outcome) => {
    expect(replayOutcome(status)).toBe(outcome);
  });

  it("routes only the sync upload address of a patient id", () => {
    expect(SYNC_UPLOAD_PATH.test("/api/patients/0b8e3c1e-8d0f-4b7a-9d51-0c4c0b0a9f11/sync")).toBe(true);
    expect(SYNC_UPLOAD_PATH.test("/api/patients/0b8e3c1e-8d0f-4b7a-9d51-0c4c0b0a9f11/sync/extra")).toBe(false);
    expect(SYNC_UPLOAD_PATH.test("/api/patients/not-a-uuid/sync")).toBe(false);
    expect(SYNC_UPLOAD_PATH.test("/api/patients/0b8e3c1e-8d0f-4b7a-9d51-0c4c0b0a9f11/status")).toBe(false);
  });

  it("answers a queued upload with 202 and its upload id", async () => {
    const req = new Request("http://x/api/patients/p/sync", { method: "POST", body: JSON.stringify({ uploadId: "5b0c…", records: [] }), headers: { "Content-Type": "application/json" } });
    const id = await uploadIdOf(req);
    expect(id).toBe("5b0c…");
    // The request body is still readable for the queue.
    expect(await req.text()).toContain("records");
    const res = queuedUploadResponse(id);
    expect(res.status).toBe(202);
    expect(res.headers.get("X-Pump-Sync")).toBe("queued");
    expect(await res.json()).toMatchObject({ queued: true, uploadId: "5b0c…" });
  });

  it("survives a body that is not JSON", async () => {
    expect(await uploadIdOf(new Request("http://x/", { method: "POST", body: "not json" }))).toBeNull();
  });
});
