import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { encodeControlPoint } from "../../lib/pump-link/codec";
import { ManualClock, PumpSimulator } from "../../lib/pump-link/simulator";
import { DEMO_ACCOUNTS, patientIds, signIn } from "./fixtures";
import { setupPumpPeripheral, webBluetoothLaunchOptions } from "./support/ble-peripheral";

test.use({ launchOptions: webBluetoothLaunchOptions });

/** A handheld for Alex: baclofen 2000 µg/mL, bolus 50 µg, 3 h lockout, 4 per 24 h, clock at real time. */
function alexPump() {
  const clock = new ManualClock(0);
  const sim = new PumpSimulator({
    clock,
    deviceTime: Math.floor(Date.now() / 1000),
    concentration: 2000,
    basalDosePerDay: 400,
    capacityUl: 40_000,
    reservoirUl: 30_000,
    lowReservoirThresholdUl: 2000,
    permission: { enabled: true, dose: 50, lockoutS: 3 * 3600, durationS: 600, maxPer24h: 4, version: 1 },
  });
  return { sim, clock };
}

let requestId = 100;
/** A bolus asked for on the handheld itself (not through this phone), e.g. from another phone. */
function deliverOnDevice(sim: PumpSimulator, token: number) {
  const code = sim.writeControlPoint(encodeControlPoint({ op: "request_bolus", requestId: requestId++, token, dose: 50, permissionVersion: 1 }, requestId & 0xff));
  expect(code).toBe(0);
}

async function connect(page: Page) {
  await page.getByRole("button", { name: "Connect handheld" }).click();
  await expect(page.getByTestId("bolus-connection")).toBeVisible({ timeout: 30_000 });
}

async function giveBolus(page: Page) {
  await page.getByRole("button", { name: "Give bolus" }).click();
  await expect(page.getByText(/Give 50 µg baclofen now\?/)).toBeVisible();
  await page.getByRole("button", { name: "Yes, give 50 µg" }).click();
}

async function serverBoluses(page: Page, patientId: string) {
  return (await (await page.request.get(`/api/patients/${patientId}/boluses`)).json()).boluses as { token: number; state: string; deviceSeq: number | null }[];
}

test.describe("personal bolus over the emulated handheld", () => {
  let alex = "";
  test.beforeAll(async ({ browser }) => {
    alex = (await patientIds(browser))["Alex Morgan"]!;
  });

  test("allowed → confirmed once; an immediate second is refused by the device with the lockout; allowed again after it; the 24 h maximum holds across the window edge", async ({ browser, page }) => {
    test.setTimeout(180_000);
    const { sim, clock } = alexPump();
    await signIn(page, DEMO_ACCOUNTS.patient);
    await expect(page).toHaveURL(/\/patient$/);
    await page.goto("/patient/bolus");
    await expect(page.getByTestId("bolus-dose")).toHaveText("50 µg baclofen");
    const pump = await setupPumpPeripheral(browser, page, sim);
    await connect(page);
    await expect(page.getByTestId("bolus-availability")).toHaveText("A bolus is available now.");
    await expect(page.getByTestId("bolus-remaining")).toHaveText("4 of 4 left in the last 24 hours");

    await giveBolus(page);
    await expect(page.getByTestId("bolus-outcome")).toContainText("Delivered.");
    await expect(page.getByTestId("bolus-outcome")).toContainText(/event #\d+/);
    expect(sim.deliveries()).toHaveLength(1);
    const firstToken = sim.deliveries()[0]!.token;
    expect((await serverBoluses(page, alex)).filter((b) => b.token === firstToken)).toEqual([expect.objectContaining({ state: "confirmed" })]);
    // The page now knows the lockout: no button, a countdown, and the reason.
    await expect(page.getByTestId("bolus-availability")).toContainText(/Next bolus available at \d{2}:\d{2} \(in (2 h 5\d min|3 h)\)/);
    await expect(page.getByTestId("bolus-countdown")).toBeVisible();
    await expect(page.locator('[data-reason="lockout"]')).toBeVisible();
    await expect(page.getByRole("button", { name: "Give bolus" })).toBeDisabled();

    // The device decides, not the page: after the lockout the page reads "available", then the
    // handheld gives a bolus this page does not know about, and the page's request is refused.
    clock.advance(3 * 3600 + 1);
    await page.getByRole("button", { name: "Check the pump again" }).click();
    await expect(page.getByTestId("bolus-availability")).toHaveText("A bolus is available now.");
    deliverOnDevice(sim, 0x0b0b0001); // the handheld gives one without this page knowing
    await giveBolus(page);
    await expect(page.getByTestId("bolus-outcome")).toContainText("Not given.");
    await expect(page.locator('[data-denial="lockout_active"]')).toBeVisible();
    await expect(page.getByTestId("bolus-countdown")).toBeVisible();
    expect(sim.deliveries()).toHaveLength(2);

    // After the lockout (simulated time) it is allowed again: third delivery.
    clock.advance(3 * 3600 + 1);
    await page.getByRole("button", { name: "Check the pump again" }).click();
    await expect(page.getByTestId("bolus-remaining")).toHaveText("2 of 4 left in the last 24 hours");
    await giveBolus(page);
    await expect(page.getByTestId("bolus-outcome")).toContainText("Delivered.");
    // Fourth, then the maximum is reached.
    clock.advance(3 * 3600 + 1);
    deliverOnDevice(sim, 0x0b0b0002);
    expect(sim.deliveries()).toHaveLength(4);
    clock.advance(3 * 3600 + 1);
    await page.getByRole("button", { name: "Check the pump again" }).click();
    await expect(page.locator('[data-reason="daily_max"]')).toBeVisible();
    await expect(page.getByTestId("bolus-remaining")).toHaveText("0 of 4 left in the last 24 hours");
    // The first delivery leaves the 24 h window 24 h after it: just before, still refused; just after, allowed.
    const first = sim.deliveries()[0]!;
    const untilEdge = first.deviceTime + 86_400 - sim.deviceTime();
    clock.advance(untilEdge - 60);
    await page.getByRole("button", { name: "Check the pump again" }).click();
    await expect(page.locator('[data-reason="daily_max"]')).toBeVisible();
    clock.advance(61);
    await page.getByRole("button", { name: "Check the pump again" }).click();
    await expect(page.getByTestId("bolus-availability")).toHaveText("A bolus is available now.");
    await expect(page.getByTestId("bolus-remaining")).toHaveText("1 of 4 left in the last 24 hours");
    await pump.close();
  });

  test("a lost response shows unconfirmed; checking with the same token finds the one delivery; device, page and database count one", async ({ browser, page }) => {
    test.setTimeout(120_000);
    const { sim } = alexPump();
    await signIn(page, DEMO_ACCOUNTS.patient);
    await expect(page).toHaveURL(/\/patient$/);
    await page.goto("/patient/bolus");
    const pump = await setupPumpPeripheral(browser, page, sim);
    await connect(page);
    pump.loseNextResponse("response");
    await giveBolus(page);
    // The client gives up waiting after its timeout (10 s) and never assumes delivery.
    await expect(page.getByTestId("bolus-outcome")).toContainText("We could not confirm delivery — check your handheld before trying again.", { timeout: 60_000 });
    expect(sim.deliveries()).toHaveLength(1); // the device did deliver
    const token = sim.deliveries()[0]!.token;
    expect((await serverBoluses(page, alex)).find((b) => b.token === token)?.state).toBe("unconfirmed");
    await page.getByRole("button", { name: "Check with the handheld" }).click();
    await expect(page.getByTestId("bolus-outcome")).toContainText("Delivered.");
    expect(sim.deliveries()).toHaveLength(1);
    const rows = (await serverBoluses(page, alex)).filter((b) => b.token === token);
    expect(rows).toEqual([expect.objectContaining({ state: "confirmed" })]);
    await expect(page.getByTestId("bolus-history").locator(`li[data-state="confirmed"]`).first()).toBeVisible();
    // Replaying the phone's record of the same token changes nothing.
    const replay = await page.request.post(`/api/patients/${alex}/boluses`, { data: { token, dose: 50, permissionVersion: 1, requestedAt: new Date().toISOString(), outcome: { state: "confirmed" } } });
    expect(replay.status()).toBe(200);
    expect((await serverBoluses(page, alex)).filter((b) => b.token === token)).toHaveLength(1);
    await pump.close();
  });

  test("a double click sends one request; the flow is keyboard-operable and passes axe", async ({ browser, page }) => {
    test.setTimeout(120_000);
    const { sim } = alexPump();
    await signIn(page, DEMO_ACCOUNTS.patient);
    await expect(page).toHaveURL(/\/patient$/);
    await page.goto("/patient/bolus");
    const pump = await setupPumpPeripheral(browser, page, sim);
    await connect(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
    // Keyboard: focus the button, Enter; the confirmation takes focus; Enter confirms.
    await page.getByRole("button", { name: "Give bolus" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Yes, give 50 µg" })).toBeFocused();
    await page.getByRole("button", { name: "Yes, give 50 µg" }).dblclick();
    await expect(page.getByTestId("bolus-outcome")).toContainText(/Delivered\.|Not given\./);
    expect(sim.deliveries()).toHaveLength(1);
    // The countdown region is polite (announced once a minute), not assertive.
    await expect(page.getByTestId("bolus-availability")).toHaveAttribute("aria-live", "polite");
    await pump.close();
  });
});
