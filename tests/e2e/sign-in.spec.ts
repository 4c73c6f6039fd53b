import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, signIn } from "./fixtures";

test.describe("sign-in and role homes", () => {
  const homes = [
    { email: DEMO_ACCOUNTS.patient, path: /\/patient$/, heading: "My pump" },
    { email: DEMO_ACCOUNTS.caregiver, path: /\/caregiver$/, heading: "People I care for" },
    { email: DEMO_ACCOUNTS.clinician, path: /\/clinic$/, heading: "Patients" },
    { email: DEMO_ACCOUNTS.admin, path: /\/admin$/, heading: "Clinics" },
  ];
  for (const { email, path, heading } of homes) {
    test(`${email} lands on their role's home`, async ({ page }) => {
      await signIn(page, email);
      await expect(page).toHaveURL(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    });
  }

  test("the patient's home shows their pump with the age of the data", async ({ page }) => {
    await signIn(page, DEMO_ACCOUNTS.patient);
    await expect(page.getByTestId("drug-name")).toHaveText("Baclofen");
    await expect(page.getByTestId("reservoir-volume")).toContainText("mL");
    // Other specs may sync Alex meanwhile: the age is always shown, whatever it is.
    await expect(page.getByTestId("reading-age")).toContainText(/Measured (just now|\d+ min ago|\d+ h ago|\d+ days ago)/);
    await expect(page.getByTestId("next-refill")).toContainText("Pain & Spasticity Unit");
  });

  test("anonymous visitors are sent to sign-in, and sign-out ends the session", async ({ page }) => {
    await page.goto("/patient");
    await expect(page).toHaveURL(/\/sign-in/);
    await signIn(page, DEMO_ACCOUNTS.caregiver);
    await expect(page).toHaveURL(/\/caregiver$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/caregiver");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a wrong password gets a form error that does not say whether the account exists", async ({ page }) => {
    await signIn(page, DEMO_ACCOUNTS.admin, "not-the-password");
    const known = await page.getByTestId("sign-in-error").innerText();
    await signIn(page, "nobody-here@example.test", "not-the-password");
    const unknown = await page.getByTestId("sign-in-error").innerText();
    expect(known).toBe(unknown);
    expect(known).toMatch(/do not match an account/);
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("missing fields get a message next to the field", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator('[data-field-error="email"]')).toHaveText("Enter your e-mail address.");
    await expect(page.locator('[data-field-error="password"]')).toHaveText("Enter your password.");
  });

  test("the sixth failure within 15 minutes says try again later, even with the right password", async ({ page }) => {
    const email = DEMO_ACCOUNTS.otherClinician;
    for (let i = 0; i < 5; i++) {
      await signIn(page, email, `wrong-password-${i}`);
      await expect(page.getByTestId("sign-in-error")).toContainText("do not match");
    }
    await signIn(page, email, DEMO_PASSWORD);
    await expect(page.getByTestId("sign-in-error")).toContainText("try again later");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
