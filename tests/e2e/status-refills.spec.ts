import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, patientIds, signedInPage } from "./fixtures";

test.describe("pump status, refills and history", () => {
  let ids: Record<string, string>;
  test.beforeAll(async ({ browser }) => {
    ids = await patientIds(browser);
  });

  test("the patient's home shows the pump in natural units with the age of every value", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    await expect(page.getByTestId("drug-name")).toHaveText("Baclofen");
    await expect(page.getByTestId("concentration")).toHaveText("2,000 µg/mL");
    await expect(page.getByTestId("daily-dose")).toHaveText("400 µg/day");
    await expect(page.getByTestId("reservoir-volume")).toContainText(/\d+(\.\d+)? mL\s*of 40 mL · \d+%/);
    await expect(page.getByTestId("reading-age")).toContainText(/Measured (just now|\d+ min ago|\d+ h ago) \(\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}\)/);
    await expect(page.getByRole("meter", { name: "Reservoir level" })).toBeVisible();
    await expect(page.getByTestId("battery")).toContainText(/\d+% at last sync · replacement due/);
    await expect(page.getByTestId("stale-banner")).toHaveCount(0);
    await expect(page.locator('[data-refill-check="ok"]')).toBeVisible();
    await context.close();
  });

  test("refills: both low-reservoir dates with their working, past refills and a calendar file", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    await page.getByRole("link", { name: "Refills", exact: true }).click();
    await expect(page.getByTestId("worst-case-date")).toHaveText(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} \w{3} \d{4}$/);
    await expect(page.getByTestId("expected-date")).toHaveText(/\d{4}$/);
    await page.getByText("How these dates are worked out").click();
    await expect(page.getByTestId("worst-case-explanation")).toContainText("alarm threshold");
    await expect(page.getByTestId("worst-case-explanation")).toContainText("up to 4 boluses of 0.025 mL");
    await expect(page.getByTestId("refill-history").locator("tbody tr")).toHaveCount(2);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Add to calendar" }).click()]);
    const ics = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
    expect(ics).toContain("BEGIN:VCALENDAR\r\n");
    expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    expect(ics).toContain("SUMMARY:Pump refill appointment");
    expect(ics.toLowerCase()).not.toContain("baclofen");
    await context.close();
  });

  test("history: 90 days of reservoir and bolus use as charts with data tables", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    await page.goto("/patient/history");
    await expect(page.getByTestId("reservoir-chart")).toBeVisible();
    await expect(page.getByTestId("bolus-chart")).toBeVisible();
    await page.getByText("Show the numbers").first().click();
    expect(await page.getByTestId("reservoir-table").locator("tbody tr").count()).toBeGreaterThanOrEqual(85);
    expect(await page.getByTestId("bolus-table").locator("tbody tr").count()).toBeGreaterThan(30);
    await context.close();
  });

  test("the status endpoint returns what the page shows, with its age; the caregiver gets the same", async ({ browser }) => {
    for (const email of [DEMO_ACCOUNTS.patient, DEMO_ACCOUNTS.caregiver]) {
      const { context, page } = await signedInPage(browser, email, /\/(patient|caregiver)$/);
      const res = await page.request.get(`/api/patients/${ids["Alex Morgan"]}/status`);
      expect(res.status()).toBe(200);
      const body = await res.json();
      expect(body.therapy).toMatchObject({ drug: "baclofen", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: 2000 });
      expect(body.bolusPermission).toMatchObject({ enabled: true, dose: 50, lockoutSeconds: 10800, maxPer24h: 4 });
      expect(body.reading.ageSeconds).toBeGreaterThanOrEqual(0);
      expect(Date.parse(body.reading.recordedAt)).toBeLessThanOrEqual(Date.parse(body.generatedAt));
      expect(body.reading.stale).toBe(false);
      expect(body.projection.worstCase.status).toBe("ok");
      expect(Date.parse(body.projection.worstCase.lowReservoirAt)).toBeLessThanOrEqual(Date.parse(body.projection.expected.lowReservoirAt));
      expect(body.nextRefill.check).toBe("ok");
      expect(res.headers()["cache-control"]).toContain("no-store");
      await context.close();
    }
  });

  test("the caregiver sees the same status and refills pages for the patient who granted them", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.caregiver, /\/caregiver$/);
    await page.goto(`/caregiver/patients/${ids["Alex Morgan"]}`);
    await expect(page.getByTestId("daily-dose")).toHaveText("400 µg/day");
    await page.goto(`/caregiver/patients/${ids["Alex Morgan"]}/refills`);
    await expect(page.getByTestId("worst-case-date")).toBeVisible();
    await context.close();
  });

  test("the clinic worklist puts the most urgent refill first and flags it", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.clinician, /\/clinic$/);
    const rows = page.getByTestId("clinic-worklist").locator("tbody tr");
    await expect(rows).toHaveCount(2);
    // Jordan's booked refill is after the projected low-reservoir date: overdue.
    await expect(rows.filter({ hasText: "Jordan Reyes" })).toHaveAttribute("data-flag", "overdue");
    // Sorted by days until the worst-case date, most urgent first (other specs may sync Alex meanwhile).
    const days = (await rows.allInnerTexts()).map((t) => (/already/.test(t) ? -1 : Number(/in (\d+) days/.exec(t)?.[1] ?? Infinity)));
    expect(days).toEqual([...days].sort((a, b) => a - b));
    await context.close();
  });

  test("a clinician changes therapy as a new version; impossible values are refused and nothing is saved", async ({ browser }) => {
    const jordan = ids["Jordan Reyes"]!;
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.clinician, /\/clinic$/);
    await page.goto(`/clinic/patients/${jordan}/therapy`);
    const versions = page.getByTestId("prescription-history").locator("li");
    await expect(versions).toHaveCount(1);

    await page.getByLabel("Bolus duration (seconds)").fill("900");
    await page.getByLabel("Lockout between boluses (seconds)").fill("600");
    await page.getByLabel(/^Concentration/).fill("0");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await expect(page.locator('[data-field-error="lockoutSeconds"]')).toContainText("at least as long as the bolus");
    await expect(page.locator('[data-field-error="concentration"]')).toBeVisible();
    await page.reload();
    await expect(versions).toHaveCount(1);

    await page.getByLabel(/^Daily dose/).fill("100000000");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await expect(page.locator('[data-field-error="dailyDose"]')).toBeVisible();

    await page.reload();
    await page.getByLabel(/^Daily dose/).fill("1800");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await expect(page.getByText("Saved as a new version")).toBeVisible();
    await page.reload();
    await expect(versions).toHaveCount(2);
    await expect(versions.first()).toContainText("Version 2");
    await expect(versions.first()).toContainText("Dr Ada Okafor");
    await expect(versions.first()).toContainText("1.8 mg/day");
    await context.close();
  });

  test("a clinician books, moves and completes a refill; completion updates the reservoir", async ({ browser }) => {
    const jordan = ids["Jordan Reyes"]!;
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.clinician, /\/clinic$/);
    await page.goto(`/clinic/patients/${jordan}/refills`);
    // A time that does not exist (clocks go forward) is refused next to the field.
    await page.getByLabel(/^Date and time/).fill("2030-03-31T01:30");
    await page.getByRole("button", { name: "Book refill" }).click();
    await expect(page.locator('[data-field-error="scheduledAtLocal"]')).toContainText("clocks change");
    await page.getByLabel(/^Date and time/).fill("2030-01-15T09:45");
    await page.getByRole("button", { name: "Book refill" }).click();
    await expect(page.getByText("Appointment booked.")).toBeVisible();
    await page.reload();
    // The first booked appointment is the soonest: the existing one in ~4 months; complete it.
    const first = page.locator("section", { hasText: /^Booked:/ }).first();
    await first.getByLabel("Volume added (µL)").fill("3500");
    await first.getByLabel("New reservoir volume (µL)").fill("25000");
    await first.getByRole("button", { name: "Record refill as done" }).click();
    await expect(first.locator('[data-field-error="newReservoirUl"]')).toContainText("at most 20000");
    await first.getByLabel("New reservoir volume (µL)").fill("20000");
    await first.getByRole("button", { name: "Record refill as done" }).click();
    await expect(page.getByText("Refill recorded.")).toBeVisible();
    await page.goto(`/clinic/patients/${jordan}`);
    await expect(page.getByTestId("reservoir-volume")).toContainText("20 mL");
    await expect(page.getByTestId("reading-age")).toContainText(/just now|min ago/);
    await context.close();
  });
});
