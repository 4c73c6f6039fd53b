import fc from "fast-check";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { DEMO_ACCOUNTS, patientIds, signedInPage } from "./fixtures";
import { strangeString } from "../support/bad-input";
import { discoverActions } from "../support/server-actions";

// Issue 9, bad input to server actions over real HTTP (the integration test
// tests/integration/bad-input.test.ts proves "no row changed" against the database; this one
// proves what a browser or a crafted request sees from the production server): every server
// action of the build, posted as the actor allowed to use it, with malformed form fields and
// with arguments of the wrong type, answers without a server error and with a message.

/** Who may use each action (so that validation, not authorisation, answers). */
const ACTOR_FOR: Record<string, { email: string | null; home: RegExp }> = {
  signInAction: { email: null, home: /./ },
  signUpWithInviteAction: { email: null, home: /./ },
  acceptInviteAction: { email: DEMO_ACCOUNTS.caregiver, home: /\/caregiver$/ },
  createInviteAction: { email: DEMO_ACCOUNTS.patient, home: /\/patient$/ },
  revokeLinkAction: { email: DEMO_ACCOUNTS.patient, home: /\/patient$/ },
  createClinicAction: { email: DEMO_ACCOUNTS.admin, home: /\/admin$/ },
  createClinicianAction: { email: DEMO_ACCOUNTS.admin, home: /\/admin$/ },
  scheduleRefillAction: { email: DEMO_ACCOUNTS.clinician, home: /\/clinic$/ },
  moveRefillAction: { email: DEMO_ACCOUNTS.clinician, home: /\/clinic$/ },
  cancelRefillAction: { email: DEMO_ACCOUNTS.clinician, home: /\/clinic$/ },
  completeRefillAction: { email: DEMO_ACCOUNTS.clinician, home: /\/clinic$/ },
  saveTherapyAction: { email: DEMO_ACCOUNTS.clinician, home: /\/clinic$/ },
};

/** Form fields each action reads; every value below is invalid for its field. */
const FIELDS: Record<string, string[]> = {
  signInAction: ["email", "password"],
  signUpWithInviteAction: ["code", "name", "email", "password"],
  acceptInviteAction: ["code"],
  createInviteAction: ["label", "scopes"],
  revokeLinkAction: ["linkId"],
  createClinicAction: ["name", "timeZone", "address"],
  createClinicianAction: ["clinicId", "name", "email", "password"],
  scheduleRefillAction: ["patientId", "scheduledAtLocal", "durationMinutes", "location"],
  moveRefillAction: ["patientId", "appointmentId", "scheduledAtLocal"],
  cancelRefillAction: ["patientId", "appointmentId"],
  completeRefillAction: ["patientId", "appointmentId", "volumeAddedUl", "newReservoirUl"],
  saveTherapyAction: ["patientId", "drug", "concentration", "dailyDose", "capacityUl"],
};

async function post(request: APIRequestContext, page: string, id: string, form: FormData | string) {
  return request.fetch(page, {
    method: "POST",
    headers: { "Next-Action": id, Accept: "text/x-component", ...(typeof form === "string" ? { "content-type": "text/plain;charset=UTF-8" } : {}) },
    ...(typeof form === "string" ? { data: form } : { multipart: form }),
    maxRedirects: 0,
    timeout: 30_000,
  });
}

/**
 * The action's returned state (row 1 of the RSC answer) has a message or field messages. Row 1
 * may follow a length-prefixed text row on the same line, so it is looked for, not parsed.
 */
function hasMessage(text: string): boolean {
  return /"message":"[^"]*[a-z]{2,}|"fields":\{"[^"]+":"[^"]*[a-z]{2,}/i.test(text);
}

async function requestAs(browser: Browser, who: { email: string | null; home: RegExp }, anon: APIRequestContext) {
  if (!who.email) return { request: anon, close: async () => {} };
  const { context, page } = await signedInPage(browser, who.email, who.home);
  return { request: page.request, close: () => context.close() };
}

test("server actions over HTTP: malformed fields and wrong argument types get a message, never a 5xx", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(300_000);
  const alex = (await patientIds(browser))["Alex Morgan"]!;
  const anon = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.51.100.77" } });
  const counts: Record<string, number> = {};
  const problems: string[] = [];
  for (const action of discoverActions()) {
    const name = action.key.split("#")[1]!;
    const who = ACTOR_FOR[name];
    if (!who) continue; // the sign-out action takes no input
    const page = action.page.replace("[patientId]", alex);
    const { request, close } = await requestAs(browser, who, anon);
    counts[name] = 0;
    const check = async (what: string, form: FormData | string) => {
      counts[name]!++;
      const res = await post(request, page, action.id, form);
      const text = res.status() < 300 ? await res.text() : "";
      if (res.status() >= 500) problems.push(`${name} ${what} → ${res.status()}`);
      else if (res.status() < 300 && !hasMessage(text)) problems.push(`${name} ${what} → ${res.status()} without a message: ${text.slice(0, 200)}`);
    };
    // Arguments of the wrong type: a state that is not an object, "formData" that is not a form.
    for (const args of ['[123, 456]', '[{}, "hello"]', "[{}, null]", '[{}, {"code":"x"}]', "[{}, [1,2,3]]"]) {
      const form = new FormData();
      form.append("0", args);
      await check(`args ${args}`, form);
    }
    // A form with no fields at all, and malformed values for every field it reads.
    const empty = new FormData();
    empty.append("0", '[{}, "$K1"]');
    await check("empty form", empty);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...FIELDS[name]!), strangeString), { minLength: 1, maxLength: 6 }), async (pairs) => {
        const form = new FormData();
        for (const [k, v] of pairs) form.append(`_1_${k}`, v);
        form.append("0", '[{}, "$K1"]');
        await check(`fields ${JSON.stringify(pairs).slice(0, 160)}`, form);
      }),
      { numRuns: 25, seed: 20261125 },
    );
    await close();
  }
  await anon.dispose();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(`[bad-input-actions] ${Object.entries(counts).map(([k, n]) => `${k}: ${n}`).join(", ")}; total ${total} HTTP cases; problems: ${problems.length}`);
  expect(problems).toEqual([]);
});
