import { createHash, timingSafeEqual } from "node:crypto";

export type TickAuth = { ok: true } | { ok: false; status: 401 | 503; message: string };

export interface TickRequestFacts {
  authorization: string | null;
  /** x-forwarded-for as Next passes it (the socket address when no proxy set it). */
  forwardedFor: string | null;
  host: string | null;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

function isLoopbackAddress(value: string | null): boolean {
  if (!value) return false;
  const first = value.split(",")[0]?.trim() ?? "";
  return LOOPBACK.test(first);
}

function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase();
  return name === "localhost" || LOOPBACK.test(name);
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/**
 * Who may run the tick. With CRON_SECRET set (always in production: Vercel Cron sends
 * `Authorization: Bearer $CRON_SECRET`), only a caller with the secret. Without it — a local or
 * development server — only requests made on this machine. The loopback check relies on
 * headers a remote client could forge, which is acceptable only because a tick does nothing a
 * scheduled tick would not; any server reachable from a network must set CRON_SECRET.
 */
export function authorizeTick(req: TickRequestFacts, env: NodeJS.ProcessEnv = process.env): TickAuth {
  const secret = env.CRON_SECRET?.trim();
  if (secret) {
    const match = /^Bearer\s+(.+)$/i.exec(req.authorization ?? "");
    if (match?.[1] && sameSecret(match[1].trim(), secret)) return { ok: true };
    return { ok: false, status: 401, message: "The tick needs the scheduler's bearer token (CRON_SECRET)." };
  }
  if (env.VERCEL) {
    return { ok: false, status: 503, message: "CRON_SECRET is not set. Set it in the project's environment variables so Vercel Cron can run the tick." };
  }
  if (isLoopbackAddress(req.forwardedFor) && isLoopbackHost(req.host)) return { ok: true };
  return { ok: false, status: 401, message: "Without CRON_SECRET the tick only runs for requests made on this machine (127.0.0.1)." };
}
