/**
 * Issue 9, "bad input": every write endpoint (route handler) and every server action that takes
 * input, fed property-based malformed payloads (fast-check) through the real route and action
 * modules on a fresh seeded database — PGlite, and PostgreSQL when DATABASE_URL is set. Only the
 * identity lookup (auth()), the database handle and Next's cache/redirect helpers are stubbed.
 *
 * Each answer must be a 4xx with a sentence for people (JSON error.message; for a server action,
 * a returned form state with a message or field messages), never a 5xx or a thrown error, and
 * no row may change anywhere: a checksum of every table in the database is compared before and
 * after each endpoint's batch. The only tables allowed to change are the append-only audit log
 * (which records the attempt; no "done" entry may appear) and the rate-limit counters.
 * Case counts per endpoint are printed for docs/reliability.md.
 */
import { and, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db";
import { alarms, careLinks, clinics, patients, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { freshDb, testDrivers, type TestDb } from "../support/db";
import { badJson, changedTables, mutatedForm, RAW_BODIES, strangeString, tableChecksums, toFormData } from "../support/bad-input";
import { validPayload } from "../unit/trials/intake-fixtures";

const h = vi.hoisted(() => ({ db: null as unknown, userId: null as string | null }));

class RedirectSignal extends Error {
  constructor(readonly url: string) {
    super(`NEXT_REDIRECT ${url}`);
  }
}

vi.mock("@/db", () => ({ getDb: async () => h.db, currentDriver: () => "test" }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new RedirectSignal(url);
  },
  notFound: () => {
    throw new RedirectSignal("404");
  },
}));
// Identity only: the session says who is signed in (auth() below); the cookie fast path defers to it.
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
  headers: async () => new Headers(),
}));
vi.mock("@/lib/auth/session-token", () => ({
  SESSION_COOKIE_NAMES: ["__Secure-authjs.session-token", "authjs.session-token"],
  UPDATE_AGE_SECONDS: 15 * 60,
  lookupSession: async () => ({ kind: "defer" }),
}));
// Sign-in checks the real credentials against the database.
vi.mock("@/lib/auth/auth", async () => {
  const { CredentialsSignin } = await import("next-auth");
  const { checkCredentials } = await import("@/lib/auth/credentials");
  class InvalidCredentials extends CredentialsSignin {
    code = "invalid_credentials";
  }
  class SignInRateLimited extends CredentialsSignin {
    code = "rate_limited";
  }
  return {
    InvalidCredentials,
    SignInRateLimited,
    SESSION_MAX_AGE_SECONDS: 12 * 3600,
    clientIp(headers: Headers) {
      const ip = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip");
      return ip ? ip.slice(0, 64) : null;
    },
    auth: async () => (h.userId ? { user: { id: h.userId } } : null),
    signOut: async () => {},
    handlers: {},
    async signIn(_provider: string, opts: { email: string; password: string; redirectTo: string }) {
      const r = await checkCredentials(h.db as Db, { email: opts.email, password: opts.password }, "203.0.113.99");
      if (r.kind === "ok") throw new RedirectSignal(opts.redirectTo);
      if (r.kind === "rate_limited") throw new SignInRateLimited();
      throw new InvalidCredentials();
    },
  };
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type FormAction = (prev: object, form: FormData) => Promise<Record<string, unknown> | undefined>;

const ORIGIN = "http://127.0.0.1:3000";
const NIL = "00000000-0000-4000-8000-000000000000";
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 100);
const SEED = 20261125;
let network = 0;
/** A fresh client network per request, so that per-network rate limits never answer in place of validation. */
const nextIp = () => `198.51.${100 + Math.floor(network / 250)}.${(network++ % 250) + 1}`;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
/** Valid = the route's schema accepts it AND it has no field the schema does not name (extra fields are bad input too). */
const strictlyValid = (schema: { safeParse(v: unknown): { success: boolean } }, known: string[]) => (v: unknown) =>
  isPlainObject(v) && Object.keys(v).every((k) => known.includes(k)) && schema.safeParse(v).success;

describe.each(testDrivers)("bad input to every write endpoint and server action on %s", (driver) => {
  let t: TestDb;
  const ids = { jordan: "", alex: "", alexUser: "", jordanLink: "", sam: "", clinician: "", admin: "", alarm: "", intake: "", intakeToken: "", clinic: "" };
  const counts: Record<string, number> = {};
  const acceptedByChance: Record<string, number> = {};
  const slowest: Record<string, number> = {};

  beforeAll(async () => {
    t = await freshDb(driver);
    h.db = t.db;
    await seedDemo(t.db, new Date());
    const userId = async (email: string) => (await t.db.select().from(users).where(eq(users.email, email)))[0]!.id;
    ids.alexUser = await userId(DEMO_ACCOUNTS.patient);
    ids.sam = await userId(DEMO_ACCOUNTS.caregiver);
    ids.clinician = await userId(DEMO_ACCOUNTS.clinician);
    ids.admin = await userId(DEMO_ACCOUNTS.admin);
    const [alex] = await t.db.select().from(patients).where(eq(patients.userId, ids.alexUser));
    ids.alex = alex!.id;
    ids.clinic = alex!.clinicId;
    const jordanUser = await userId(DEMO_ACCOUNTS.otherPatient);
    const [jordan] = await t.db.select().from(patients).where(eq(patients.userId, jordanUser));
    ids.jordan = jordan!.id;
    const [link] = await t.db.select().from(careLinks).where(eq(careLinks.patientId, jordan!.id));
    ids.jordanLink = link?.id ?? NIL;

    // An alarm of Alex's to aim at: two confirmed boluses inside the lockout (the server's re-check raises it).
    h.userId = ids.alexUser;
    const { POST } = await import("@/app/api/patients/[patientId]/boluses/route");
    for (const [i, minutesAgo] of [[0, 10], [1, 5]] as const) {
      const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
      const res = await POST(jsonRequest("POST", `/api/patients/${ids.alex}/boluses`, { token: 0x7a000000 + i, dose: 50, permissionVersion: 1, requestedAt: at, outcome: { state: "confirmed", deliveredAt: at } }), {
        params: Promise.resolve({ patientId: ids.alex }),
      });
      expect(res.status).toBe(200);
    }
    const [alarm] = await t.db.select().from(alarms).where(and(eq(alarms.patientId, ids.alex), sql`${alarms.acknowledgedAt} is null`));
    ids.alarm = alarm!.id;

    // A trial intake with its private token, for the access and revoke endpoints.
    h.userId = null;
    const intake = await import("@/app/api/trials/intake/route");
    const created = await intake.POST(jsonRequest("POST", "/api/trials/intake", validPayload({}, new Date())), { params: Promise.resolve({}) });
    expect(created.status, await created.clone().text()).toBe(201);
    const body = (await created.json()) as { intakeId: string; accessToken: string };
    ids.intake = body.intakeId;
    ids.intakeToken = body.accessToken;
  }, 120_000);

  afterAll(async () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const lines = Object.entries(counts).map(([k, n]) => `  ${k.padEnd(66)} ${String(n).padStart(5)} cases${acceptedByChance[k] ? ` (${acceptedByChance[k]} generated payloads were valid and skipped)` : ""}`);
    console.log(`[bad-input ${driver}] every answer 4xx with a message, never 5xx, no row changed:\n${lines.join("\n")}\n  TOTAL ${total} cases`);
    await t?.destroy();
  });

  function jsonRequest(method: string, path: string, payload: unknown, headers: Record<string, string> = {}) {
    return new Request(ORIGIN + path, { method, headers: { host: "127.0.0.1:3000", "content-type": "application/json", "x-forwarded-for": nextIp(), ...headers }, body: JSON.stringify(payload) });
  }
  function rawRequest(method: string, path: string, body: string | Uint8Array, type: string | null, headers: Record<string, string> = {}) {
    const hs: Record<string, string> = { host: "127.0.0.1:3000", "x-forwarded-for": nextIp(), ...headers };
    if (type) hs["content-type"] = type;
    return new Request(ORIGIN + path, { method, headers: hs, body: body as BodyInit });
  }

  /** Checks one answer: 4xx (never 429 for bad input, never 5xx) with a human message. */
  async function expect4xx(res: Response, what: string) {
    const text = await res.text();
    expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
    expect(res.status, `${what} → rate limited instead of validated`).not.toBe(429);
    let message: unknown;
    try {
      message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    } catch {
      message = undefined;
    }
    expect(typeof message === "string" && /[a-z]{2,}.*[a-z]/i.test(message), `${what} → no human message: ${text.slice(0, 200)}`).toBe(true);
  }

  const failures: string[] = [];
  /** Runs a batch, recording a failure (so that one run reports every endpoint that fails). */
  async function batch(name: string, body: () => Promise<void>) {
    try {
      await unchanged(name, body);
    } catch (e) {
      failures.push(`${name}: ${(e instanceof Error ? e.message : String(e)).slice(0, 1200)}`);
    }
  }

  /** Runs a batch and proves nothing was written: every table's checksum is unchanged but for the audit trail and rate-limit counters. */
  async function unchanged(name: string, batch: () => Promise<void>) {
    const before = await tableChecksums(t.db);
    const [doneBefore] = ((await t.db.execute(sql`select count(*)::int as n from audit_log where outcome = 'done'`)) as unknown as { rows: { n: number }[] }).rows;
    const started = Date.now();
    await batch();
    slowest[name] = Date.now() - started;
    const after = await tableChecksums(t.db);
    const changed = changedTables(before, after).filter((x) => x !== "audit_log" && x !== "rate_limit_hits");
    expect(changed, `${name}: rows changed in`).toEqual([]);
    const [doneAfter] = ((await t.db.execute(sql`select count(*)::int as n from audit_log where outcome = 'done'`)) as unknown as { rows: { n: number }[] }).rows;
    expect(doneAfter!.n, `${name}: an audit entry says something was done`).toBe(doneBefore!.n);
  }

  interface JsonEndpoint {
    name: string;
    method: "POST" | "PUT" | "DELETE";
    load: () => Promise<Handler>;
    path: () => string;
    params: () => Record<string, string>;
    user: () => string | null;
    valid: () => Record<string, unknown>;
    isValid: (v: unknown) => boolean;
    headers?: () => Record<string, string>;
    runs?: number;
  }

  const load = (mod: Promise<Record<string, unknown>>, method: string) => async () => (await mod)[method] as Handler;

  const endpoints = (): JsonEndpoint[] => [
    {
      name: "POST /api/patients/[patientId]/boluses",
      method: "POST",
      load: load(import("@/app/api/patients/[patientId]/boluses/route"), "POST"),
      path: () => `/api/patients/${ids.alex}/boluses`,
      params: () => ({ patientId: ids.alex }),
      user: () => ids.alexUser,
      valid: () => ({ token: 12345, dose: 50, permissionVersion: 1, requestedAt: "2026-11-25T10:00:00Z", outcome: { state: "unconfirmed" } }),
      isValid: (v) => bolusRecordSchemaRef.safeParse(v).success,
    },
    {
      name: "POST /api/patients/[patientId]/sync",
      method: "POST",
      load: load(import("@/app/api/patients/[patientId]/sync/route"), "POST"),
      path: () => `/api/patients/${ids.alex}/sync`,
      params: () => ({ patientId: ids.alex }),
      user: () => ids.alexUser,
      valid: () => ({
        uploadId: "00000000-0000-4000-8000-00000000abcd",
        device: { logId: 0x6006, status: { deviceTime: Math.floor(Date.now() / 1000) - 600, reservoirUl: 21_000, capacityUl: 40_000, batteryPercent: 66, alarmFlags: 0, therapyState: "running", highestSeq: 3 } },
        records: [
          { seq: 1, time: Math.floor(Date.now() / 1000) - 900, kind: "reservoir_reading", reservoirUl: 21_100 },
          { seq: 2, time: Math.floor(Date.now() / 1000) - 800, kind: "battery", percent: 66, millivolts: 3000 },
        ],
      }),
      isValid: (v) => syncUploadSchemaRef.safeParse(v).success,
      runs: RUNS * 2,
    },
    {
      name: "POST /api/alarms/[alarmId]/snooze",
      method: "POST",
      load: load(import("@/app/api/alarms/[alarmId]/snooze/route"), "POST"),
      path: () => `/api/alarms/${ids.alarm}/snooze`,
      params: () => ({ alarmId: ids.alarm }),
      user: () => ids.alexUser,
      valid: () => ({ minutes: 30 }),
      isValid: (v) => strictlyValid(snoozeSchemaRef, ["minutes"])(v),
    },
    {
      name: "PUT /api/alarms/preferences",
      method: "PUT",
      load: load(import("@/app/api/alarms/preferences/route"), "PUT"),
      path: () => "/api/alarms/preferences",
      params: () => ({}),
      user: () => ids.sam,
      valid: () => ({ patientId: ids.alex, warnings: false, info: true }),
      isValid: (v) => strictlyValid(preferencesSchemaRef, ["patientId", "warnings", "info"])(v),
    },
    {
      name: "POST /api/push/subscribe",
      method: "POST",
      load: load(import("@/app/api/push/subscribe/route"), "POST"),
      path: () => "/api/push/subscribe",
      params: () => ({}),
      user: () => ids.sam,
      valid: () => ({
        endpoint: "https://push.example.test/send/abc",
        expirationTime: null,
        keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" },
        label: "Sam's phone",
      }),
      isValid: (v) => strictlyValid(subscribeSchemaRef, ["endpoint", "expirationTime", "keys", "label"])(v),
    },
    {
      name: "POST /api/push/test",
      method: "POST",
      load: load(import("@/app/api/push/test/route"), "POST"),
      path: () => "/api/push/test",
      params: () => ({}),
      user: () => ids.sam,
      valid: () => ({ subscriptionId: NIL }),
      isValid: (v) => strictlyValid(testPushSchemaRef, ["subscriptionId"])(v),
    },
    {
      name: "POST /api/push/unsubscribe",
      method: "POST",
      load: load(import("@/app/api/push/unsubscribe/route"), "POST"),
      path: () => "/api/push/unsubscribe",
      params: () => ({}),
      user: () => ids.sam,
      valid: () => ({ id: NIL }),
      isValid: (v) => strictlyValid(unsubscribeSchemaRef, ["id", "endpoint"])(v),
    },
    {
      name: "POST /api/trials/catalogue (admin)",
      method: "POST",
      load: load(import("@/app/api/trials/catalogue/route"), "POST"),
      path: () => "/api/trials/catalogue",
      params: () => ({}),
      user: () => ids.admin,
      valid: () => ({ studies: [] }),
      // Only files that are not a studies file at all; a file with some bad studies is answered study by study.
      isValid: (v) => ctgovStudiesFileSchemaRef.safeParse(v).success,
    },
    {
      name: "POST /api/trials/intake",
      method: "POST",
      load: load(import("@/app/api/trials/intake/route"), "POST"),
      path: () => "/api/trials/intake",
      params: () => ({}),
      user: () => null,
      valid: () => validPayload({}, new Date()),
      isValid: (v) => isPlainObject(v) && checkSubmissionRef(v, new Date()).ok && !(typeof v.website === "string" && v.website.trim() !== ""),
      runs: RUNS * 2,
    },
    {
      name: "POST /api/trials/intake/[id]/access",
      method: "POST",
      load: load(import("@/app/api/trials/intake/[id]/access/route"), "POST"),
      path: () => `/api/trials/intake/${ids.intake}/access`,
      params: () => ({ id: ids.intake }),
      user: () => null,
      valid: () => ({ token: ids.intakeToken }),
      isValid: (v) => isPlainObject(v) && Object.keys(v).every((k) => k === "token") && v.token === ids.intakeToken,
    },
    {
      name: "POST /api/trials/intake/[id]/revoke",
      method: "POST",
      load: load(import("@/app/api/trials/intake/[id]/revoke/route"), "POST"),
      path: () => `/api/trials/intake/${ids.intake}/revoke`,
      params: () => ({ id: ids.intake }),
      user: () => null,
      headers: () => ({ authorization: `Bearer ${ids.intakeToken}` }),
      valid: () => ({ name: "Ann Lee" }),
      isValid: (v) => strictlyValid(revokeSchemaRef, ["name"])(v),
    },
  ];

  // Schemas, loaded once (the filters above name them).
  let bolusRecordSchemaRef: { safeParse(v: unknown): { success: boolean } };
  let syncUploadSchemaRef: typeof bolusRecordSchemaRef;
  let snoozeSchemaRef: typeof bolusRecordSchemaRef;
  let preferencesSchemaRef: typeof bolusRecordSchemaRef;
  let subscribeSchemaRef: typeof bolusRecordSchemaRef;
  let testPushSchemaRef: typeof bolusRecordSchemaRef;
  let unsubscribeSchemaRef: typeof bolusRecordSchemaRef;
  let ctgovStudiesFileSchemaRef: typeof bolusRecordSchemaRef;
  let revokeSchemaRef: typeof bolusRecordSchemaRef;
  let checkSubmissionRef: (v: unknown, now: Date) => { ok: boolean };
  beforeAll(async () => {
    bolusRecordSchemaRef = (await import("@/lib/bolus/schemas")).bolusRecordSchema;
    syncUploadSchemaRef = (await import("@/lib/sync/schema")).syncUploadSchema;
    ({ snoozeSchema: snoozeSchemaRef, preferencesSchema: preferencesSchemaRef } = await import("@/lib/alarms/schemas"));
    ({ subscribeSchema: subscribeSchemaRef, testPushSchema: testPushSchemaRef, unsubscribeSchema: unsubscribeSchemaRef } = await import("@/lib/push/schemas"));
    ctgovStudiesFileSchemaRef = (await import("@/lib/trials/ctgov")).ctgovStudiesFileSchema;
    revokeSchemaRef = (await import("@/lib/trials/intake-schema")).revokeSchema;
    checkSubmissionRef = (await import("@/lib/trials/intake")).checkSubmission;
  });

  it("write endpoints: malformed JSON bodies, wrong content types, non-JSON and oversized bodies", async () => {
    for (const ep of endpoints()) {
      const handler = await ep.load();
      counts[ep.name] = 0;
      acceptedByChance[ep.name] = 0;
      await batch(ep.name, async () => {
        h.userId = ep.user();
        await fc.assert(
          fc.asyncProperty(badJson(ep.valid()), async (payload) => {
            if (ep.isValid(payload)) {
              acceptedByChance[ep.name]!++;
              return;
            }
            counts[ep.name]!++;
            const res = await handler(jsonRequest(ep.method, ep.path(), payload, ep.headers?.()), { params: Promise.resolve(ep.params()) });
            await expect4xx(res, `${ep.name} ${JSON.stringify(payload)?.slice(0, 200)}`);
          }),
          { numRuns: ep.runs ?? RUNS, seed: SEED },
        );
        for (const [body, type] of RAW_BODIES) {
          counts[ep.name]!++;
          const res = await handler(rawRequest(ep.method, ep.path(), body, type, ep.headers?.()), { params: Promise.resolve(ep.params()) });
          await expect4xx(res, `${ep.name} raw ${type} ${String(body).slice(0, 60)}`);
        }
      });
    }
    expect(failures.splice(0)).toEqual([]);
  }, 600_000);

  it("write endpoints: malformed ids in the address", async () => {
    const badId = fc.oneof(strangeString.filter((s) => s.length > 0 && s.length < 5000), fc.constantFrom(NIL, "00000000-0000-0000-0000-000000000000", ids.jordan, "undefined", "[alarmId]"));
    const addressed: { name: string; load: () => Promise<Handler>; method: string; param: string; body?: unknown; user: () => string | null; headers?: () => Record<string, string> }[] = [
      { name: "POST /api/alarms/[alarmId]/ack (bad alarmId)", load: load(import("@/app/api/alarms/[alarmId]/ack/route"), "POST"), method: "POST", param: "alarmId", user: () => ids.alexUser },
      { name: "POST /api/alarms/[alarmId]/snooze (bad alarmId)", load: load(import("@/app/api/alarms/[alarmId]/snooze/route"), "POST"), method: "POST", param: "alarmId", body: { minutes: 30 }, user: () => ids.alexUser },
      { name: "DELETE /api/alarms/[alarmId]/snooze (bad alarmId)", load: load(import("@/app/api/alarms/[alarmId]/snooze/route"), "DELETE"), method: "DELETE", param: "alarmId", user: () => ids.alexUser },
      { name: "POST /api/patients/[patientId]/boluses (bad patientId)", load: load(import("@/app/api/patients/[patientId]/boluses/route"), "POST"), method: "POST", param: "patientId", body: { token: 777, dose: 50, permissionVersion: 1, requestedAt: "2026-11-25T10:00:00Z" }, user: () => ids.alexUser },
      { name: "POST /api/patients/[patientId]/sync (bad patientId)", load: load(import("@/app/api/patients/[patientId]/sync/route"), "POST"), method: "POST", param: "patientId", body: { uploadId: NIL, device: { logId: 1, status: { deviceTime: 1, reservoirUl: 1, capacityUl: 2, batteryPercent: 1, alarmFlags: 0, therapyState: "running", highestSeq: 0 } }, records: [] }, user: () => ids.alexUser },
      { name: "POST /api/trials/intake/[id]/access (bad id)", load: load(import("@/app/api/trials/intake/[id]/access/route"), "POST"), method: "POST", param: "id", body: { token: "x" }, user: () => null },
      { name: "POST /api/trials/intake/[id]/revoke (bad id)", load: load(import("@/app/api/trials/intake/[id]/revoke/route"), "POST"), method: "POST", param: "id", body: { name: "Ann Lee" }, user: () => null, headers: () => ({ authorization: `Bearer ${ids.intakeToken}` }) },
    ];
    for (const ep of addressed) {
      const handler = await ep.load();
      counts[ep.name] = 0;
      await batch(ep.name, async () => {
        h.userId = ep.user();
        await fc.assert(
          fc.asyncProperty(badId, async (id) => {
            // The alarm's own id is valid for ack: ask only with ids that are not a real alarm of Alex's.
            if (id === ids.alarm) return;
            counts[ep.name]!++;
            const req = new Request(`${ORIGIN}/api/address-under-test`, {
              method: ep.method,
              headers: { host: "127.0.0.1:3000", "content-type": "application/json", "x-forwarded-for": nextIp(), ...ep.headers?.() },
              body: ep.body === undefined ? undefined : JSON.stringify(ep.body),
            });
            const res = await handler(req, { params: Promise.resolve({ [ep.param]: id }) });
            await expect4xx(res, `${ep.name} ${JSON.stringify(id).slice(0, 100)}`);
          }),
          { numRuns: Math.ceil(RUNS / 2), seed: SEED },
        );
      });
    }
    // Acknowledging from another site's page: refused before anything is looked up.
    const ack = (await import("@/app/api/alarms/[alarmId]/ack/route")).POST as Handler;
    const name = "POST /api/alarms/[alarmId]/ack (cross-site origin)";
    counts[name] = 0;
    await batch(name, async () => {
      h.userId = ids.alexUser;
      await fc.assert(
        fc.asyncProperty(fc.record({ site: fc.constantFrom("cross-site", "same-site", undefined), origin: fc.constantFrom("https://evil.example", "null", "not a url", "http://127.0.0.1:3001", undefined) }), async ({ site, origin }) => {
          if (!site && !origin) return;
          counts[name]!++;
          const headers: Record<string, string> = { host: "127.0.0.1:3000" };
          if (site) headers["sec-fetch-site"] = site;
          if (origin) headers.origin = origin;
          await expect4xx(await ack(new Request(`${ORIGIN}/api/alarms/${ids.alarm}/ack`, { method: "POST", headers }), { params: Promise.resolve({ alarmId: ids.alarm }) }), `${name} ${site} ${origin}`);
        }),
        { numRuns: 30, seed: SEED },
      );
    });
    expect(failures.splice(0)).toEqual([]);
  }, 600_000);

  it("POST /api/tick: anything but the scheduler's secret or a request from this machine is refused", async () => {
    const tick = (await import("@/app/api/tick/route")).POST as Handler;
    const name = "POST /api/tick (forged credentials)";
    counts[name] = 0;
    const headerSafe = (s: string) => /^[\x20-\x7e\x80-\xff]*$/.test(s) && s.trim() === s;
    await batch(name, async () => {
      h.userId = ids.admin; // a session is no credential for the tick
      for (const secret of ["the-real-cron-secret-0123456789", undefined]) {
        vi.stubEnv("CRON_SECRET", secret ?? "");
        await fc.assert(
          fc.asyncProperty(
            fc.record({
              authorization: fc.oneof(fc.constant(undefined), strangeString.filter(headerSafe), strangeString.filter(headerSafe).map((s) => `Bearer ${s}`), fc.constant("Bearer the-real-cron-secret-012345678")),
              forwardedFor: fc.oneof(fc.constant(undefined), fc.constantFrom("203.0.113.5", "10.0.0.1", "::ffff:10.0.0.1", "127.0.0.1.evil.example", "localhost", "0.0.0.0"), strangeString.filter(headerSafe)),
              host: fc.oneof(fc.constant(undefined), fc.constantFrom("pump.example.test", "127.0.0.1.nip.io", "evil.example:3000"), strangeString.filter(headerSafe)),
            }),
            async ({ authorization, forwardedFor, host }) => {
              // Skip what is a real credential: the secret, or (without one) a loopback address AND host.
              if (secret && authorization?.trim() === `Bearer ${secret}`) return;
              if (!secret && /^(127\.|::1$|::ffff:127\.)/.test((forwardedFor ?? "").split(",")[0]!.trim()) && /^(localhost|127\.|\[::1\])/.test(host ?? "")) return;
              counts[name]!++;
              const headers: Record<string, string> = {};
              if (authorization !== undefined && authorization !== "") headers.authorization = authorization;
              if (forwardedFor !== undefined && forwardedFor !== "") headers["x-forwarded-for"] = forwardedFor;
              headers.host = host && host !== "" ? host : "pump.example.test";
              const res = await tick(new Request("http://pump.example.test/api/tick", { method: "POST", headers, body: "garbage" }), { params: Promise.resolve({}) });
              await expect4xx(res, `${name} ${JSON.stringify({ authorization, forwardedFor, host }).slice(0, 200)}`);
            },
          ),
          { numRuns: RUNS, seed: SEED },
        );
      }
      vi.unstubAllEnvs();
    });
    expect(failures.splice(0)).toEqual([]);
  }, 300_000);

  // ---- Server actions -------------------------------------------------------------------------

  interface ActionCase {
    name: string;
    load: () => Promise<FormAction>;
    user: () => string | null;
    valid: () => Record<string, string | string[]>;
    isValid: (fields: Record<string, unknown>) => boolean;
    runs?: number;
  }
  /** What the action reads from a form: single string values (FormData.get), or all of them for `multi` fields. */
  const asParsed = (fields: Record<string, unknown>, multi: string[] = []) => {
    const form = toFormData(fields);
    const out: Record<string, unknown> = {};
    for (const k of new Set(form.keys())) out[k] = multi.includes(k) ? form.getAll(k) : form.get(k);
    return out;
  };
  const schemaOk = (schema: { safeParse(v: unknown): { success: boolean } }, fields: Record<string, unknown>, multi: string[] = []) => schema.safeParse(asParsed(fields, multi)).success;
  const isUuid = (v: unknown) => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

  it("server actions: malformed forms get a message in the form state, nothing is stored", async () => {
    const care = await import("@/app/(patient)/patient/caregivers/actions");
    const admin = await import("@/app/(admin)/admin/actions");
    const refills = await import("@/app/(clinic)/clinic/patients/[patientId]/refills/actions");
    const therapy = await import("@/app/(clinic)/clinic/patients/[patientId]/therapy/actions");
    const invite = await import("@/app/invite/actions");
    const signIn = await import("@/app/(auth)/sign-in/actions");
    const { inviteSchema } = await import("@/lib/care-links/schemas");
    const { clinicSchema, clinicianSchema } = await import("@/lib/admin/schemas");
    const { scheduleRefillSchema } = await import("@/lib/pump/refill-schema");
    const { therapySchema } = await import("@/lib/pump/therapy-schema");
    const { signInSchema } = await import("@/lib/auth/credentials");
    const get = (f: Record<string, unknown>, k: string) => asParsed(f)[k];

    const cases: ActionCase[] = [
      {
        name: "ACTION signInAction",
        load: async () => signIn.signInAction as FormAction,
        user: () => null,
        valid: () => ({ email: "alex.patient@demo.pumpportal.test", password: "not-the-password" }),
        // A well-formed e-mail and password is a real (failed) attempt, not malformed input.
        isValid: (f) => schemaOk(signInSchema, f),
        runs: Math.ceil(RUNS / 2),
      },
      {
        name: "ACTION createInviteAction",
        load: async () => care.createInviteAction as FormAction,
        user: () => ids.alexUser,
        valid: () => ({ label: "Neighbour", scopes: ["status", "alarms"] }),
        isValid: (f) => inviteSchema.safeParse({ label: get(f, "label"), scopes: asParsed(f, ["scopes"]).scopes ?? [] }).success,
      },
      {
        name: "ACTION revokeLinkAction",
        load: async () => care.revokeLinkAction as FormAction,
        user: () => ids.alexUser,
        // Jordan's caregiver link: well-formed, but not Alex's to revoke.
        valid: () => ({ linkId: ids.jordanLink }),
        isValid: () => false,
      },
      {
        name: "ACTION createClinicAction",
        load: async () => admin.createClinicAction as FormAction,
        user: () => ids.admin,
        valid: () => ({ name: "North Clinic", timeZone: "Europe/London", address: "1 Road" }),
        isValid: (f) => schemaOk(clinicSchema, Object.fromEntries(Object.entries(asParsed(f)).filter(([, v]) => typeof v === "string"))),
      },
      {
        name: "ACTION createClinicianAction",
        load: async () => admin.createClinicianAction as FormAction,
        user: () => ids.admin,
        valid: () => ({ clinicId: ids.clinic, name: "Dr New", email: "dr.new@example.test", password: "a-long-password-123" }),
        isValid: (f) => schemaOk(clinicianSchema, Object.fromEntries(Object.entries(asParsed(f)).map(([k, v]) => [k, typeof v === "string" ? v : ""]))),
        runs: Math.ceil(RUNS / 2),
      },
      {
        name: "ACTION scheduleRefillAction",
        load: async () => refills.scheduleRefillAction as FormAction,
        user: () => ids.clinician,
        valid: () => ({ patientId: ids.alex, scheduledAtLocal: "2031-03-04T10:00", durationMinutes: "30", location: "Room 2" }),
        isValid: (f) => isUuid(get(f, "patientId")) && schemaOk(scheduleRefillSchema, f),
      },
      {
        name: "ACTION moveRefillAction",
        load: async () => refills.moveRefillAction as FormAction,
        user: () => ids.clinician,
        valid: () => ({ patientId: ids.alex, appointmentId: NIL, scheduledAtLocal: "2031-03-04T10:00" }),
        isValid: () => false, // NIL is no appointment: every variant must be refused
      },
      {
        name: "ACTION cancelRefillAction",
        load: async () => refills.cancelRefillAction as FormAction,
        user: () => ids.clinician,
        valid: () => ({ patientId: ids.alex, appointmentId: NIL }),
        isValid: () => false,
      },
      {
        name: "ACTION completeRefillAction",
        load: async () => refills.completeRefillAction as FormAction,
        user: () => ids.clinician,
        valid: () => ({ patientId: ids.alex, appointmentId: NIL, volumeAddedUl: "1000", newReservoirUl: "30000" }),
        isValid: () => false,
      },
      {
        name: "ACTION saveTherapyAction",
        load: async () => therapy.saveTherapyAction as FormAction,
        user: () => ids.clinician,
        valid: () => ({
          patientId: ids.alex,
          drug: "baclofen",
          concentration: "2000",
          dailyDose: "420",
          lowReservoirThresholdUl: "2000",
          bolusEnabled: "on",
          bolusDose: "50",
          bolusDurationSeconds: "600",
          lockoutSeconds: "10800",
          maxPer24h: "4",
          confirmUnusual: "on",
          capacityUl: "40000",
        }),
        isValid: (f) => isUuid(get(f, "patientId")) && schemaOk(therapySchema, Object.fromEntries(Object.entries(asParsed(f)).filter(([, v]) => typeof v === "string"))),
        runs: RUNS * 2,
      },
      {
        name: "ACTION acceptInviteAction",
        load: async () => invite.acceptInviteAction as FormAction,
        user: () => ids.sam,
        valid: () => ({ code: "ABCDE-12345" }),
        isValid: () => false, // no such invite: refused whatever its form
      },
      {
        name: "ACTION signUpWithInviteAction",
        load: async () => invite.signUpWithInviteAction as FormAction,
        user: () => null,
        valid: () => ({ code: "ABCDE-12345", name: "Pat", email: "pat@example.test", password: "a-long-password-123" }),
        isValid: () => false, // no such invite: refused whatever its form
        runs: Math.ceil(RUNS / 2),
      },
    ];

    for (const c of cases) {
      const action = await c.load();
      counts[c.name] = 0;
      acceptedByChance[c.name] = 0;
      await batch(c.name, async () => {
        h.userId = c.user();
        await fc.assert(
          fc.asyncProperty(mutatedForm(c.valid()), async (fields) => {
            if (c.isValid(fields)) {
              acceptedByChance[c.name]!++;
              return;
            }
            counts[c.name]!++;
            const what = `${c.name} ${JSON.stringify(fields).slice(0, 300)}`;
            let state: Record<string, unknown> | undefined;
            try {
              state = await action({}, toFormData(fields));
            } catch (e) {
              // A thrown error is a 500 to the browser; a redirect here would mean the action succeeded.
              throw new Error(`${what} threw ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
            }
            const messages = [state?.message, ...Object.values((state?.fields as Record<string, unknown> | undefined) ?? {})].filter((m) => typeof m === "string" && /[a-z]{2,}/i.test(m));
            expect(messages.length, `${what} → no message in ${JSON.stringify(state)}`).toBeGreaterThan(0);
            expect(state?.ok, `${what} → reported success`).toBeFalsy();
            expect(state?.code, `${what} → created an invite`).toBeUndefined();
          }),
          { numRuns: c.runs ?? RUNS, seed: SEED },
        );
      });
    }
    // A crafted request can hand an action any arguments: prevState and "formData" of the wrong type.
    const notForms: unknown[] = [undefined, null, "hello", 456, true, {}, [], { get: "x", getAll: 1 }, new Blob(["x"]), new URLSearchParams("code=x&label=y")];
    for (const c of cases) {
      const name = `${c.name} (arguments not a form)`;
      counts[name] = 0;
      const action = (await c.load()) as unknown as (prev: unknown, form: unknown) => Promise<Record<string, unknown> | undefined>;
      await batch(name, async () => {
        h.userId = c.user();
        for (const [i, arg] of notForms.entries()) {
          counts[name]!++;
          let state: Record<string, unknown> | undefined;
          try {
            state = await action(i % 2 ? "not a state" : {}, arg);
          } catch (e) {
            throw new Error(`${name} ${String(arg)} threw ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
          }
          expect(typeof state?.message, `${name} ${String(arg)}: ${JSON.stringify(state)}`).toBe("string");
        }
      });
    }
    // Signed out while the form was open: a message, never a server error (the sign-out action itself takes no input).
    h.userId = null;
    for (const c of cases.filter((x) => x.user() !== null)) {
      const name = `${c.name} (signed out)`;
      counts[name] = 1;
      await batch(name, async () => {
        h.userId = null;
        const action = await c.load();
        let state: Record<string, unknown> | undefined;
        try {
          state = await action({}, toFormData(c.valid()));
        } catch (e) {
          throw new Error(`${name} threw ${e instanceof Error ? e.message : String(e)}`);
        }
        expect(typeof state?.message === "string" || Object.keys((state?.fields as object) ?? {}).length > 0, `${name}: ${JSON.stringify(state)}`).toBe(true);
      });
    }
    expect(failures.splice(0)).toEqual([]);
  }, 600_000);

  it("the database still holds what the demo seeded (the batches above were not vacuous)", async () => {
    const [n] = await t.db.select({ n: sql<number>`count(*)::int` }).from(clinics);
    expect(n!.n).toBeGreaterThan(0);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
  });
});
