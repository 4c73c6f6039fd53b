/**
 * Push fault soak: 50 alarms × 6 subscriptions (the patient and three caregivers), delivered by
 * the real outbox (lib/alarms/deliver.ts → lib/push/send.ts → web-push) to a local HTTPS push
 * service that answers at random (seeded): 201, 500, 429 with Retry-After, 410 Gone (the
 * subscription expired: from then on it always answers 410), and no answer at all (the sender
 * times out) — either before the service accepted the message, or after it accepted it.
 * The outbox's clock is virtual (deliverDue's `now`): each round runs at the earliest next attempt.
 *
 * Counting, honestly: a message that timed out may have been accepted by the push service, so on
 * the wire delivery is at-least-once. What must be exactly once is what the person sees: every
 * retry of one (alarm, subscription) message carries the same Topic (the push service keeps only
 * the newest undelivered message per topic) and the same notification tag (the browser replaces a
 * shown notification with the same tag). So the invariants are:
 * - every (alarm, subscription) pair whose subscription still exists was answered 2xx EXACTLY ONCE
 *   and never attempted again afterwards (the outbox row is marked sent);
 * - accepted copies beyond that one are only ever the ones the service accepted without answering
 *   (timeouts), all with the pair's Topic and tag → displayed once;
 * - a subscription that answered 410 is deleted with its queued messages and gets nothing after;
 * - nothing is lost (no message given up or expired), 429 Retry-After is respected, critical
 *   alarms go out at high urgency.
 */
import { eq, isNull, lt, sql } from "drizzle-orm";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alarms, careLinks, patients, pushOutbox, pushSubscriptions, userRoles, users, type Alarm } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { deliverDue, NEVER } from "@/lib/alarms/deliver";
import { enqueueAlarmMessages } from "@/lib/alarms/outbox";
import { mulberry32 } from "@/lib/pump-link/random";
import { saveSubscription } from "@/lib/push/subscriptions";
import type { VapidKeys } from "@/lib/push/vapid";
import { freshDb, testDrivers, type TestDb } from "../support/db";
import { startPushEndpoint, type PushAttempt, type PushEndpoint, type ScriptedAnswer, type TestSubscription } from "../support/push-endpoint";

const ALARMS = 50;
const SEED = Number(process.env.PUSH_FAULT_SEED ?? 20_261_125);
/** Short, so a test waits little on a silent push service; long enough that a busy event loop rarely trips it. */
const SEND_TIMEOUT_MS = 800;
/** Subscription index → the request number from which its push service answers 410 for good. */
const EXPIRES_AT: Record<number, number> = { 4: 12, 5: 40 };

type AnswerKind = "ok" | "500" | "429" | "timeout_unaccepted" | "timeout_accepted" | "410";

function answerScript(rng: () => number, expiresAt: number | undefined): { answers: ScriptedAnswer[]; kinds: AnswerKind[] } {
  const answers: ScriptedAnswer[] = [];
  const kinds: AnswerKind[] = [];
  for (let i = 0; i < 400; i++) {
    if (expiresAt !== undefined && i >= expiresAt) {
      answers.push({ status: 410 });
      kinds.push("410");
      continue;
    }
    const r = rng();
    if (r < 0.6) {
      answers.push({ status: 201 });
      kinds.push("ok");
    } else if (r < 0.72) {
      answers.push({ status: 500 });
      kinds.push("500");
    } else if (r < 0.84) {
      answers.push({ status: 429, headers: { "Retry-After": String(1 + Math.floor(rng() * 600)) } });
      kinds.push("429");
    } else if (r < 0.92) {
      answers.push({ status: 503, noAnswer: true });
      kinds.push("timeout_unaccepted");
    } else {
      answers.push({ status: 201, noAnswer: true });
      kinds.push("timeout_accepted");
    }
  }
  return { answers, kinds };
}

describe.each(testDrivers)("push delivery under random push-service faults on %s", (driver) => {
  let h: TestDb;
  let push: PushEndpoint;
  let vapid: VapidKeys;
  let t = new Date("2026-11-25T10:00:00Z");
  let alexId = "";
  const subs: TestSubscription[] = [];
  const dbSubId = new Map<string, string>();

  async function caregiver(email: string, name: string) {
    const [u] = await h.db.insert(users).values({ email, name, passwordHash: "x" }).returning();
    await h.db.insert(userRoles).values({ userId: u!.id, role: "caregiver" });
    await h.db
      .insert(careLinks)
      .values({ patientId: alexId, caregiverUserId: u!.id, inviteLabel: name, inviteCodeHash: `test-${email}`, inviteExpiresAt: t, scopes: ["status", "alarms"], status: "active", acceptedAt: t });
    return u!.id;
  }

  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, t);
    const keys = webpush.generateVAPIDKeys();
    vapid = { ...keys, subject: "mailto:push-faults@example.org" };
    push = await startPushEndpoint({ vapidPublicKey: vapid.publicKey });
    const [alex] = await h.db.select().from(patients).where(eq(patients.displayName, "Alex Morgan"));
    alexId = alex!.id;
    const userId = async (email: string) => (await h.db.select().from(users).where(eq(users.email, email)))[0]!.id;
    const alexUser = await userId(DEMO_ACCOUNTS.patient);
    const sam = await userId(DEMO_ACCOUNTS.caregiver);
    const casey = await caregiver("casey.faults@example.test", "Casey Lee");
    const jordan = await caregiver("jordan.faults@example.test", "Jordan Park");
    // Only our subscriptions and messages: the seed's own (if any) would blur the counts.
    await h.db.delete(pushOutbox).where(sql`true`);
    await h.db.delete(pushSubscriptions).where(sql`true`);
    for (const owner of [alexUser, sam, sam, casey, casey, jordan]) {
      const s = push.subscribe();
      const view = await saveSubscription(h.db, owner, { endpoint: s.endpoint, keys: s.keys, label: "fault test" }, { allowedHosts: [new URL(push.origin).host], now: t });
      dbSubId.set(s.id, view.id);
      subs.push(s);
    }
  });
  afterAll(async () => {
    await push?.close();
    await h?.destroy();
  });

  it(`${ALARMS} alarms × 6 subscriptions: each delivered exactly once or its subscription removed; nothing lost`, async () => {
    const started = Date.now();
    const rng = mulberry32(SEED);
    const scripted = new Map<string, { answers: ScriptedAnswer[]; kinds: AnswerKind[] }>();
    subs.forEach((s, i) => {
      const script = answerScript(rng, EXPIRES_AT[i]);
      push.script(s.id, script.answers);
      scripted.set(s.id, script);
    });

    // ---- 50 alarms, a mix of critical and warning, each queued to every subscription -------------
    const raised: Alarm[] = [];
    for (let i = 0; i < ALARMS; i++) {
      const critical = i % 3 === 0;
      const [a] = await h.db
        .insert(alarms)
        .values({
          patientId: alexId,
          kind: critical ? "device_occlusion" : "device_low_reservoir",
          severity: critical ? "critical" : "warning",
          dedupeKey: `fault-soak:${i}`,
          raisedAt: t,
        })
        .returning();
      raised.push(a!);
      expect(await enqueueAlarmMessages(h.db, { alarm: a!, messageKind: "raise", round: 0, now: t })).toBe(subs.length);
    }
    const topicOf = new Map(raised.map((a) => [a.id.replace(/-/g, ""), a]));

    // ---- run the outbox until nothing is due any more, on a virtual clock -------------------------
    const virtualAt = new Map<PushAttempt, number>();
    let rounds = 0;
    const reports = { claimed: 0, sent: 0, retried: 0, failed: 0, cancelled: 0, removedSubscriptions: 0 };
    const deliveryRng = mulberry32(SEED ^ 0x5a5a);
    for (;;) {
      const [next] = await h.db
        .select({ at: sql<Date | string | null>`min(${pushOutbox.nextAttemptAt})` })
        .from(pushOutbox)
        .where(sql`${pushOutbox.sentAt} is null and ${lt(pushOutbox.nextAttemptAt, NEVER)}`);
      if (next?.at === null || next?.at === undefined) break;
      const at = new Date(next.at);
      if (at > t) t = at;
      rounds++;
      expect(rounds, "the outbox never became quiescent").toBeLessThan(400);
      const before = push.attempts.length;
      const r = await deliverDue(h.db, { now: t, vapid, agent: push.agent, timeoutMs: SEND_TIMEOUT_MS, concurrency: 24, random: deliveryRng });
      for (const k of Object.keys(reports) as (keyof typeof reports)[]) reports[k] += r[k];
      for (const a of push.attempts.slice(before)) virtualAt.set(a, t.getTime());
    }
    const virtualSpanMin = Math.round((t.getTime() - raised[0]!.raisedAt.getTime()) / 60_000);

    // ---- invariants ---------------------------------------------------------------------------
    expect(push.problems(), "malformed requests").toEqual([]);
    const remaining = await h.db.select().from(pushSubscriptions);
    const remainingIds = new Set(remaining.map((r) => r.id));
    const byPair = new Map<string, PushAttempt[]>();
    for (const a of push.attempts) {
      expect(a.topic, "every message carries its alarm's Topic").not.toBeNull();
      expect(topicOf.has(a.topic!)).toBe(true);
      const key = `${a.subscriptionId}|${a.topic}`;
      byPair.set(key, [...(byPair.get(key) ?? []), a]);
    }

    let delivered = 0;
    let wireDuplicates = 0;
    let removedPairs = 0;
    let lost = 0;
    let displayedDuplicates = 0;
    let lateAnswers = 0;
    let retryAfterChecks = 0;
    const removedSubs: string[] = [];
    for (const s of subs) {
      const attempts = push.attempts.filter((a) => a.subscriptionId === s.id);
      const first410 = attempts.findIndex((a) => a.status === 410);
      const removed = !remainingIds.has(dbSubId.get(s.id)!);
      // A subscription is removed if and only if its push service said 410.
      expect(removed, `subscription ${s.id}`).toBe(first410 >= 0);
      if (removed) {
        removedSubs.push(s.id);
        // Nothing accepted after the 410, and its queued messages went with it.
        expect(attempts.slice(first410).filter((a) => a.status >= 200 && a.status < 300)).toEqual([]);
        expect(await h.db.select({ id: pushOutbox.id }).from(pushOutbox).where(eq(pushOutbox.subscriptionId, dbSubId.get(s.id)!))).toEqual([]);
      }
      for (const alarm of raised) {
        const key = `${s.id}|${alarm.id.replace(/-/g, "")}`;
        const pair = byPair.get(key) ?? [];
        const answered2xx = pair.filter((a) => a.status >= 200 && a.status < 300 && a.answered !== false);
        const accepted = pair.filter((a) => a.status >= 200 && a.status < 300);
        if (removed) {
          // Delivered before the expiry, or never: either way at most one answered acceptance.
          expect(answered2xx.length).toBeLessThanOrEqual(1);
          if (answered2xx.length === 0) removedPairs++;
          else delivered++;
          continue;
        }
        if (answered2xx.length === 0) {
          lost++;
          continue;
        }
        delivered++;
        // The sender stops once it hears 2xx: the pair's last attempt is an answered acceptance.
        expect(pair.at(-1)!.status).toBeLessThan(300);
        expect(pair.at(-1)!.answered).not.toBe(false);
        // Earlier accepted copies are timeouts from the sender's side: the service accepted but did
        // not answer, or answered after the sender had given up (a loaded event loop). They are
        // duplicates on the wire only; the same Topic and tag make them one notification.
        wireDuplicates += accepted.length - 1;
        lateAnswers += answered2xx.length - 1;
        const tags = new Set(accepted.map((a) => a.payload?.tag));
        if (tags.size !== 1 || tags.has(undefined)) displayedDuplicates++;
        if (alarm.severity === "critical") for (const a of pair) expect(a.urgency).toBe("high");
      }
      // 429 Retry-After is respected: the next attempt of the same message waits at least that long.
      for (const alarm of raised) {
        const pair = byPair.get(`${s.id}|${alarm.id.replace(/-/g, "")}`) ?? [];
        pair.forEach((a, i) => {
          if (a.status !== 429) return;
          const next = pair[i + 1];
          if (!next) return;
          // Each request to a subscription takes the next scripted answer: the n-th attempt got answers[n].
          const script = scripted.get(s.id)!;
          const idx = attempts.indexOf(a);
          expect(script.kinds[idx]).toBe("429");
          const retryAfterS = Number(script.answers[idx]!.headers!["Retry-After"]);
          retryAfterChecks++;
          expect(virtualAt.get(next)! - virtualAt.get(a)!, "retried before Retry-After").toBeGreaterThanOrEqual(retryAfterS * 1000);
        });
      }
    }
    // Every outbox row of a live subscription was sent; none given up, none still pending.
    const unsent = await h.db.select().from(pushOutbox).where(isNull(pushOutbox.sentAt));
    expect(unsent.map((r) => `${r.id}: ${r.lastError}`)).toEqual([]);
    expect(lost).toBe(0);
    expect(displayedDuplicates).toBe(0);
    expect(reports.failed).toBe(0);
    expect(reports.cancelled).toBe(0);
    expect(delivered + removedPairs).toBe(ALARMS * subs.length);
    // The outbox marked each message sent at most once (a sent row is never claimed again).
    const liveRows = await h.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(pushOutbox);
    expect(liveRows[0]!.n).toBe(ALARMS * remaining.length);
    expect(reports.sent).toBeGreaterThanOrEqual(ALARMS * remaining.length);
    expect(reports.sent).toBeLessThanOrEqual(ALARMS * subs.length);

    const count = (pred: (a: PushAttempt) => boolean) => push.attempts.filter(pred).length;
    const figures = {
      driver,
      alarms: ALARMS,
      critical: raised.filter((a) => a.severity === "critical").length,
      subscriptions: subs.length,
      pairs: ALARMS * subs.length,
      requests: push.attempts.length,
      answered201: count((a) => a.status === 201 && a.answered !== false),
      http500: count((a) => a.status === 500),
      http429: count((a) => a.status === 429),
      http410: count((a) => a.status === 410),
      timeoutsUnaccepted: count((a) => a.answered === false && a.status >= 300),
      timeoutsAccepted: count((a) => a.answered === false && a.status < 300),
      delivered,
      wireDuplicates,
      lateAnswers,
      displayedDuplicates,
      removedSubscriptions: removedSubs.length,
      pairsDroppedWithRemovedSubscription: removedPairs,
      lost,
      retryAfterChecks,
      outboxRounds: rounds,
      virtualMinutes: virtualSpanMin,
      report: reports,
      ms: Date.now() - started,
    };
    console.log(`[push-faults] ${JSON.stringify(figures)}`);
    expect(figures.http500).toBeGreaterThan(10);
    expect(figures.http429).toBeGreaterThan(10);
    expect(figures.timeoutsAccepted + figures.timeoutsUnaccepted).toBeGreaterThan(10);
    expect(figures.removedSubscriptions).toBe(Object.keys(EXPIRES_AT).length);
  }, 180_000);
});
