import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpSyncApi } from "@/lib/sync/http-api";
import { SyncApiError } from "@/lib/sync/run-sync";
import type { SyncUpload } from "@/lib/sync/schema";

/** A real HTTP server answering like the route (and like the PWA worker's offline queue). */
let server: http.Server;
let base = "";
let answer: { status: number; body: string } = { status: 200, body: "{}" };
const seen: { method?: string; url?: string; type?: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, type: req.headers["content-type"], body });
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const patientId = "3b1f0f6e-8a0c-4c77-9d55-0c2b7d1e9a10";
const api = () => httpSyncApi(patientId, (input, init) => fetch(base + input, init));
const body: SyncUpload = {
  uploadId: "6f1c2a4e-9b7d-4c1e-8f3a-2d5b6c7e8f90",
  device: { logId: 9, status: { deviceTime: 1, reservoirUl: 1, capacityUl: 2, batteryPercent: 3, alarmFlags: 0, therapyState: "running", highestSeq: 0 } },
  records: [],
};
const failure = async (p: Promise<unknown>) => {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SyncApiError);
  return err as SyncApiError;
};

describe("sync endpoints over HTTP", () => {
  it("asks where to resume for one log, and posts uploads as JSON", async () => {
    answer = { status: 200, body: JSON.stringify({ logId: 9, lastSeq: 12, firstSeq: 1, eventCount: 12, lastSyncAt: null }) };
    expect(await api().getState(9)).toMatchObject({ lastSeq: 12 });
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: `/api/patients/${patientId}/sync?logId=9` });

    answer = { status: 200, body: JSON.stringify({ newEvents: 0, duplicateEvents: 0, lastSeq: 12, readingStored: true }) };
    expect(await api().upload(body)).toEqual({ kind: "stored", result: { newEvents: 0, duplicateEvents: 0, lastSeq: 12, readingStored: true } });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: `/api/patients/${patientId}/sync`, type: "application/json" });
    expect(JSON.parse(seen.at(-1)?.body ?? "")).toEqual(body);
  });

  it("recognises the service worker's 'queued while offline' answer", async () => {
    answer = { status: 202, body: JSON.stringify({ queued: true, uploadId: body.uploadId, message: "saved" }) };
    expect(await api().upload(body)).toEqual({ kind: "queued" });
  });

  it("keeps the server's sentence for a refusal and classifies failures", async () => {
    answer = { status: 422, body: JSON.stringify({ error: { code: "unprocessable:pump_mismatch", message: "This looks like a different pump." } }) };
    expect(await failure(api().upload(body))).toMatchObject({ kind: "rejected", status: 422, message: "This looks like a different pump." });
    answer = { status: 401, body: JSON.stringify({ error: { code: "unauthenticated", message: "Please sign in to continue." } }) };
    expect(await failure(api().upload(body))).toMatchObject({ kind: "signed_out" });
    answer = { status: 503, body: JSON.stringify({ error: { code: "unavailable", message: "busy" } }) };
    expect(await failure(api().getState(1))).toMatchObject({ kind: "server", status: 503 });
    answer = { status: 500, body: "not json" };
    expect(await failure(api().upload(body))).toMatchObject({ kind: "server", message: "HTTP 500" });
    answer = { status: 200, body: JSON.stringify({ something: "else" }) };
    expect(await failure(api().upload(body))).toMatchObject({ kind: "server" });
  });

  it("reports a network failure as offline", async () => {
    const offline = httpSyncApi(patientId, () => fetch("http://127.0.0.1:1/unreachable"));
    expect(await failure(offline.upload(body))).toMatchObject({ kind: "offline" });
  });
});
