import { encode } from "next-auth/jwt";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetDecodedSessions, lookupSession, UPDATE_AGE_SECONDS, type CookieReader } from "@/lib/auth/session-token";

const SECRET = "unit-test-secret-0123456789abcdef0123456789";
const NAME = "authjs.session-token";
const USER = "3f0c2a9e-8d1b-4c5e-9a7f-123456789abc";

function jar(cookies: Record<string, string>): CookieReader {
  return {
    get: (name) => (name in cookies ? { value: cookies[name]! } : undefined),
    getAll: () => Object.keys(cookies).map((name) => ({ name })),
  };
}

async function token(opts: { sub?: string; salt?: string; secret?: string; maxAge?: number } = {}) {
  return encode({ token: { sub: opts.sub ?? USER }, secret: opts.secret ?? SECRET, salt: opts.salt ?? NAME, maxAge: opts.maxAge ?? 12 * 3600 });
}

describe("session lookup from the cookie (decoded once per token, never looser than Auth.js)", () => {
  beforeEach(() => forgetDecodedSessions());

  it("no session cookie → anonymous", async () => {
    expect(await lookupSession(jar({ other: "x" }), SECRET)).toEqual({ kind: "anonymous" });
  });

  it("a valid fresh token → its user, the same on a second (cached) use", async () => {
    const t = await token();
    expect(await lookupSession(jar({ [NAME]: t }), SECRET)).toEqual({ kind: "user", userId: USER });
    expect(await lookupSession(jar({ [NAME]: t }), SECRET)).toEqual({ kind: "user", userId: USER });
  });

  it("the https cookie name is its own salt: a token minted for one name does not pass under the other", async () => {
    const secureName = "__Secure-authjs.session-token";
    const t = await token({ salt: secureName });
    expect(await lookupSession(jar({ [secureName]: t }), SECRET)).toEqual({ kind: "user", userId: USER });
    expect(await lookupSession(jar({ [NAME]: t }), SECRET)).toEqual({ kind: "defer" });
  });

  it("a tampered token, a token for another secret, or garbage → Auth.js decides (which refuses)", async () => {
    const t = await token();
    const tampered = t.slice(0, -4) + (t.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(await lookupSession(jar({ [NAME]: tampered }), SECRET)).toEqual({ kind: "defer" });
    expect(await lookupSession(jar({ [NAME]: await token({ secret: "another-secret-0123456789abcdef0123456789" }) }), SECRET)).toEqual({ kind: "defer" });
    expect(await lookupSession(jar({ [NAME]: "not-a-jwt" }), SECRET)).toEqual({ kind: "defer" });
  });

  it("an expired token is never accepted, even after it was cached while valid", async () => {
    const t = await token({ maxAge: 60 });
    const issuedAt = Date.now();
    expect(await lookupSession(jar({ [NAME]: t }), SECRET, issuedAt)).toEqual({ kind: "user", userId: USER });
    expect(await lookupSession(jar({ [NAME]: t }), SECRET, issuedAt + 61_000)).toEqual({ kind: "defer" });
  });

  it("a token older than updateAge goes through Auth.js, which renews the cookie", async () => {
    const t = await token();
    const issuedAt = Date.now();
    expect(await lookupSession(jar({ [NAME]: t }), SECRET, issuedAt + (UPDATE_AGE_SECONDS - 5) * 1000)).toEqual({ kind: "user", userId: USER });
    expect(await lookupSession(jar({ [NAME]: t }), SECRET, issuedAt + (UPDATE_AGE_SECONDS + 1) * 1000)).toEqual({ kind: "defer" });
  });

  it("unusual cookies (chunked, both names, no secret configured) → Auth.js decides", async () => {
    const t = await token();
    expect(await lookupSession(jar({ [`${NAME}.0`]: t.slice(0, 10), [`${NAME}.1`]: t.slice(10) }), SECRET)).toEqual({ kind: "defer" });
    expect(await lookupSession(jar({ [NAME]: t, "__Secure-authjs.session-token": t }), SECRET)).toEqual({ kind: "defer" });
    expect(await lookupSession(jar({ [NAME]: t }), undefined)).toEqual({ kind: "defer" });
  });

  it("a token without a subject is not vouched for", async () => {
    const t = await encode({ token: { name: "x" }, secret: SECRET, salt: NAME });
    expect(await lookupSession(jar({ [NAME]: t }), SECRET)).toEqual({ kind: "defer" });
  });
});
