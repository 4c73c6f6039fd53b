import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, patientIds, signedInPage } from "./fixtures";

test.describe("who sees what", () => {
  let ids: Record<string, string>;
  test.beforeAll(async ({ browser }) => {
    ids = await patientIds(browser);
    expect(Object.keys(ids).sort()).toEqual(["Alex Morgan", "Jordan Reyes"]);
  });

  test("the caregiver sees the linked patient but gets 404 on the other patient's page and API", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.caregiver, /\/caregiver$/);
    await expect(page.getByTestId("caregiver-patients")).toContainText("Alex Morgan");
    await expect(page.getByTestId("caregiver-patients")).not.toContainText("Jordan");

    const own = await page.goto(`/caregiver/patients/${ids["Alex Morgan"]}`);
    expect(own?.status()).toBe(200);
    await expect(page.getByTestId("drug-name")).toHaveText("Baclofen");
    const ownApi = await page.request.get(`/api/patients/${ids["Alex Morgan"]}/status`);
    expect(ownApi.status()).toBe(200);
    expect((await ownApi.json()).therapy.drug).toBe("baclofen");

    const other = await page.goto(`/caregiver/patients/${ids["Jordan Reyes"]}`);
    expect(other?.status()).toBe(404);
    await expect(page.getByText("morphine", { exact: false })).toHaveCount(0);
    const otherApi = await page.request.get(`/api/patients/${ids["Jordan Reyes"]}/status`);
    expect(otherApi.status()).toBe(404);
    const body = await otherApi.json();
    expect(body.error.message).toMatch(/not found|do not have access/);
    expect(JSON.stringify(body)).not.toContain("morphine");
    await context.close();
  });

  test("a patient cannot read another patient; pages of other roles redirect home", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    expect((await page.request.get(`/api/patients/${ids["Jordan Reyes"]}/status`)).status()).toBe(404);
    await page.goto("/clinic");
    await expect(page).toHaveURL(/\/patient$/);
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/patient$/);
    await context.close();
  });

  test("a clinician of another clinic and an admin see no clinical data", async ({ browser }) => {
    for (const email of [DEMO_ACCOUNTS.admin]) {
      const { context, page } = await signedInPage(browser, email, /\/admin$/);
      expect((await page.request.get(`/api/patients/${ids["Alex Morgan"]}/status`)).status()).toBe(404);
      await context.close();
    }
  });

  test("anonymous API calls get 401 with a message; malformed ids get 4xx, never 500", async ({ browser, request }) => {
    const anon = await request.get(`/api/patients/${ids["Alex Morgan"]}/status`);
    expect(anon.status()).toBe(401);
    expect((await anon.json()).error.message).toMatch(/sign in/i);
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.clinician, /\/clinic$/);
    for (const bad of ["not-a-uuid", "%27%20or%201%3D1--", "x".repeat(2000), "00000000-0000-4000-8000-000000000000"]) {
      const res = await page.request.get(`/api/patients/${bad}/status`);
      expect(res.status(), bad).toBeGreaterThanOrEqual(400);
      expect(res.status(), bad).toBeLessThan(500);
    }
    expect((await page.goto("/clinic/patients/not-a-uuid"))?.status()).toBe(404);
    await context.close();
  });
});
