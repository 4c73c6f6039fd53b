import "server-only";
import https from "node:https";
import webpush from "web-push";
import type { PushResult } from "./retry";
import type { VapidKeys } from "./vapid";

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface SendOptions {
  vapid: VapidKeys;
  ttlSeconds: number;
  urgency: "very-low" | "low" | "normal" | "high";
  /** Push services keep only the newest undelivered message per topic (≤ 32 base64url chars). */
  topic?: string;
  /** HTTPS agent (keep-alive, socket cap; tests add their CA here). */
  agent?: https.Agent;
  timeoutMs?: number;
}

const agentKey = Symbol.for("pump-portal.push-agent");

/**
 * One keep-alive agent per process: most messages go to one host (fcm.googleapis.com), and a
 * TLS handshake per message would dominate the time. maxSockets bounds the connections.
 */
export function defaultPushAgent(): https.Agent {
  const g = globalThis as Record<symbol, unknown>;
  let agent = g[agentKey] as https.Agent | undefined;
  if (!agent) {
    agent = new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 30_000 });
    g[agentKey] = agent;
  }
  return agent;
}

/** VAPID tokens live 12 h (RFC 8292 allows up to 24 h) and are renewed an hour before they end. */
const VAPID_TOKEN_SECONDS = 12 * 3600;
const VAPID_RENEW_BEFORE_MS = 3_600_000;
const vapidCacheKey = Symbol.for("pump-portal.vapid-tokens");

/**
 * The `Authorization: vapid t=…, k=…` header for a push service. Signing costs about 5 ms
 * (web-push rebuilds a PEM key with asn1.js each time) — more than encrypting the message — and
 * the token depends only on the push service's origin, so one token per origin is reused until
 * shortly before it expires, as RFC 8292 intends. Expiry is on the real clock: the push service checks it.
 */
export function vapidAuthorization(endpoint: string, vapid: VapidKeys, nowMs: number = Date.now()): string {
  const g = globalThis as Record<symbol, unknown>;
  const cache = (g[vapidCacheKey] ??= new Map<string, { header: string; renewAt: number }>()) as Map<string, { header: string; renewAt: number }>;
  const audience = new URL(endpoint).origin;
  const key = `${audience} ${vapid.publicKey} ${vapid.subject}`;
  const hit = cache.get(key);
  if (hit && hit.renewAt > nowMs) return hit.header;
  const expiration = Math.floor(nowMs / 1000) + VAPID_TOKEN_SECONDS;
  const { Authorization } = webpush.getVapidHeaders(audience, vapid.subject, vapid.publicKey, vapid.privateKey, "aes128gcm", expiration);
  if (cache.size > 100) cache.clear(); // a handful of push services in practice
  cache.set(key, { header: Authorization, renewAt: expiration * 1000 - VAPID_RENEW_BEFORE_MS });
  return Authorization;
}

/** Encrypts (RFC 8291 aes128gcm), signs (VAPID, RFC 8292) and POSTs one message. Never throws. */
export async function sendPush(target: PushTarget, payload: string, opts: SendOptions): Promise<PushResult> {
  try {
    const res = await webpush.sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
      // Signed once per push service (vapidAuthorization). No vapidDetails here, so web-push does
      // not sign again (this app never sets web-push's process-wide VAPID details).
      headers: { Authorization: vapidAuthorization(target.endpoint, opts.vapid) },
      TTL: Math.max(0, Math.floor(opts.ttlSeconds)),
      urgency: opts.urgency,
      ...(opts.topic ? { topic: opts.topic } : {}),
      agent: opts.agent ?? defaultPushAgent(),
      timeout: opts.timeoutMs ?? 15_000,
      contentEncoding: "aes128gcm",
    });
    return { statusCode: res.statusCode, headers: res.headers, message: "" };
  } catch (e) {
    if (e instanceof webpush.WebPushError) {
      // The push service's body can echo the endpoint; keep a short, bounded excerpt only.
      const body = typeof e.body === "string" ? e.body.replace(/\s+/g, " ").slice(0, 120) : "";
      return { statusCode: e.statusCode, headers: e.headers as Record<string, string | string[] | undefined>, message: body };
    }
    const err = e as NodeJS.ErrnoException;
    return { statusCode: null, message: `${err.code ?? err.name ?? "Error"}: ${String(err.message ?? e).slice(0, 160)}` };
  }
}
