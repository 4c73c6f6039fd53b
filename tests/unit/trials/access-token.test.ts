import { describe, expect, it } from "vitest";
import { accessTokenMatches, hashAccessToken, intakeCookieName, intakeCookiePaths, isAccessTokenShape, newAccessToken, tokenFromHeaders } from "@/lib/trials/access";

const ID = "0d4f7c1e-3b2a-4c5d-8e9f-0123456789ab";

describe("intake access tokens", () => {
  it("are 256-bit, URL-safe, unique, and only their SHA-256 is kept", () => {
    const a = newAccessToken();
    const b = newAccessToken();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(hashAccessToken(a.token));
    expect(a.hash).not.toContain(a.token);
  });

  it("match only the token they were made from", () => {
    const { token, hash } = newAccessToken();
    expect(accessTokenMatches(token, hash)).toBe(true);
    expect(accessTokenMatches(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, hash)).toBe(false);
    expect(accessTokenMatches("short", hash)).toBe(false);
    expect(accessTokenMatches(token, "not-hex")).toBe(false);
    expect(isAccessTokenShape(token)).toBe(true);
  });

  it("come from a Bearer header, else from the intake's own cookie", () => {
    const { token } = newAccessToken();
    expect(tokenFromHeaders(new Headers({ authorization: `Bearer ${token}` }), ID)).toBe(token);
    expect(tokenFromHeaders(new Headers({ cookie: `other=1; ${intakeCookieName(ID)}=${token}; x=y` }), ID)).toBe(token);
    expect(tokenFromHeaders(new Headers({ cookie: `${intakeCookieName("11111111-2222-4333-8444-555555555555")}=${token}` }), ID)).toBeNull();
    expect(tokenFromHeaders(new Headers(), ID)).toBeNull();
  });

  it("are scoped to the intake's page and API paths", () => {
    expect(intakeCookiePaths(ID)).toEqual([`/trials/intake/${ID}`, `/api/trials/intake/${ID}`]);
    expect(intakeCookieName(ID)).toMatch(/^pp_trial_[0-9a-f]{32}$/);
  });
});
