import { describe, expect, it } from "vitest";
import { authorizeTick } from "@/lib/alarms/tick-auth";
import { tickEnvProblems, tickIntervalMs } from "@/lib/alarms/ticker";
import { pushEndpointProblem } from "@/lib/push/endpoint-policy";
import { vapidEnvProblems } from "@/lib/push/vapid";

/** A partial environment (process.env without NODE_ENV and the rest). */
const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

const PUB = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
const PRIV = "tUxbf-cRC2bpOr0Q7bxOxB4nhg4aSXj5a2mqmx5QF-Q";

describe("tick authorisation", () => {
  const local = { authorization: null, forwardedFor: "127.0.0.1", host: "127.0.0.1:3000" };
  it("with CRON_SECRET, needs the bearer token from anywhere", () => {
    const withSecret = env({ CRON_SECRET: "s3cret-value" });
    expect(authorizeTick(local, withSecret)).toMatchObject({ ok: false, status: 401 });
    expect(authorizeTick({ ...local, authorization: "Bearer wrong" }, withSecret)).toMatchObject({ ok: false });
    expect(authorizeTick({ ...local, forwardedFor: "203.0.113.9", authorization: "Bearer s3cret-value" }, withSecret)).toEqual({ ok: true });
  });
  it("without it, only requests made on this machine; on Vercel, never", () => {
    expect(authorizeTick(local, env({}))).toEqual({ ok: true });
    expect(authorizeTick({ ...local, forwardedFor: "::1", host: "localhost:3000" }, env({}))).toEqual({ ok: true });
    expect(authorizeTick({ ...local, forwardedFor: "203.0.113.9" }, env({}))).toMatchObject({ ok: false, status: 401 });
    expect(authorizeTick({ ...local, host: "pump.example.org" }, env({}))).toMatchObject({ ok: false, status: 401 });
    expect(authorizeTick(local, env({ VERCEL: "1" }))).toMatchObject({ ok: false, status: 503 });
  });
});

describe("tick interval", () => {
  it("defaults to 30 s, 0 turns it off, Vercel never runs it, nonsense is refused", () => {
    expect(tickIntervalMs(env({}))).toBe(30_000);
    expect(tickIntervalMs(env({ PUMP_PORTAL_TICK_INTERVAL_MS: "0" }))).toBeNull();
    expect(tickIntervalMs(env({ VERCEL: "1" }))).toBeNull();
    expect(tickEnvProblems(env({ PUMP_PORTAL_TICK_INTERVAL_MS: "5000" }))).toEqual([]);
    expect(tickEnvProblems(env({ PUMP_PORTAL_TICK_INTERVAL_MS: "fast" }))).toHaveLength(1);
    expect(tickEnvProblems(env({ PUMP_PORTAL_TICK_INTERVAL_MS: "10" }))).toHaveLength(1);
  });
});

describe("VAPID settings", () => {
  it("accepts a valid pair or none; refuses half a pair, bad keys, and Vercel without keys", () => {
    expect(vapidEnvProblems(env({}))).toEqual([]);
    expect(vapidEnvProblems(env({ VAPID_PUBLIC_KEY: PUB, VAPID_PRIVATE_KEY: PRIV, VAPID_SUBJECT: "mailto:ops@example.org" }))).toEqual([]);
    expect(vapidEnvProblems(env({ VAPID_PUBLIC_KEY: PUB }))).toHaveLength(1);
    expect(vapidEnvProblems(env({ VAPID_PUBLIC_KEY: "abc", VAPID_PRIVATE_KEY: PRIV })).join(" ")).toContain("VAPID_PUBLIC_KEY must be");
    expect(vapidEnvProblems(env({ VAPID_PUBLIC_KEY: PUB, VAPID_PRIVATE_KEY: PRIV, VAPID_SUBJECT: "ops@example.org" })).join(" ")).toContain("VAPID_SUBJECT");
    expect(vapidEnvProblems(env({ VERCEL: "1" })).length).toBe(2);
  });
});

describe("push endpoint policy", () => {
  it("sends only over HTTPS to the browsers' push services (or configured hosts)", () => {
    expect(pushEndpointProblem("https://fcm.googleapis.com/fcm/send/abc")).toBeNull();
    expect(pushEndpointProblem("https://updates.push.services.mozilla.com/wpush/v2/abc")).toBeNull();
    expect(pushEndpointProblem("https://web.push.apple.com/QGx")).toBeNull();
    expect(pushEndpointProblem("https://db5p.notify.windows.com/w/?token=x")).toBeNull();
    expect(pushEndpointProblem("http://fcm.googleapis.com/fcm/send/abc")).toMatch(/HTTPS/);
    expect(pushEndpointProblem("https://169.254.169.254/latest/meta-data")).toMatch(/not one this server sends to/);
    expect(pushEndpointProblem("https://fcm.googleapis.com.evil.example/x")).not.toBeNull();
    expect(pushEndpointProblem("https://fcm.googleapis.com:8443/x")).not.toBeNull();
    expect(pushEndpointProblem("https://127.0.0.1:9443/push/1", ["127.0.0.1:9443"])).toBeNull();
    expect(pushEndpointProblem("https://127.0.0.1:9444/push/1", ["127.0.0.1:9443"])).not.toBeNull();
    expect(pushEndpointProblem("not a url")).toMatch(/not a valid address/);
  });
});
