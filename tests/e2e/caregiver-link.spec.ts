import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, patientIds, signedInPage } from "./fixtures";

test("a patient invites a caregiver, who signs up with the code; revoking cuts access on the very next request", async ({ browser }) => {
  const ids = await patientIds(browser);
  const alexId = ids["Alex Morgan"]!;

  // The patient creates an invite with two scopes.
  const patient = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
  await patient.page.getByRole("link", { name: "Caregivers" }).click();
  await patient.page.getByLabel("Who is it for?").fill("Riley (neighbour)");
  await patient.page.getByLabel("Refill dates and appointments").uncheck();
  await patient.page.getByLabel("Alarms and notifications").uncheck();
  await patient.page.getByRole("button", { name: "Create invite code" }).click();
  const code = (await patient.page.getByTestId("invite-code").innerText()).trim();
  expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);

  // A new caregiver signs up with the code and lands on their home with Alex listed.
  const cgContext = await browser.newContext();
  const cg = await cgContext.newPage();
  await cg.goto(`/invite?code=${code}`);
  await expect(cg.getByLabel("Invite code")).toHaveValue(code);
  await cg.getByLabel("Your name").fill("Riley Chen");
  await cg.getByLabel("E-mail").fill("riley@example.test");
  await cg.getByLabel("Choose a password").fill("riley-long-password");
  await cg.getByRole("button", { name: "Create account and accept" }).click();
  await expect(cg).toHaveURL(/\/caregiver$/);
  await expect(cg.getByTestId("caregiver-patients")).toContainText("Alex Morgan");
  expect((await cg.goto(`/caregiver/patients/${alexId}`))?.status()).toBe(200);
  expect((await cg.request.get(`/api/patients/${alexId}/status`)).status()).toBe(200);

  // The code cannot be used twice.
  const again = await browser.newContext();
  const againPage = await again.newPage();
  await againPage.goto(`/invite?code=${code}`);
  await againPage.getByLabel("Your name").fill("Mallory");
  await againPage.getByLabel("E-mail").fill("mallory@example.test");
  await againPage.getByLabel("Choose a password").fill("mallory-long-password");
  await againPage.getByRole("button", { name: "Create account and accept" }).click();
  await expect(againPage.locator('[data-field-error="code"]')).toContainText("not valid");
  await again.close();

  // The patient sees the link and revokes it.
  await patient.page.reload();
  const item = patient.page.getByTestId("care-links").locator("li", { hasText: "Riley Chen" });
  await expect(item).toContainText("Active");
  patient.page.once("dialog", (d) => d.accept());
  await item.getByRole("button", { name: /Revoke access/ }).click();
  await expect(patient.page.getByTestId("care-links").locator("li", { hasText: "Riley Chen" })).toContainText("Revoked");

  // The same caregiver session is refused on its next request, page and API alike.
  expect((await cg.request.get(`/api/patients/${alexId}/status`)).status()).toBe(404);
  expect((await cg.goto(`/caregiver/patients/${alexId}`))?.status()).toBe(404);
  await cg.goto("/caregiver");
  await expect(cg.getByText("Nobody has shared their pump with you yet")).toBeVisible();

  await cgContext.close();
  await patient.context.close();
});

test("a malformed invite code gets a message next to the field and creates nothing", async ({ page }) => {
  await page.goto("/invite");
  await page.getByLabel("Invite code").fill("hello");
  await page.getByLabel("Your name").fill("");
  await page.getByLabel("E-mail").fill("not-an-email");
  await page.getByLabel("Choose a password").fill("short");
  await page.getByRole("button", { name: "Create account and accept" }).click();
  await expect(page.locator('[data-field-error="code"]')).toContainText("not a valid invite code");
  await expect(page.locator('[data-field-error="name"]')).toHaveText("Enter your name.");
  await expect(page.locator('[data-field-error="email"]')).toHaveText("Enter a valid e-mail address.");
  await expect(page.locator('[data-field-error="password"]')).toHaveText("Use at least 10 characters.");
});
