import fs from "node:fs";
import path from "node:path";
import { expect, request as pwRequest, test, type APIRequestContext, type Browser } from "@playwright/test";
import { ACTION_TABLE, ACTORS, MAY, roleOf, TABLE, type ActionEntry, type ActorName, type Entry } from "./access-table";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, patientIds, signIn } from "./fixtures";
import { discoverActions } from "../support/server-actions";

// Issue 9: every page, route handler and server action, called as every kind of actor, against
// the target patient's own resources. Routes come from the file system, server actions from the
// build's server-reference manifest; expectations from access-table.ts.

const APP = path.join(process.cwd(), "app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export function discoverRoutes(dir = APP, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_")) continue; // private folders are not routes
      const seg = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
      out.push(...discoverRoutes(full, prefix + seg));
    } else if (entry.name === "page.tsx") {
      out.push(`GET ${prefix || "/"}`);
    } else if (entry.name === "route.ts") {
      const src = fs.readFileSync(full, "utf8");
      const found = new Set<string>();
      for (const m of METHODS) {
        if (new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b`).test(src)) found.add(m);
        const destructured = /export\s+const\s+\{([^}]+)\}/.exec(src);
        if (destructured && new RegExp(`\\b${m}\\b`).test(destructured[1]!)) found.add(m);
      }
      for (const m of found) out.push(`${m} ${prefix}`);
    }
  }
  return out.sort();
}

test("every page and route handler has an entry in the access table (and no entry is stale)", () => {
  const routes = discoverRoutes();
  expect(routes.length).toBeGreaterThan(20);
  expect(routes.filter((r) => !(r in TABLE)), "routes without an access-table entry").toEqual([]);
  expect(Object.keys(TABLE).filter((k) => !routes.includes(k)), "table entries for routes that no longer exist").toEqual([]);
});

test("every server action in the build has an entry in the access table (and no entry is stale)", () => {
  const actions = discoverActions();
  expect(actions.length).toBeGreaterThanOrEqual(13);
  const keys = actions.map((a) => a.key);
  expect(keys.filter((k) => !(k in ACTION_TABLE)), "server actions without an access-table entry").toEqual([]);
  expect(Object.keys(ACTION_TABLE).filter((k) => !keys.includes(k)), "table entries for server actions that no longer exist").toEqual([]);
});

const stamp = Date.now().toString(36);

async function inviteAndSignUp(browser: Browser, patientEmail: string, scopes: string[], who: string): Promise<string> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, patientEmail);
  await page.waitForURL(/\/patient$/);
  await page.goto("/patient/caregivers");
  await page.getByLabel("Who is it for?").fill(who);
  for (const [label, scope] of [["Pump status and history", "status"], ["Refill dates and appointments", "refills"], ["Bolus use (view only)", "bolus"], ["Alarms and notifications", "alarms"]] as const) {
    const box = page.getByLabel(label);
    if (scopes.includes(scope)) await box.check();
    else await box.uncheck();
  }
  await page.getByRole("button", { name: "Create invite code" }).click();
  const code = (await page.getByTestId("invite-code").innerText()).trim();
  await ctx.close();
  const email = `${who}-${stamp}@example.test`;
  const c2 = await browser.newContext();
  const p2 = await c2.newPage();
  await p2.goto(`/invite?code=${code}`);
  await p2.getByLabel("Your name").fill(who);
  await p2.getByLabel("E-mail").fill(email);
  await p2.getByLabel("Choose a password").fill("caregiver-password-123");
  await p2.getByRole("button", { name: "Create account and accept" }).click();
  await expect(p2).toHaveURL(/\/caregiver$/);
  await c2.close();
  return email;
}

async function revokeFor(browser: Browser, patientEmail: string, who: string) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, patientEmail);
  await page.waitForURL(/\/patient$/);
  await page.goto("/patient/caregivers");
  const item = page.getByTestId("care-links").locator("li", { hasText: who });
  page.once("dialog", (d) => d.accept());
  await item.getByRole("button", { name: /Revoke access/ }).click();
  await expect(page.getByTestId("care-links").locator("li", { hasText: who })).toContainText("Revoked");
  await ctx.close();
}

/**
 * An API context holding the actor's session cookie (none for anonymous). Each actor calls
 * from its own network (a distinct documentation address, RFC 5737), so the per-network rate
 * limits of public forms (the trial intake: 10 per 15 min) count this test's 13 actors
 * separately instead of spending the budget other specs of the same run rely on.
 */
async function contextFor(browser: Browser, baseURL: string, email: string | null, password: string, network: string): Promise<APIRequestContext> {
  const extraHTTPHeaders = { "x-forwarded-for": network };
  if (!email) return pwRequest.newContext({ baseURL, extraHTTPHeaders });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, email, password);
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  const state = await ctx.storageState();
  await ctx.close();
  return pwRequest.newContext({ baseURL, storageState: state, extraHTTPHeaders });
}

/**
 * Calls a server action the way React's client (encodeReply, React 19.3) does: multipart, the
 * arguments as JSON in field "0" (sent last), a FormData argument as "$K1" with its fields sent as "_1_<name>"
 * (see react-server-dom-*-client encodeReply and the server's "$K" decoding).
 */
async function callAction(ctx: APIRequestContext, page: string, id: string, entry: ActionEntry, fields: Record<string, string | string[]>) {
  const form = new FormData();
  // The form's fields first: the server decodes the arguments as soon as "0" arrives.
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(`_1_${k}`, x);
  form.append("0", JSON.stringify(entry.args === "state-form" ? [{}, "$K1"] : ["$K1"]));
  return ctx.fetch(page, { method: "POST", headers: { "Next-Action": id, Accept: "text/x-component" }, multipart: form, maxRedirects: 0, timeout: 30_000 });
}

/** The id of the care link whose list item on the patient's caregivers page names `label`, while it can still be revoked. */
function revocableLinkId(html: string, label: string): string | null {
  for (const item of html.split("<li").slice(1)) {
    if (!item.includes(label)) continue;
    return /name="linkId" value="([0-9a-f-]{36})"/.exec(item)?.[1] ?? null;
  }
  return null;
}

function allowedActors(entry: Entry | ActionEntry): ActorName[] {
  const a = entry.access;
  switch (a.kind) {
    case "public":
    case "machine":
      return [...ACTORS];
    case "signed-in":
      return ACTORS.filter((x) => x !== "anonymous");
    case "role":
      return ACTORS.filter((x) => roleOf(x) === a.role);
    case "token":
      return [];
    case "patient":
      // The /patient pages show the signed-in patient's OWN record: another patient is allowed
      // there (with their own data), which the leak check below verifies.
      if (a.role === "patient") return ACTORS.filter((x) => roleOf(x) === "patient");
      return (MAY[a.action] ?? []).filter((x) => !a.role || roleOf(x) === a.role);
    case "patient-child":
      return MAY[a.action] ?? [];
  }
}

test("the access matrix: every actor gets exactly what the table allows — zero leaks", async ({ browser, baseURL }) => {
  test.setTimeout(900_000);
  const t0 = Date.now();
  const ids = await patientIds(browser);
  const alex = ids["Alex Morgan"]!;
  const emails: Partial<Record<ActorName, string | null>> = {
    anonymous: null,
    patient: DEMO_ACCOUNTS.patient,
    otherPatient: DEMO_ACCOUNTS.otherPatient,
    cgAll: DEMO_ACCOUNTS.caregiver,
    clinician: DEMO_ACCOUNTS.clinician,
    otherClinician: DEMO_ACCOUNTS.otherClinician,
    admin: DEMO_ACCOUNTS.admin,
  };
  emails.cgStatus = await inviteAndSignUp(browser, DEMO_ACCOUNTS.patient, ["status"], "cgstatus");
  emails.cgRefills = await inviteAndSignUp(browser, DEMO_ACCOUNTS.patient, ["refills"], "cgrefills");
  emails.cgBolus = await inviteAndSignUp(browser, DEMO_ACCOUNTS.patient, ["bolus"], "cgbolus");
  emails.cgAlarms = await inviteAndSignUp(browser, DEMO_ACCOUNTS.patient, ["alarms"], "cgalarms");
  emails.cgUnlinked = await inviteAndSignUp(browser, DEMO_ACCOUNTS.otherPatient, ["status", "refills", "bolus", "alarms"], "cgjordan");
  emails.cgRevoked = await inviteAndSignUp(browser, DEMO_ACCOUNTS.patient, ["status", "refills", "bolus", "alarms"], "cgrevoked");
  await revokeFor(browser, DEMO_ACCOUNTS.patient, "cgrevoked");

  console.log(`[access-matrix] caregivers set up in ${Math.round((Date.now() - t0) / 1000)} s`);
  const contexts = {} as Record<ActorName, APIRequestContext>;
  for (const [i, actor] of ACTORS.entries()) {
    const email = emails[actor] ?? null;
    const password = email && email.endsWith("example.test") ? "caregiver-password-123" : DEMO_PASSWORD;
    contexts[actor] = await contextFor(browser, baseURL!, email, password, `198.51.100.${10 + i}`);
  }
  // Ids of Alex's child resources, as Alex sees them. An alarm: two confirmed boluses 5 minutes
  // apart break the 3 h lockout, which the server's re-check turns into a critical alarm.
  const status = await (await contexts.patient.get(`/api/patients/${alex}/status`)).json();
  const base = 0x7a000000 + (Date.now() % 0xffffff);
  for (const [i, minutesAgo] of [[0, 10], [1, 5]] as const) {
    const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const res = await contexts.patient.post(`/api/patients/${alex}/boluses`, { data: { token: base + i, dose: 50, permissionVersion: 1, requestedAt: at, outcome: { state: "confirmed", deliveredAt: at } } });
    expect(res.status()).toBe(200);
  }
  const alarmsRes = await contexts.patient.get(`/api/alarms?patientId=${alex}`);
  const alarms = await alarmsRes.json();
  expect(alarmsRes.status(), JSON.stringify(alarms)).toBe(200);
  const alexAlarms = alarms.patients[0];
  expect(alexAlarms.active.length, "the lockout violation raised an alarm").toBeGreaterThan(0);
  const childIds: Record<string, string> = { appointmentId: status.nextRefill.id, alarmId: alexAlarms.active[0].id };

  const fill = (route: string) =>
    route
      .replace("[patientId]", alex)
      .replace("[appointmentId]", childIds.appointmentId!)
      .replace("[alarmId]", childIds.alarmId!)
      .replace("[...nextauth]", "session")
      .replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000");

  const problems: string[] = [];
  let calls = 0;
  const started = Date.now();
  for (const [key, entry] of Object.entries(TABLE)) {
    const [method, route] = key.split(" ") as [string, string];
    const url = fill(route) + (entry.query ? `?${fill(entry.query)}` : "");
    const allowed = new Set(allowedActors(entry));
    const isPage = !route.startsWith("/api/");
    // The actors of one route are independent: ask for all of them at once.
    await Promise.all(
      ACTORS.map(async (actor) => {
        calls++;
        const ctx = contexts[actor];
        const res = method === "GET" ? await ctx.get(url, { maxRedirects: 0, timeout: 30_000 }) : await ctx.fetch(url, { method, data: entry.body ?? {}, maxRedirects: 0, timeout: 30_000 });
        const s = res.status();
        const body = isPage && s === 200 ? await res.text() : "";
        const tag = `${key} as ${actor} → ${s}`;
        if (s >= 500) {
          problems.push(`${tag}: server error`);
          return;
        }
        // Token routes validate the body before the token; a 400 reveals nothing, so only 2xx is "in".
        const gotIn =
          entry.access.kind === "token" ? s >= 200 && s < 300 : isPage ? s === 200 : method === "GET" ? s >= 200 && s < 300 : ![401, 403, 404].includes(s);
        if (entry.access.kind === "public" || entry.access.kind === "machine") return;
        if (allowed.has(actor) && !gotIn) problems.push(`${tag}: expected access`);
        if (!allowed.has(actor) && gotIn) problems.push(`${tag}: LEAK`);
        // A patient page seen by anyone but Alex, her caregivers and clinician must not show her.
        if (isPage && body.includes("Alex Morgan") && !["patient", "cgAll", "cgStatus", "cgRefills", "cgBolus", "cgAlarms", "clinician"].includes(actor)) {
          problems.push(`${tag}: LEAK (page shows the patient's name)`);
        }
      }),
    );
  }
  console.log(`[access-matrix] ${Object.keys(TABLE).length} routes × ${ACTORS.length} actors = ${calls} calls in ${Math.round((Date.now() - started) / 1000)} s; problems: ${problems.length}`);

  // Server actions. Everyone but Alex goes first, all at once; Alex last, so that her real
  // effects (cancelling the matrix invite) cannot hide a denied actor's.
  const actionsStarted = Date.now();
  let actionCalls = 0;
  const vars: Record<string, string> = { patientId: alex, stamp };
  const fillFields = (fields: Record<string, string | string[]>, actor: ActorName) => {
    const f = (v: string) => v.replace(/\[(\w+)\]/g, (m, name: string) => (name === "actor" ? actor : (vars[name] ?? m)));
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v.map(f) : f(v)]));
  };
  const built = new Map(discoverActions().map((a) => [a.key, a]));
  const caregiversPage = async () => (await contexts.patient.get("/patient/caregivers")).text();
  const matrixInvite = `matrix-patient-${stamp}`;
  for (const [key, entry] of Object.entries(ACTION_TABLE)) {
    const action = built.get(key);
    if (!action) continue; // reported by the completeness test
    const page = fill(entry.page ?? action.page);
    const allowed = new Set(allowedActors(entry));
    if (key.endsWith("#revokeLinkAction")) {
      const html = await caregiversPage();
      vars.matrixLinkId = revocableLinkId(html, matrixInvite) ?? "";
      if (!vars.matrixLinkId) {
        const at = html.indexOf(matrixInvite);
        problems.push(`${key}: Alex's matrix invite is not listed with a revoke button (${at < 0 ? "not listed" : html.slice(Math.max(0, at - 300), at + 600)})`);
        continue;
      }
    }
    const call = async (actor: ActorName) => {
      actionCalls++;
      // Signing out clears the cookie jar: do it on a copy of the actor's session.
      const signOut = key.includes("app-shell.tsx");
      const ctx = signOut ? await pwRequest.newContext({ baseURL: baseURL!, storageState: await contexts[actor].storageState() }) : contexts[actor];
      const res = await callAction(ctx, page, action.id, entry, fillFields(entry.fields, actor));
      const s = res.status();
      const text = s < 300 ? await res.text() : "";
      if (signOut) await ctx.dispose();
      const tag = `${key} as ${actor} → ${s}`;
      if (s >= 500) return void problems.push(`${tag}: server error`);
      if (entry.access.kind === "public") return;
      const gotIn = s < 400 && entry.inWhen !== undefined && entry.inWhen.test(text);
      if (allowed.has(actor) && !gotIn) problems.push(`${tag}: expected access (${text.slice(0, 700).replace(/^0:[^\n]*\n/, "")})`);
      if (!allowed.has(actor) && gotIn) problems.push(`${tag}: LEAK`);
      if (!allowed.has(actor) && text.includes("Alex Morgan")) problems.push(`${tag}: LEAK (response shows the patient's name)`);
    };
    await Promise.all(ACTORS.filter((a) => a !== "patient").map(call));
    if (key.endsWith("#revokeLinkAction")) {
      if (revocableLinkId(await caregiversPage(), matrixInvite) !== vars.matrixLinkId) problems.push(`${key}: a denied actor cancelled Alex's invite`);
    }
    await call("patient");
    if (key.endsWith("#revokeLinkAction") && revocableLinkId(await caregiversPage(), matrixInvite) !== null) problems.push(`${key}: Alex could not cancel her invite`);
  }
  // Effects seen from the outside: only the admin's clinic exists; only the patients' invites.
  const adminPage = await (await contexts.admin.get("/admin")).text();
  for (const actor of ACTORS) {
    if (adminPage.includes(`Matrix clinic ${actor} ${stamp}`) !== (actor === "admin")) problems.push(`createClinicAction as ${actor}: clinic ${actor === "admin" ? "missing" : "created (LEAK)"}`);
  }
  console.log(`[access-matrix] ${Object.keys(ACTION_TABLE).length} server actions × ${ACTORS.length} actors = ${actionCalls} calls in ${Math.round((Date.now() - actionsStarted) / 1000)} s; problems: ${problems.length}`);
  expect(problems).toEqual([]);
  for (const c of Object.values(contexts)) await c.dispose();
});
