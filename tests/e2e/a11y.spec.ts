import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, patientIds, signedInPage } from "./fixtures";
import { waitForSavedStatus, waitForServiceWorker } from "./pwa-support";

/**
 * axe on every page of the app, found from the page.tsx files under app/ at run time, so a new
 * page is covered without editing this file. The bar: no serious or critical violation.
 */

type Account = keyof typeof DEMO_ACCOUNTS | "anonymous";

interface PageRoute {
  /** "/caregiver/patients/[patientId]/refills" */
  pattern: string;
  group: string | null;
}

function pageRoutes(): PageRoute[] {
  const appDir = path.join(process.cwd(), "app");
  const out: PageRoute[] = [];
  const walk = (dir: string, segments: string[], group: string | null) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name.startsWith("_") || entry.name === "api") continue;
        const isGroup = /^\(.+\)$/.test(entry.name);
        walk(path.join(dir, entry.name), isGroup ? segments : [...segments, entry.name], isGroup ? entry.name : group);
      } else if (entry.name === "page.tsx") {
        out.push({ pattern: `/${segments.join("/")}`, group });
      }
    }
  };
  walk(appDir, [], null);
  return out.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

const GROUP_ACCOUNTS: Record<string, Account[]> = {
  "(patient)": ["patient"],
  "(caregiver)": ["caregiver"],
  "(clinic)": ["clinician"],
  "(admin)": ["admin"],
};

/** Who looks at a page outside the role groups: public pages signed out and as a patient; the rest as the people they serve. */
function accountsFor(route: PageRoute): Account[] {
  if (route.group && GROUP_ACCOUNTS[route.group]) return GROUP_ACCOUNTS[route.group] ?? [];
  if (route.pattern === "/") return []; // only redirects
  if (route.pattern === "/sign-in" || route.pattern === "/offline") return ["anonymous"];
  if (route.pattern === "/invite" || route.pattern.startsWith("/trials")) return ["anonymous", "patient"];
  return ["patient", "caregiver"];
}

const BAR = new Set(["serious", "critical"]);

async function expectNoSeriousViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => BAR.has(v.impact ?? ""))
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(bad, `${label} (${page.url()})`).toEqual([]);
}

/**
 * A dynamic segment other than [patientId]: take the first matching link on the nearest page
 * above it (e.g. an alarm from the alarm list). None found: the page is reported as not checked.
 */
async function resolveFromParent(page: Page, pattern: string, pages: ReadonlySet<string>): Promise<string | null> {
  const dynamicAt = pattern.split("/").findIndex((s) => /^\[.+\]$/.test(s) && s !== "[patientId]");
  const parts = pattern.split("/");
  let depth = dynamicAt;
  while (depth > 1 && !pages.has(parts.slice(0, depth).join("/"))) depth--;
  const parent = parts.slice(0, depth).join("/") || "/";
  if (!pages.has(parent)) return null;
  await page.goto(parent);
  const linkPattern = new RegExp(`^${parts.slice(0, dynamicAt + 1).map((s) => (/^\[.+\]$/.test(s) ? "[^/?#]+" : s)).join("/")}`);
  for (const href of await page.locator("a[href]").evaluateAll((els) => els.map((a) => a.getAttribute("href") ?? ""))) {
    if (linkPattern.test(href)) return href + pattern.split("/").slice(dynamicAt + 1).map((s) => `/${s}`).join("");
  }
  return null;
}

async function openAs(browser: Browser, account: Account) {
  if (account === "anonymous") {
    const context = await browser.newContext();
    return { context, page: await context.newPage() };
  }
  return signedInPage(browser, DEMO_ACCOUNTS[account], /\/(patient|caregiver|clinic|admin)$/);
}

test.describe("accessibility (axe): no serious or critical violations, and no CSP refusals", () => {
  let alexId = "";
  test.beforeAll(async ({ browser }) => {
    alexId = (await patientIds(browser))["Alex Morgan"] ?? "";
    expect(alexId).not.toBe("");
  });

  const routes = pageRoutes();
  test("covers the app's pages", () => {
    expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/sign-in", "/invite", "/patient", "/caregiver", "/clinic", "/admin", "/offline"]));
  });

  const accounts = [...new Set(routes.flatMap(accountsFor))];
  for (const account of accounts) {
    const mine = routes.filter((r) => accountsFor(r).includes(account));
    test(`pages seen ${account === "anonymous" ? "signed out" : `by the ${account}`}: ${mine.map((r) => r.pattern).join(", ")}`, async ({ browser }) => {
      // Many pages per account, each loaded and scanned: give the loop room on a busy machine.
      test.setTimeout(60_000 + mine.length * 20_000);
      const { context, page } = await openAs(browser, account);
      // Every page also keeps to the Content-Security-Policy (proxy.ts): nothing is refused.
      const cspViolations: string[] = [];
      page.on("console", (msg) => {
        if (/Content Security Policy/i.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
      });
      for (const route of mine) {
        let url: string | null = route.pattern.replace("[patientId]", alexId);
        if (/\[.+\]/.test(url)) url = await resolveFromParent(page, url, new Set(routes.map((r) => r.pattern.replace("[patientId]", alexId))));
        if (!url) {
          test.info().annotations.push({ type: "not checked", description: `${route.pattern}: no link to an instance found as ${account}` });
          continue;
        }
        await page.goto(url);
        await page.waitForLoadState("networkidle");
        await expectNoSeriousViolations(page, `${route.pattern} as ${account}`);
      }
      expect(cspViolations).toEqual([]);
      await context.close();
    });
  }

  test("the offline page with a saved status", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    await waitForServiceWorker(page);
    const { userId } = await (await page.request.get("/api/me")).json();
    await waitForSavedStatus(page, userId);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId("offline-status")).toBeVisible();
    await expectNoSeriousViolations(page, "offline page");
    await context.close();
  });

  test("the offline banner over a page", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    await context.setOffline(true);
    await expect(page.getByTestId("offline-banner")).toBeVisible();
    await expectNoSeriousViolations(page, "offline banner");
    await context.close();
  });
});
