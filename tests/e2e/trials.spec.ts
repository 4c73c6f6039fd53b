import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ageAt } from "../../lib/trials/age";
import { DEMO_ACCOUNTS, signedInPage } from "./fixtures";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const INTAKE_URL = /\/trials\/intake\/([0-9a-f-]{36})$/;

/** The consent exactly as the page shows it: one element per block, joined as the server joins them. */
async function shownConsent(page: Page): Promise<{ text: string; sha: string }> {
  const blocks = await page.locator("[data-consent-block]").allTextContents();
  const text = blocks.join("\n\n");
  await expect(page.getByTestId("consent-text")).toHaveAttribute("data-consent-sha256", sha256(text));
  return { text, sha: sha256(text) };
}

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

// This file's forms come from their own network (RFC 5737 documentation address), so the
// intake's per-network rate limit (10 per 15 min) is not shared with other specs of the run.
test.use({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.200" } });

test.beforeAll(async ({ browser }) => {
  // The demo seed loads the sample catalogue (seedTrialCatalogue); importing it again as admin
  // is a no-op then, and makes this file independent of the seed wiring.
  const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.admin, /\/admin$/);
  const res = await page.request.post("/api/trials/catalogue", { data: JSON.parse(readFileSync("data/trials/sample-studies.json", "utf8")) as unknown });
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ studies: 17, errors: [] });
  expect(await (await page.request.get("/api/trials/catalogue")).json()).toMatchObject({ trials: 17 });
  await context.close();
});

test("a signed-in patient fills the form, signs, sees explained matches, downloads the consent PDF and revokes", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
  await page.goto("/trials");
  await expect(page.getByRole("heading", { name: "Find a clinical trial" })).toBeVisible();
  // Prefilled from Alex's record and account.
  await expect(page.getByLabel("Your full name", { exact: true })).toHaveValue("Alex Morgan");
  const birthday = page.getByRole("group", { name: "Your Birthday" });
  await expect(birthday.getByLabel("Year")).toHaveValue("1979");
  await expect(page.getByLabel("E-mail address")).toHaveValue(DEMO_ACCOUNTS.patient);

  await page.getByLabel("Female", { exact: true }).check();
  await page.getByLabel("Cancer type").selectOption("breast");
  await page.getByLabel("Stage").selectOption("II");
  await page.getByLabel("No, it has not spread").check();
  await page.getByRole("group", { name: "Treatments you are having now" }).getByLabel("Hormone therapy").check();
  await page.getByRole("group", { name: "Treatments you have had before" }).getByLabel("Surgery").check();
  await page.getByLabel(/I am fully active/).check();
  await page.getByLabel("ZIP code").fill("02115");
  await page.getByLabel("How far can you travel for a trial?").selectOption("50");

  // The whole consent is shown before submitting, with the required plain-language lead.
  await expect(page.getByTestId("consent-text")).toContainText(
    "By filling out this form, you're consenting only to release your medical records. You're not agreeing to participate in clinical trials yet.",
  );
  const shown = await shownConsent(page);
  const consentBox = page.getByLabel(/I have read this authorization/);
  await expect(consentBox).not.toBeChecked();
  await consentBox.check();
  await page.getByLabel("Type your full name to sign").fill("Alex Morgan");
  await page.getByRole("button", { name: "Sign and find trials" }).click();

  // Results: the token is shown once as a private link, then dropped from the address bar.
  await expect(page).toHaveURL(INTAKE_URL);
  const intakeId = INTAKE_URL.exec(page.url())![1]!;
  await expect(page.getByRole("heading", { name: "Your trial matches" })).toBeVisible();
  await expect(page.getByTestId("private-link")).toHaveValue(new RegExp(`/trials/intake/${intakeId}#t=[A-Za-z0-9_-]{43}$`));

  // Explained matches: the Boston breast-cancer trial fits, with a reason for every criterion.
  const her2 = page.locator('[data-testid="match"][data-nct-id="NCT09000101"]');
  await expect(her2).toHaveAttribute("data-verdict", "eligible");
  await expect(her2).toContainText("Eligible on the listed criteria");
  await expect(her2).toContainText("Cancer type — Meets:");
  await expect(her2).toContainText(`Age — Meets: You are ${ageAt("1979-04-17", new Date(), "Europe/London").years} years old`);
  await expect(her2).toContainText("Sample Cancer Center");
  await expect(her2.locator("[data-criterion]")).toHaveCount(6);
  // A trial that does not fit says why, in words.
  await page.getByText(/Trials that do not fit/).click();
  await expect(page.locator('[data-testid="match"][data-nct-id="NCT09000114"]')).toContainText("Sex — Does not meet: The trial is for male participants only.");
  await expectNoSeriousAxeViolations(page);

  // The signed consent as a PDF.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download your signed consent (PDF)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^trial-matching-consent-\d{4}-\d{2}-\d{2}\.pdf$/);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(2000);

  // The server holds the consent record with the hash of the text that was shown (FHIR export).
  const consentRes = await page.request.get(`/api/trials/intake/${intakeId}/fhir/consent`);
  expect(consentRes.status()).toBe(200);
  expect(consentRes.headers()["content-type"]).toContain("application/fhir+json");
  const consent = (await consentRes.json()) as { resourceType: string; extension: { url: string; valueString: string }[]; sourceAttachment: { data: string }; category: { coding: { code: string }[] }[] };
  expect(consent.resourceType).toBe("Consent");
  expect(consent.category[0]?.coding[0]?.code).toBe("64292-6");
  expect(consent.extension.find((e) => e.url.endsWith("consent-text-sha256"))?.valueString).toBe(shown.sha);
  expect(Buffer.from(consent.sourceAttachment.data, "base64").toString("utf8")).toBe(shown.text);
  expect((await page.request.get(`/api/trials/intake/${intakeId}/fhir/questionnaire-response`)).status()).toBe(200);
  await expect(page.getByTestId("consent-record")).toHaveAttribute("data-sha256", shown.sha);
  const mine = (await (await page.request.get("/api/trials/intake")).json()) as { intakes: { id: string; consent: string }[] };
  expect(mine.intakes).toContainEqual(expect.objectContaining({ id: intakeId, consent: "active" }));

  // Revoke: recorded, and all further matching and sharing stop.
  await page.getByLabel("Type your full name to confirm").fill("Alex Morgan");
  await page.getByRole("button", { name: "Revoke consent" }).click();
  await expect(page.getByTestId("consent-record")).toHaveAttribute("data-status", "revoked");
  await expect(page.getByText(/Consent revoked/)).toBeVisible();
  await expect(page.getByTestId("matches")).toHaveCount(0);
  const refused = await page.request.get(`/api/trials/intake/${intakeId}/fhir/consent`);
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: { code: "forbidden:consent_revoked" } });
  expect((await page.request.get(`/api/trials/intake/${intakeId}/fhir/questionnaire-response`)).status()).toBe(403);
  const view = (await (await page.request.get(`/api/trials/intake/${intakeId}`)).json()) as { consent: { status: string; revokedBy: string; revokedAt: string }; matches: unknown };
  expect(view).toMatchObject({ consent: { status: "revoked", revokedBy: "Alex Morgan" }, matches: null });
  // The person's own copy stays available, marked as revoked.
  expect((await page.request.get(`/api/trials/intake/${intakeId}/consent.pdf`)).status()).toBe(200);
  await context.close();
});

test("without consent or with a future birthday the form is refused, with messages next to the fields, and nothing is stored", async ({ browser }) => {
  const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.otherPatient, /\/patient$/);
  const list = async () => ((await (await page.request.get("/api/trials/intake")).json()) as { intakes: unknown[] }).intakes.length;
  const before = await list();

  await page.goto("/trials");
  await page.getByLabel("Male", { exact: true }).check();
  await page.getByLabel("Cancer type").selectOption("prostate");
  await page.getByLabel("Stage").selectOption("unknown");
  await page.getByLabel("I don't know").check();
  await page.getByLabel(/I am fully active/).check();
  await page.getByLabel("ZIP code").fill("63110");
  const birthday = page.getByRole("group", { name: "Your Birthday" });
  await birthday.getByLabel("Month").selectOption("1");
  await birthday.getByLabel("Day").fill("1");
  await birthday.getByLabel("Year").fill(String(new Date().getFullYear() + 2));
  // No tick, no signature.
  await page.getByRole("button", { name: "Sign and find trials" }).click();

  const dobError = page.locator('[data-field-error="dateOfBirth"]');
  await expect(dobError).toHaveText("Your birthday cannot be in the future.");
  await expect(page.locator('[data-field-error="consent.accepted"]')).toContainText("Tick the box to give your consent");
  await expect(page.locator('[data-field-error="consent.signatureName"]')).toHaveText("Type your full name to sign.");
  // Each message is tied to its field for screen readers.
  const consentBox = page.getByLabel(/I have read this authorization/);
  await expect(consentBox).toHaveAttribute("aria-invalid", "true");
  await expect(consentBox).toHaveAttribute("aria-describedby", "field-consent-accepted-error");
  await expect(page.locator("#field-consent-accepted-error")).toContainText("Tick the box");
  await expect(birthday.getByLabel("Year")).toHaveAttribute("aria-describedby", (await dobError.getAttribute("id"))!);
  await expect(page.getByText("3 answers need attention.")).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // The server refuses the same on its own (a client that skips the form's checks).
  const c = (await (await page.request.get("/api/trials/consent?timeZone=Europe/London")).json()) as { version: string; sha256: string; expiresOn: string };
  const payload = {
    signerRole: "self",
    patientName: "Jordan Reyes",
    cancerTypeId: "prostate",
    dateOfBirth: `${new Date().getFullYear() + 2}-01-01`,
    timeZone: "Europe/London",
    sex: "male",
    zip: "63110",
    travelMiles: 50,
    stage: "unknown",
    metastatic: "unknown",
    activityLevel: "0",
    contactEmail: DEMO_ACCOUNTS.otherPatient,
    consent: { accepted: false, signatureName: "Jordan Reyes", version: c.version, sha256: c.sha256, expiresOn: c.expiresOn },
  };
  const res = await page.request.post("/api/trials/intake", { data: payload });
  expect(res.status()).toBe(400);
  expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
    dateOfBirth: "Your birthday cannot be in the future.",
    "consent.accepted": expect.stringContaining("Tick the box"),
  });
  const spam = await page.request.post("/api/trials/intake", { data: { ...payload, dateOfBirth: "1966-09-02", consent: { ...payload.consent, accepted: true }, website: "https://spam.example" } });
  expect(spam.status()).toBe(400);
  expect(await spam.json()).toMatchObject({ error: { code: "bad_request:spam" } });

  expect(await list()).toBe(before);
  await context.close();
});

test("a guardian fills the form without an account; the private link opens it on another device, and nothing else does", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/trials");
  await page.getByLabel(/I am filling it in for the patient/).check();
  await page.getByLabel("Your relationship to the patient").selectOption("parent");
  await page.getByLabel("The patient's full name").fill("Sam Rivera");
  const birthday = page.getByRole("group", { name: "The patient's birthday" });
  await birthday.getByLabel("Month").selectOption("6");
  await birthday.getByLabel("Day").fill("1");
  await birthday.getByLabel("Year").fill("2015");
  await page.getByLabel("Male", { exact: true }).check();
  await page.getByLabel("Cancer type").selectOption("glioma");
  await page.getByLabel("Stage").selectOption("not-staged");
  await page.getByLabel("I don't know").check();
  await page.getByLabel(/I can't do heavy physical work/).check();
  await page.getByLabel("ZIP code").fill("19104");
  await page.getByLabel("How far can you travel for a trial?").selectOption("25");
  await page.getByLabel("Phone number").fill("(215) 555-0100");
  await page.getByLabel(/I have read this authorization/).check();
  await page.getByLabel(/Type your own full name to sign/).fill("Maria Rivera");
  await page.getByRole("button", { name: "Sign and find trials" }).click();

  await expect(page).toHaveURL(INTAKE_URL);
  const intakeId = INTAKE_URL.exec(page.url())![1]!;
  const link = await page.getByTestId("private-link").inputValue();
  await expect(page.locator('[data-testid="match"][data-nct-id="NCT09000107"]')).toHaveAttribute("data-verdict", "eligible");
  const view = (await (await page.request.get(`/api/trials/intake/${intakeId}`)).json()) as { via: string; consent: { signerRole: string; signerName: string; guardianRelationship: string } };
  expect(view).toMatchObject({ via: "token", consent: { signerRole: "guardian", signerName: "Maria Rivera", guardianRelationship: "parent" } });

  // Another device with the private link: unlocked, and the token leaves the address bar.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(link);
  await expect(otherPage.getByRole("heading", { name: "Your trial matches" })).toBeVisible();
  await expect(otherPage).toHaveURL(INTAKE_URL);
  await expect(otherPage.locator('[data-testid="match"][data-nct-id="NCT09000107"]')).toBeVisible();
  await other.close();

  // Without the link: private, and the API says "not found".
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(`/trials/intake/${intakeId}`);
  await expect(strangerPage.getByRole("heading", { name: "This intake is private" })).toBeVisible();
  expect((await strangerPage.request.get(`/api/trials/intake/${intakeId}`)).status()).toBe(404);
  expect((await strangerPage.request.get(`/api/trials/intake/${intakeId}/consent.pdf`)).status()).toBe(404);
  await strangerPage.goto(`/trials/intake/${intakeId}#t=${"A".repeat(43)}`);
  await expect(strangerPage.getByText("This private link does not open this intake.")).toBeVisible();
  await stranger.close();
  await context.close();
});
