import { and, desc, eq } from "drizzle-orm";
import webpush from "web-push";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alarms, bolusRequests, careLinks, patients, pumps, pumpStatusReadings, pushOutbox, pushSubscriptions, refillAppointments, userRoles, users } from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemo } from "@/db/seed";
import { deliverDue, type DeliveryOptions } from "@/lib/alarms/deliver";
import { evaluatePatientAlarms } from "@/lib/alarms/evaluate";
import { acknowledgeAlarm, setAlarmPreferences, snoozeAlarm } from "@/lib/alarms/mutations";
import { listPatientAlarms } from "@/lib/alarms/queries";
import { runTick } from "@/lib/alarms/tick";
import { loadActor, type Actor } from "@/lib/auth/guard";
import { revokeLink } from "@/lib/care-links/mutations";
import { ALARM_BITS } from "@/lib/pump-link/types";
import type { VapidKeys } from "@/lib/push/vapid";
import { queueTestNotification, saveSubscription, testResults } from "@/lib/push/subscriptions";
import { freshDb, testDrivers, type TestDb } from "../support/db";
import { startPushEndpoint, type PushEndpoint, type TestSubscription } from "../support/push-endpoint";

const MIN = 60_000;
const flag = (name: keyof typeof ALARM_BITS) => 1 << ALARM_BITS[name];

describe.each(testDrivers)("push alarms end to end on %s", (driver) => {
  let h: TestDb;
  let push: PushEndpoint;
  let vapid: VapidKeys;
  let t = new Date("2026-11-25T10:00:00Z");
  let alexId = "";
  let pumpId = "";
  let lastReservoir = 0;
  const actor: Record<"alex" | "sam" | "casey" | "riley", Actor> = {} as never;
  const dev: Record<"alex" | "sam1" | "sam2" | "casey" | "riley", TestSubscription> = {} as never;
  const subId: Record<string, string> = {};
  let caseyLinkId = "";

  const later = (ms: number) => (t = new Date(t.getTime() + ms));
  const delivery = (extra: Partial<DeliveryOptions> = {}): DeliveryOptions => ({ now: t, vapid, agent: push.agent, ...extra });
  const deliver = (extra: Partial<DeliveryOptions> = {}) => deliverDue(h.db, delivery(extra));

  /** What a sync stores: a status reading at device time `t` (the lead's sync route does this). */
  async function sync(flags: number, reservoirUl = lastReservoir) {
    await h.db.insert(pumpStatusReadings).values({ pumpId, recordedAt: t, receivedAt: t, reservoirUl, batteryPercent: 60, alarmFlags: flags, therapyState: "running", source: "sync" });
    return evaluatePatientAlarms(h.db, alexId, t);
  }

  async function makeCaregiver(email: string, name: string, scopes: ("status" | "alarms")[]) {
    const [u] = await h.db.insert(users).values({ email, name, passwordHash: "x" }).returning();
    await h.db.insert(userRoles).values({ userId: u!.id, role: "caregiver" });
    const [link] = await h.db
      .insert(careLinks)
      .values({ patientId: alexId, caregiverUserId: u!.id, inviteLabel: name, inviteCodeHash: `test-${email}`, inviteExpiresAt: t, scopes, status: "active", acceptedAt: t })
      .returning();
    return { actor: (await loadActor(h.db, u!.id))!, linkId: link!.id };
  }

  async function subscribe(who: Actor): Promise<TestSubscription> {
    const s = push.subscribe();
    const view = await saveSubscription(h.db, who.userId, { endpoint: s.endpoint, keys: s.keys, label: "test device" }, { allowedHosts: [new URL(push.origin).host] });
    subId[s.id] = view.id;
    return s;
  }

  const deliveredTo = (s: TestSubscription) => push.delivered().filter((a) => a.subscriptionId === s.id);
  const alarmOf = async (kind: string) => (await h.db.select().from(alarms).where(and(eq(alarms.patientId, alexId), eq(alarms.kind, kind))).orderBy(desc(alarms.raisedAt)).limit(1))[0]!;

  beforeAll(async () => {
    h = await freshDb(driver);
    await seedDemo(h.db, t);
    const keys = webpush.generateVAPIDKeys();
    vapid = { ...keys, subject: "mailto:alarms-test@example.org" };
    push = await startPushEndpoint({ vapidPublicKey: vapid.publicKey });
    const [alex] = await h.db.select().from(patients).where(eq(patients.displayName, "Alex Morgan"));
    alexId = alex!.id;
    const [pump] = await h.db.select().from(pumps).where(eq(pumps.patientId, alexId));
    pumpId = pump!.id;
    const [reading] = await h.db.select().from(pumpStatusReadings).where(eq(pumpStatusReadings.pumpId, pumpId)).orderBy(desc(pumpStatusReadings.recordedAt)).limit(1);
    lastReservoir = reading!.reservoirUl;
    for (const [key, email] of [["alex", DEMO_ACCOUNTS.patient], ["sam", DEMO_ACCOUNTS.caregiver]] as const) {
      const [u] = await h.db.select().from(users).where(eq(users.email, email));
      actor[key] = (await loadActor(h.db, u!.id))!;
    }
    const casey = await makeCaregiver("casey@example.test", "Casey Lee", ["status", "alarms"]);
    actor.casey = casey.actor;
    caseyLinkId = casey.linkId;
    actor.riley = (await makeCaregiver("riley@example.test", "Riley Status-Only", ["status"])).actor;
    dev.alex = await subscribe(actor.alex);
    dev.sam1 = await subscribe(actor.sam);
    dev.sam2 = await subscribe(actor.sam);
    dev.casey = await subscribe(actor.casey);
    dev.riley = await subscribe(actor.riley);
  });
  afterAll(async () => {
    await push?.close();
    await h?.destroy();
  });
  beforeEach(() => push.reset());

  it("a low-reservoir sync sends exactly one notification per subscribed device, with the right words and headers", async () => {
    later(MIN);
    expect(await sync(flag("lowReservoir"))).toMatchObject({ raised: 1, resolved: 0, queued: 4 });
    const report = await deliver();
    expect(report).toMatchObject({ claimed: 4, sent: 4, retried: 0, failed: 0, cancelled: 0 });
    expect(push.problems()).toEqual([]);
    for (const d of [dev.alex, dev.sam1, dev.sam2, dev.casey]) expect(deliveredTo(d)).toHaveLength(1);
    // A caregiver without the alarms scope gets nothing.
    expect(deliveredTo(dev.riley)).toHaveLength(0);
    const alarm = await alarmOf("device_low_reservoir");
    expect(alarm).toMatchObject({ severity: "warning", state: "active", dedupeKey: "device:lowReservoir" });
    const [toSam] = deliveredTo(dev.sam1);
    expect(toSam!.payload).toEqual({
      v: 1,
      kind: "raise",
      alarmId: alarm.id,
      patientId: alexId,
      alarmKind: "device_low_reservoir",
      severity: "warning",
      title: "Alex’s pump — reservoir low",
      body: "The pump reports a low reservoir. A refill is needed soon.",
      tag: `alarm-${alarm.id}`,
      url: `/alarms/${alarm.id}`,
      ackUrl: `/api/alarms/${alarm.id}/ack`,
    });
    expect(deliveredTo(dev.alex)[0]!.payload!.title).toBe("Your pump — reservoir low");
    expect(toSam!.urgency).toBe("normal");
    expect(toSam!.ttl).toBeGreaterThan(11 * 3600);
    expect(toSam!.topic).toBe(alarm.id.replace(/-/g, ""));
    // Nothing on the lock screen names the drug or a dose.
    for (const a of push.delivered()) expect(JSON.stringify(a.payload)).not.toMatch(/baclofen|µg|\bmg\b|\bmL\b|\d+\s?%/i);
  });

  it("raising the same alarm again sends nothing", async () => {
    later(MIN);
    expect(await sync(flag("lowReservoir"))).toMatchObject({ raised: 0, resolved: 0, queued: 0 });
    expect(await evaluatePatientAlarms(h.db, alexId, t)).toMatchObject({ raised: 0, resolved: 0, queued: 0 });
    expect((await deliver()).claimed).toBe(0);
    expect(push.attempts).toHaveLength(0);
    expect(await h.db.select().from(alarms).where(and(eq(alarms.patientId, alexId), eq(alarms.kind, "device_low_reservoir")))).toHaveLength(1);
  });

  it("resolving sends the all clear to the devices that were alerted", async () => {
    later(MIN);
    expect(await sync(0)).toMatchObject({ raised: 0, resolved: 1, queued: 4 });
    await deliver();
    const alarm = await alarmOf("device_low_reservoir");
    expect(alarm.state).toBe("resolved");
    expect(push.delivered()).toHaveLength(4);
    for (const a of push.delivered()) {
      expect(a.payload).toMatchObject({ kind: "all_clear", alarmId: alarm.id, body: "The pump no longer reports a low reservoir.", ackUrl: null });
      expect(String(a.payload!.title)).toMatch(/^All clear: (Your pump|Alex’s pump) — reservoir low$/);
    }
  });

  it("retries 500s with growing, jittered backoff and delivers once", async () => {
    push.script(dev.casey.id, [{ status: 500 }, { status: 500 }]);
    later(MIN);
    const start = t.getTime();
    expect(await sync(flag("motorStall"))).toMatchObject({ raised: 1, queued: 4 });
    expect(await deliver()).toMatchObject({ sent: 3, retried: 1 });
    const alarm = await alarmOf("device_motor_stall");
    const row = async () => (await h.db.select().from(pushOutbox).where(and(eq(pushOutbox.alarmId, alarm.id), eq(pushOutbox.subscriptionId, subId[dev.casey.id]!), eq(pushOutbox.kind, "raise"))))[0]!;
    let r = await row();
    expect(r).toMatchObject({ attempts: 1, sentAt: null, lastError: "HTTP 500" });
    const firstDelay = r.nextAttemptAt.getTime() - start;
    expect(firstDelay).toBeGreaterThanOrEqual(5_000);
    expect(firstDelay).toBeLessThanOrEqual(10_000);
    // Not due yet: nothing is sent.
    expect((await deliver()).claimed).toBe(0);
    t = new Date(r.nextAttemptAt.getTime());
    expect(await deliver()).toMatchObject({ claimed: 1, retried: 1 });
    r = await row();
    const secondDelay = r.nextAttemptAt.getTime() - t.getTime();
    expect(r.attempts).toBe(2);
    expect(secondDelay).toBeGreaterThanOrEqual(10_000);
    expect(secondDelay).toBeLessThanOrEqual(20_000);
    expect(secondDelay).toBeGreaterThanOrEqual(firstDelay);
    t = new Date(r.nextAttemptAt.getTime());
    expect(await deliver()).toMatchObject({ claimed: 1, sent: 1 });
    r = await row();
    expect(r).toMatchObject({ attempts: 3, lastError: null });
    expect(r.sentAt).not.toBeNull();
    const toCasey = push.attempts.filter((a) => a.subscriptionId === dev.casey.id);
    expect(toCasey.map((a) => a.status)).toEqual([500, 500, 201]);
    expect(deliveredTo(dev.casey)).toHaveLength(1);
    // Critical: high urgency, the short TTL.
    expect(deliveredTo(dev.casey)[0]).toMatchObject({ urgency: "high" });
    expect(deliveredTo(dev.casey)[0]!.payload).toMatchObject({ severity: "critical", title: "Urgent: Alex’s pump — motor stopped" });
  });

  it("re-notifies a critical alarm on later ticks until someone acknowledges, then stops", async () => {
    const alarm = await alarmOf("device_motor_stall");
    const tick = () => runTick(h.db, { now: t, delivery: { vapid, agent: push.agent } });
    t = new Date(alarm.raisedAt.getTime() + 5 * MIN + 1000);
    const first = await tick();
    expect(first.reminders).toBe(4);
    expect(push.delivered().filter((a) => a.payload?.kind === "renotify" && a.payload.alarmId === alarm.id)).toHaveLength(4);
    expect(deliveredTo(dev.sam1)[0]!.payload!.body).toMatch(/^Reminder 1: not yet acknowledged\. .*Repeats every 5 minutes until acknowledged\.$/);
    // A tick before the next round is due sends nothing new.
    later(MIN);
    expect((await tick()).reminders).toBe(0);
    later(5 * MIN);
    expect((await tick()).reminders).toBe(4);
    expect(deliveredTo(dev.sam1).map((a) => a.payload!.body)).toEqual([expect.stringMatching(/^Reminder 1/), expect.stringMatching(/^Reminder 2/)]);

    push.reset();
    later(MIN);
    const ack = await acknowledgeAlarm(h.db, actor.sam, alarm.id, t);
    expect(ack).toMatchObject({ changed: true, queued: 4 });
    expect(ack.alarm).toMatchObject({ state: "acknowledged", acknowledgedByUserId: actor.sam.userId, nextNotifyAt: null });
    // A second acknowledgement (another caregiver, a second tap) changes nothing: the first stands.
    expect(await acknowledgeAlarm(h.db, actor.casey, alarm.id, t)).toMatchObject({ changed: false, alarm: { acknowledgedByUserId: actor.sam.userId } });
    await deliver();
    expect(push.delivered()).toHaveLength(4);
    for (const a of push.delivered()) {
      expect(a.payload).toMatchObject({ kind: "acknowledged", alarmId: alarm.id, ackUrl: null });
      expect(a.payload!.body).toMatch(/^Acknowledged by Sam Morgan at \d\d:\d\d\.$/);
    }
    push.reset();
    for (let i = 0; i < 3; i++) {
      later(6 * MIN);
      expect((await tick()).reminders).toBe(0);
    }
    expect(push.attempts.filter((a) => a.payload?.alarmId === alarm.id)).toHaveLength(0);
    const { active } = await listPatientAlarms(h.db, alexId, actor.alex.userId, { now: t });
    expect(active.find((a) => a.id === alarm.id)).toMatchObject({ state: "acknowledged", acknowledgedBy: "Sam Morgan" });
  });

  it("a 410 from the push service deletes the subscription; a 429 honours Retry-After", async () => {
    push.script(dev.sam2.id, [{ status: 410 }]);
    push.script(dev.casey.id, [{ status: 429, headers: { "Retry-After": "120" } }]);
    later(MIN);
    expect(await sync(flag("motorStall") | flag("batteryReplacementDue"))).toMatchObject({ raised: 1 });
    const report = await deliver();
    expect(report).toMatchObject({ removedSubscriptions: 1, retried: 1, sent: 2 });
    expect(await h.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, subId[dev.sam2.id]!))).toHaveLength(0);
    const alarm = await alarmOf("device_battery_replacement_due");
    const [r] = await h.db.select().from(pushOutbox).where(and(eq(pushOutbox.alarmId, alarm.id), eq(pushOutbox.subscriptionId, subId[dev.casey.id]!)));
    expect(r!.nextAttemptAt.getTime() - t.getTime()).toBeGreaterThanOrEqual(120_000);
    expect(r!.lastError).toBe("HTTP 429");
    t = new Date(r!.nextAttemptAt.getTime());
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(deliveredTo(dev.casey)).toHaveLength(1);
  });

  it("two concurrent ticks (and two concurrent evaluations) send each message exactly once", async () => {
    const extra: TestSubscription[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await makeCaregiver(`crowd${i}@example.test`, `Crowd ${i}`, ["alarms"]);
      for (let j = 0; j < 5; j++) extra.push(await subscribe(c.actor));
    }
    later(MIN);
    await h.db.insert(pumpStatusReadings).values({ pumpId, recordedAt: t, receivedAt: t, reservoirUl: 0, batteryPercent: 60, alarmFlags: flag("motorStall") | flag("batteryReplacementDue") | flag("emptyReservoir"), therapyState: "running", source: "sync" });
    const before = (await h.db.select().from(alarms).where(eq(alarms.patientId, alexId))).length;
    const [e1, e2] = await Promise.all([evaluatePatientAlarms(h.db, alexId, t), evaluatePatientAlarms(h.db, alexId, t)]);
    // One evaluation raised everything (empty reservoir, and the refill now comes too late); the other found it done.
    expect(Math.min(e1!.raised, e2!.raised)).toBe(0);
    expect((await h.db.select().from(alarms).where(eq(alarms.patientId, alexId))).length - before).toBe(e1!.raised + e2!.raised);
    expect(await h.db.select().from(alarms).where(and(eq(alarms.patientId, alexId), eq(alarms.kind, "device_empty_reservoir")))).toHaveLength(1);
    const alarm = await alarmOf("device_empty_reservoir");
    const expected = await h.db.select().from(pushOutbox).where(eq(pushOutbox.alarmId, alarm.id));
    expect(expected.length).toBeGreaterThanOrEqual(extra.length + 3); // + Alex, Sam, Casey
    const opts = { vapid, agent: push.agent, batchSize: 4, concurrency: 3 };
    const [a, b] = await Promise.all([runTick(h.db, { now: t, delivery: opts }), runTick(h.db, { now: t, delivery: opts })]);
    // Everything the two ticks sent arrived once: no (alarm, device, message) twice.
    expect(a.delivery.sent + b.delivery.sent).toBe(push.delivered().length);
    const key = (x: (typeof push.attempts)[number]) => `${String(x.payload?.alarmId)}|${x.subscriptionId}|${String(x.payload?.kind)}`;
    expect(new Set(push.delivered().map(key)).size).toBe(push.delivered().length);
    const forAlarm = push.attempts.filter((x) => x.payload?.alarmId === alarm.id);
    expect(forAlarm).toHaveLength(expected.length);
    expect(new Set(forAlarm.map((x) => x.subscriptionId)).size).toBe(expected.length);
    for (const s of extra) expect(deliveredTo(s).filter((x) => x.payload?.alarmId === alarm.id)).toHaveLength(1);
    // Reminder rounds are claimed once too.
    push.reset();
    t = new Date(alarm.raisedAt.getTime() + 5 * MIN + 1000);
    const [c, d] = await Promise.all([runTick(h.db, { now: t, delivery: opts }), runTick(h.db, { now: t, delivery: opts })]);
    const reminders = push.attempts.filter((x) => x.payload?.alarmId === alarm.id && x.payload?.kind === "renotify");
    expect(c.reminders + d.reminders).toBe(push.delivered().length);
    expect(new Set(push.delivered().map(key)).size).toBe(push.delivered().length);
    expect(reminders).toHaveLength(expected.length);
    expect(new Set(reminders.map((x) => x.subscriptionId)).size).toBe(expected.length);
  });

  it("a revoked caregiver stops receiving at once, even messages already queued", async () => {
    const alarm = await alarmOf("device_empty_reservoir");
    t = new Date((alarm.nextNotifyAt ?? t).getTime() + 1000);
    // Queue the next reminder round without sending it, then revoke Casey.
    const { renotifyDue } = await import("@/lib/alarms/escalation");
    expect((await renotifyDue(h.db, t)).queued).toBeGreaterThan(0);
    await revokeLink(h.db, actor.alex, caseyLinkId, t);
    const report = await deliver();
    expect(report.cancelled).toBeGreaterThanOrEqual(1);
    expect(deliveredTo(dev.casey)).toHaveLength(0);
    expect(deliveredTo(dev.sam1).filter((a) => a.payload?.alarmId === alarm.id)).toHaveLength(1);
    const [row] = await h.db.select().from(pushOutbox).where(and(eq(pushOutbox.alarmId, alarm.id), eq(pushOutbox.subscriptionId, subId[dev.casey.id]!), eq(pushOutbox.kind, "renotify"), eq(pushOutbox.round, alarm.notifyRound + 1)));
    expect(row).toMatchObject({ sentAt: null, lastError: "not sent: the recipient no longer receives this patient's alarms" });
    // Later rounds are not even queued for Casey.
    push.reset();
    later(6 * MIN);
    await runTick(h.db, { now: t, delivery: { vapid, agent: push.agent } });
    expect(deliveredTo(dev.casey)).toHaveLength(0);
    expect(deliveredTo(dev.alex).filter((a) => a.payload?.alarmId === alarm.id)).toHaveLength(1);
  });

  it("snoozing a warning silences that caregiver only; critical alarms cannot be snoozed or muted", async () => {
    const battery = await alarmOf("device_battery_replacement_due");
    const critical = await alarmOf("device_empty_reservoir");
    await expect(snoozeAlarm(h.db, actor.sam, critical.id, 60, t)).rejects.toMatchObject({ code: "bad_request:snooze" });
    await snoozeAlarm(h.db, actor.sam, battery.id, 720, t);
    await setAlarmPreferences(h.db, actor.alex, { patientId: alexId, warnings: false, info: false }, t);
    push.reset();
    t = new Date(battery.raisedAt.getTime() + 4 * 3600_000 + 1000);
    await runTick(h.db, { now: t, delivery: { vapid, agent: push.agent } });
    const batteryTo = (d: TestSubscription) => deliveredTo(d).filter((a) => a.payload?.alarmId === battery.id);
    // Sam snoozed it and Alex turned warnings off: neither gets the reminder…
    expect(batteryTo(dev.sam1)).toHaveLength(0);
    expect(batteryTo(dev.alex)).toHaveLength(0);
    // …followers who did neither still do…
    const others = push.delivered().filter((a) => a.payload?.alarmId === battery.id);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((a) => a.payload?.kind === "renotify")).toBe(true);
    // …and the critical alarm still reaches both of them.
    const criticalTo = (d: TestSubscription) => deliveredTo(d).filter((a) => a.payload?.alarmId === critical.id);
    expect(criticalTo(dev.sam1)).toHaveLength(1);
    expect(criticalTo(dev.alex)).toHaveLength(1);
    await setAlarmPreferences(h.db, actor.alex, { patientId: alexId, warnings: true, info: true }, t);
  });

  it("a bolus limit violation raises a critical alarm once; acknowledging closes it for good; info goes to those who opted in", async () => {
    later(MIN);
    // Clear the device alarms (sends all clears) so only the bolus alarms remain in play.
    await sync(0, lastReservoir);
    await h.db.insert(bolusRequests).values([
      { pumpId, token: 4242, requestedAt: t, dose: 50, state: "confirmed", deliveredAt: t, outcomeSource: "sync", limitViolation: true, violationDetail: { problems: ["lockout"] } },
    ]);
    push.reset();
    const r = await evaluatePatientAlarms(h.db, alexId, t);
    expect(r.raised).toBe(2); // the violation and the "bolus delivered" notice
    await deliver();
    const violation = await alarmOf("bolus_limit_violation");
    const notice = await alarmOf("bolus_delivered");
    expect(violation).toMatchObject({ severity: "critical", state: "active" });
    expect(notice).toMatchObject({ severity: "info", state: "resolved" });
    // Only Alex turned information on.
    expect(push.delivered().filter((a) => a.payload?.alarmId === notice.id).map((a) => a.subscriptionId)).toEqual([dev.alex.id]);
    expect(deliveredTo(dev.alex).find((a) => a.payload?.alarmId === notice.id)!.payload!.body).toMatch(/^The pump recorded a bolus at \d\d:\d\d\.$/);
    expect(push.delivered().filter((a) => a.payload?.alarmId === violation.id).length).toBeGreaterThanOrEqual(2);
    const ack = await acknowledgeAlarm(h.db, actor.alex, violation.id, t);
    expect(ack.alarm).toMatchObject({ state: "resolved", acknowledgedByUserId: actor.alex.userId });
    later(MIN);
    expect(await evaluatePatientAlarms(h.db, alexId, t)).toMatchObject({ raised: 0 });
    expect(await h.db.select().from(alarms).where(and(eq(alarms.patientId, alexId), eq(alarms.kind, "bolus_limit_violation")))).toHaveLength(1);
  });

  it("raises server-side checks from the tick: missed appointment and no sync", async () => {
    later(MIN);
    await h.db.insert(refillAppointments).values({ pumpId, scheduledAt: new Date(t.getTime() - 2 * 3600_000), location: "Room 1", status: "scheduled" });
    await runTick(h.db, { now: t, delivery: { vapid, agent: push.agent } });
    expect((await alarmOf("appointment_missed")).state).toBe("active");
    // No sync for longer than Alex's threshold (24 h).
    push.reset();
    t = new Date(t.getTime() + 25 * 3600_000);
    await runTick(h.db, { now: t, delivery: { vapid, agent: push.agent } });
    const stale = await alarmOf("no_sync");
    expect(stale).toMatchObject({ severity: "warning", state: "active" });
    expect(deliveredTo(dev.sam1).find((a) => a.payload?.alarmId === stale.id)!.payload!.title).toBe("Alex’s pump — no recent pump data");
    // A sync ends it.
    expect(await sync(0)).toMatchObject({ resolved: 1 });
    expect((await alarmOf("no_sync")).state).toBe("resolved");
  });

  it("sends a test notification to one device and reports the outcome", async () => {
    const ids = await queueTestNotification(h.db, actor.sam.userId, subId[dev.sam1.id], t);
    await deliverDue(h.db, delivery({ onlyIds: ids }));
    expect(await testResults(h.db, ids)).toEqual([{ subscriptionId: subId[dev.sam1.id], delivered: true, error: null }]);
    expect(deliveredTo(dev.sam1)[0]!.payload).toMatchObject({ kind: "test", title: "Pump Portal test notification", url: "/notifications" });
  });
});
