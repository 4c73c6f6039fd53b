/**
 * Who sent this request, from the session cookie, cheaply.
 *
 * Auth.js's `auth()` decrypts the session JWT (HKDF key derivation + AES-CBC/HMAC) and then
 * re-encrypts a fresh one on EVERY call (to slide the expiry) — about half the CPU of a
 * status request in the benchmark. The identity in a given token string never changes, so this
 * module decodes each token once (with Auth.js's own `decode`, same secret and salt), remembers
 * `sub` and `exp` for that exact string, and re-checks `exp` against the clock on every use.
 *
 * Sliding sessions keep working as `updateAge` intends: once a token is older than UPDATE_AGE
 * the caller goes through `auth()` again, which issues a renewed cookie where the response can
 * set one (route handlers, server actions). Anything unusual (chunked or malformed cookie,
 * unknown secret, decode failure) also goes through `auth()`, so behaviour is never looser than
 * Auth.js's. A disabled user is still refused at once: the actor is re-read from the database on
 * every request (lib/auth/guard.ts).
 */
import { decode } from "next-auth/jwt";

/** Auth.js's cookie names for the session token (https and plain http). */
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;
/** Renew the cookie (via `auth()`) once the token is older than this, like Auth.js's `updateAge`. */
export const UPDATE_AGE_SECONDS = 15 * 60;
const MAX_ENTRIES = 10_000;

export type SessionLookup =
  | { readonly kind: "anonymous" }
  | { readonly kind: "user"; readonly userId: string }
  /** Let Auth.js decide (renewal due, unusual cookie, or a token this module will not vouch for). */
  | { readonly kind: "defer" };

interface Entry {
  readonly userId: string;
  readonly exp: number;
  readonly iat: number;
}

const decoded = new Map<string, Entry>();

export interface CookieReader {
  get(name: string): { value: string } | undefined;
  getAll(): { name: string }[];
}

/** Reads the session from the request's cookies; `secret` is AUTH_SECRET. */
export async function lookupSession(cookies: CookieReader, secret: string | undefined, nowMs = Date.now()): Promise<SessionLookup> {
  const all = cookies.getAll();
  const present = SESSION_COOKIE_NAMES.filter((name) => cookies.get(name) !== undefined);
  const chunked = all.some((c) => SESSION_COOKIE_NAMES.some((name) => c.name.startsWith(`${name}.`)));
  if (chunked || present.length > 1 || !secret) return { kind: "defer" };
  if (present.length === 0) return { kind: "anonymous" };
  const name = present[0]!;
  const token = cookies.get(name)!.value;
  const key = `${name}\u0000${token}`;
  let entry = decoded.get(key);
  if (entry === undefined) {
    try {
      const payload = await decode({ token, secret, salt: name });
      if (!payload || typeof payload.sub !== "string" || typeof payload.exp !== "number" || typeof payload.iat !== "number") return { kind: "defer" };
      entry = { userId: payload.sub, exp: payload.exp, iat: payload.iat };
    } catch {
      return { kind: "defer" };
    }
    if (decoded.size >= MAX_ENTRIES) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, entry);
  }
  const now = nowMs / 1000;
  if (entry.exp <= now) {
    decoded.delete(key);
    return { kind: "defer" };
  }
  if (now - entry.iat >= UPDATE_AGE_SECONDS) return { kind: "defer" };
  return { kind: "user", userId: entry.userId };
}

/** For tests. */
export function forgetDecodedSessions(): void {
  decoded.clear();
}
