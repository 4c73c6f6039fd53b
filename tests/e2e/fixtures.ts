import { expect, type Browser, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed";

export { DEMO_ACCOUNTS, DEMO_PASSWORD };

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signedInPage(browser: Browser, email: string, expectPath: RegExp) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  await expect(page).toHaveURL(expectPath);
  return { context, page };
}

/** Patient ids as a clinician of their clinic sees them (test-only way to learn the ids). */
export async function patientIds(browser: Browser): Promise<Record<string, string>> {
  const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.clinician, /\/clinic$/);
  const links = page.getByTestId("clinic-patients").getByRole("link");
  const out: Record<string, string> = {};
  for (const link of await links.all()) {
    const href = (await link.getAttribute("href")) ?? "";
    out[(await link.innerText()).trim()] = href.split("/").pop() ?? "";
  }
  await context.close();
  return out;
}
