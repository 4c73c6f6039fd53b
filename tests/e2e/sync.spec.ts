/**
 * The Sync page without Bluetooth hardware (the simulated pump, and a browser without Web
 * Bluetooth) and the sync endpoint's contract: authorisation, validation without partial writes,
 * idempotent uploads. Runs in the default Chromium, which has no navigator.bluetooth on Linux.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { SyncStateJson, SyncUpload } from "../../lib/sync/schema";
import { DEMO_ACCOUNTS, patientIds, signedInPage } from "./fixtures";

let ids: Record<string, string> = {};
test.beforeAll(async ({ browser }) => {
  ids = await patientIds(browser);
});

const syncButton = (page: Page) => page.getByRole("button", { name: /^Sync (now|again)$/ });
const syncUrl = (patientId: string) => `/api/patients/${patientId}/sync`;

async function holds(request: APIRequestContext, patientId: string, logId?: number): Promise<SyncStateJson> {
  const res = await request.get(`${syncUrl(patientId)}${logId === undefined ? "" : `?logId=${logId}`}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as SyncStateJson;
}

let uploadSerial = 0;
/** An upload from a pump like Alex's, dated two days back so it never becomes Alex's latest status. */
function upload(logId: number, seqs: number[], over: Partial<SyncUpload["device"]["status"]> = {}): SyncUpload {
  const t = Math.floor(Date.now() / 1000) - 2 * 86_400;
  return {
    uploadId: `8d3c1b2a-0f4e-4a5b-9c6d-${String(++uploadSerial).padStart(12, "0")}`,
    device: { logId, status: { deviceTime: t + uploadSerial, reservoirUl: 25_000, capacityUl: 40_000, batteryPercent: 70, alarmFlags: 0, therapyState: "running", highestSeq: Math.max(0, ...seqs), ...over } },
    records: seqs.map((seq) => ({ seq, time: t - 3600 + seq, kind: "reservoir_reading" as const, reservoirUl: 25_000 + seq })),
  };
}

test.describe("sync page with the simulated pump", () => {
  test("explains that this browser has no Web Bluetooth and offers the simulated pump instead", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.otherPatient, /\/patient$/);
    await page.goto("/patient/sync");
    await expect(page.getByTestId("bluetooth-unsupported")).toContainText("This browser does not offer Web Bluetooth");
    await expect(page.getByTestId("bluetooth-unsupported")).toContainText("use the pump's handheld");
    await expect(page.getByRole("button", { name: "Connect handheld" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Use simulated pump" })).toBeVisible();
    await expect(syncButton(page)).toBeDisabled();
    await context.close();
  });

  test("demo: syncs the simulated pump's new history, survives a reload, and picks up simulated hours", async ({ browser }) => {
    const jordanId = ids["Jordan Reyes"] ?? "";
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.otherPatient, /\/patient$/);
    const before = await holds(page.request, jordanId);
    await page.goto("/patient/sync");
    await page.getByRole("button", { name: "Use simulated pump" }).click();
    await expect(page.getByTestId("pump-connected")).toContainText("the simulated pump (demo)");
    // Set up from Jordan's server state: a 20 mL pump whose log continues after what the server holds.
    await expect(page.getByTestId("device-reservoir")).toContainText("of 20 mL");
    await expect(page.getByTestId("device-highest-seq")).toHaveText(`#${before.lastSeq + 12}`);

    await syncButton(page).click();
    await expect(page.getByTestId("sync-result")).toHaveText("12 new events");
    expect(await holds(page.request, jordanId, before.logId ?? 0)).toMatchObject({ lastSeq: before.lastSeq + 12, eventCount: before.eventCount + 12 });
    // Connected, with a result and the demo controls on screen: still no serious accessibility problem.
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    // The demo pump survives a reload and reconnects by itself, with nothing new to send.
    await page.reload();
    await expect(page.getByTestId("pump-connected")).toContainText("the simulated pump (demo)");
    await syncButton(page).click();
    await expect(page.getByTestId("sync-result")).toHaveText("0 new events");

    // Three simulated hours: three hourly reservoir readings, and a pump clock 3 h ahead of the phone.
    await page.getByRole("button", { name: "+3 h" }).click();
    await expect(page.getByTestId("simulated-advance")).toHaveText("Simulated time is 3 h ahead of real time.");
    await expect(page.getByTestId("clock-skew")).toContainText("The pump's clock is 3 h ahead of this phone's clock.");
    await syncButton(page).click();
    await expect(page.getByTestId("sync-result")).toHaveText("3 new events");

    // Setting the pump's clock is offered, never done silently; it is itself logged on the pump.
    await page.getByRole("button", { name: "Set the pump's clock to this phone's time" }).click();
    await expect(page.getByTestId("clock-skew")).toHaveCount(0);
    await syncButton(page).click();
    await expect(page.getByTestId("sync-result")).toHaveText("1 new event");
    expect(await holds(page.request, jordanId, before.logId ?? 0)).toMatchObject({ lastSeq: before.lastSeq + 16, eventCount: before.eventCount + 16 });

    // After a sync the status page shows the new reading.
    await page.goto("/patient");
    await expect(page.getByTestId("reading-age")).toContainText(/just now|min ago/);
    await context.close();
  });
});

test.describe("sync endpoint", () => {
  test("only the patient may upload; everyone else gets a 401 or a 404", async ({ browser, playwright }) => {
    const alexId = ids["Alex Morgan"] ?? "";
    const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    expect((await anonymous.get(syncUrl(alexId))).status()).toBe(401);
    expect((await anonymous.post(syncUrl(alexId), { data: upload(0xe2e0_0001, [1]) })).status()).toBe(401);
    await anonymous.dispose();

    for (const [email, home] of [
      [DEMO_ACCOUNTS.caregiver, /\/caregiver$/],
      [DEMO_ACCOUNTS.clinician, /\/clinic$/],
      [DEMO_ACCOUNTS.otherPatient, /\/patient$/],
    ] as const) {
      const { context, page } = await signedInPage(browser, email, home);
      const res = await page.request.post(syncUrl(alexId), { data: upload(0xe2e0_0001, [1]) });
      expect(res.status(), email).toBe(404);
      await context.close();
    }
    // A caregiver with the status scope may see where the sync stands, never upload.
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.caregiver, /\/caregiver$/);
    expect((await page.request.get(syncUrl(alexId))).status()).toBe(200);
    await context.close();
    const alex = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    expect(await holds(alex.page.request, alexId, 0xe2e0_0001)).toMatchObject({ eventCount: 0 });
    await alex.context.close();
  });

  test("stores idempotently, counts duplicates, and refuses bad payloads with a 4xx and no partial write", async ({ browser }) => {
    const alexId = ids["Alex Morgan"] ?? "";
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    const log = 0xe2e0_0002;
    const body = upload(log, [1, 2, 3, 4]);
    const first = await page.request.post(syncUrl(alexId), { data: body });
    expect(first.status()).toBe(200);
    expect(await first.json()).toEqual({ newEvents: 4, duplicateEvents: 0, lastSeq: 4, readingStored: true });
    const retry = await page.request.post(syncUrl(alexId), { data: body });
    expect(await retry.json()).toEqual({ newEvents: 0, duplicateEvents: 4, lastSeq: 4, readingStored: false });

    // A valid record followed by an invalid one: nothing of the request is stored.
    const mixed = upload(log, [5, 6]) as unknown as { records: Record<string, unknown>[] };
    mixed.records[1] = { ...mixed.records[1], reservoirUl: -5 };
    const bad = await page.request.post(syncUrl(alexId), { data: mixed });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.message).toMatch(/records\.1\.reservoirUl: reservoirUl cannot be negative/);

    const wrongPump = await page.request.post(syncUrl(alexId), { data: upload(log, [5, 6], { capacityUl: 20_000, reservoirUl: 10_000 }) });
    expect(wrongPump.status()).toBe(422);
    expect((await wrongPump.json()).error.message).toContain("looks like a different pump");

    const notJson = await page.request.post(syncUrl(alexId), { headers: { "Content-Type": "text/plain" }, data: "hello" });
    expect(notJson.status()).toBe(415);
    const huge = await page.request.post(syncUrl(alexId), { headers: { "Content-Type": "application/json" }, data: `{"pad":"${"x".repeat(1_100_000)}"}` });
    expect(huge.status()).toBe(413);
    const dupSeq = upload(log, [7, 7]);
    expect((await page.request.post(syncUrl(alexId), { data: dupSeq })).status()).toBe(400);

    expect(await holds(page.request, alexId, log)).toMatchObject({ logId: log, firstSeq: 1, lastSeq: 4, eventCount: 4 });
    expect((await page.request.get(`${syncUrl(alexId)}?logId=-1`)).status()).toBe(400);
    await context.close();
  });
});
