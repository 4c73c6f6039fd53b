import fc from "fast-check";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { DEMO_ACCOUNTS, patientIds, signedInPage } from "./fixtures";

// Property-based bad input against the write endpoints: every malformed payload gets a 4xx with
// a message, never a 5xx, and nothing changes. Case counts are printed for docs/reliability.md.

const nasty = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, -0),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("'; DROP TABLE bolus_requests; --", "<script>alert(1)</script>", "\u0000", "🧪".repeat(50), "x".repeat(70_000)),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Payloads shaped like a bolus record with at least one field wrong, missing or extra. */
const badBolus = fc
  .record(
    {
      token: fc.oneof(nasty, fc.integer({ min: 1, max: 0xffffffff })),
      dose: fc.oneof(nasty, fc.constant(50)),
      permissionVersion: fc.oneof(nasty, fc.constant(1)),
      requestedAt: fc.oneof(nasty, fc.constant("2026-11-25T10:00:00Z")),
      outcome: fc.oneof(nasty, fc.record({ state: fc.oneof(nasty, fc.constantFrom("confirmed", "exploded")) })),
      extra: nasty,
    },
    { requiredKeys: [] },
  )
  .filter((p) => {
    // Keep only payloads that are certainly invalid: a bad core field, or an unknown extra field.
    const validCore =
      typeof p.token === "number" && Number.isInteger(p.token) && p.token >= 1 && p.token <= 0xffffffff &&
      p.dose === 50 && p.permissionVersion === 1 && p.requestedAt === "2026-11-25T10:00:00Z";
    return !validCore || "extra" in p;
  });

async function countBoluses(request: APIRequestContext, patientId: string) {
  const res = await request.get(`/api/patients/${patientId}/boluses`);
  expect(res.status()).toBe(200);
  return (await res.json()).boluses.length as number;
}

test("malformed bolus records are refused with 4xx and a message, and nothing is stored", async ({ browser }) => {
  test.setTimeout(180_000);
  const ids = await patientIds(browser);
  const alex = ids["Alex Morgan"]!;
  const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
  const before = await countBoluses(page.request, alex);
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(badBolus, async (payload) => {
      cases++;
      const res = await page.request.post(`/api/patients/${alex}/boluses`, { data: payload });
      expect(res.status(), JSON.stringify(payload).slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(res.status()).toBeLessThan(500);
      expect((await res.json()).error.message).toBeTruthy();
    }),
    { numRuns: 150, seed: 20261125 },
  );
  // Not JSON, wrong content type, oversized body.
  for (const [body, type] of [["{not json", "application/json"], ["token=1", "application/x-www-form-urlencoded"], [JSON.stringify({ pad: "x".repeat(10_000) }), "application/json"]] as const) {
    cases++;
    const res = await page.request.post(`/api/patients/${alex}/boluses`, { data: body, headers: { "content-type": type } });
    expect([400, 413, 415]).toContain(res.status());
  }
  expect(await countBoluses(page.request, alex)).toBe(before);
  console.log(`[bad-input] bolus endpoint: ${cases} malformed cases, all 4xx, no rows changed`);
  await context.close();
});

test("caregivers and clinicians can never record or trigger a bolus", async ({ browser }) => {
  const ids = await patientIds(browser);
  const alex = ids["Alex Morgan"]!;
  for (const [email, home] of [[DEMO_ACCOUNTS.caregiver, /\/caregiver$/], [DEMO_ACCOUNTS.clinician, /\/clinic$/]] as const) {
    const { context, page } = await signedInPage(browser, email, home);
    const res = await page.request.post(`/api/patients/${alex}/boluses`, { data: { token: 99, dose: 50, permissionVersion: 1, requestedAt: "2026-11-25T10:00:00Z" } });
    expect(res.status()).toBe(404);
    await context.close();
  }
});

test("a caregiver with the bolus scope sees bolus use, read only", async ({ browser }) => {
  const ids = await patientIds(browser);
  const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.caregiver, /\/caregiver$/);
  await page.goto(`/caregiver/patients/${ids["Alex Morgan"]}/bolus`);
  await expect(page.getByTestId("caregiver-bolus-history").locator('li[data-state="confirmed"]').first()).toBeVisible();
  await expect(page.getByRole("button", { name: /bolus/i })).toHaveCount(0);
  await context.close();
});
