import { describe, expect, it } from "vitest";
import { selectedDriver } from "@/db/client";
import { validateServerEnv } from "@/lib/env";

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;

describe("environment", () => {
  it("selects the driver: POSTGRES_URL → Vercel, DATABASE_URL → pg, neither → PGlite", () => {
    expect(selectedDriver(env({ POSTGRES_URL: "postgres://x", DATABASE_URL: "postgres://y" }))).toBe("vercel-postgres");
    expect(selectedDriver(env({ DATABASE_URL: "postgres://y" }))).toBe("node-postgres");
    expect(selectedDriver(env({}))).toBe("pglite");
  });

  it("production refuses to start without AUTH_SECRET, with a clear reason", () => {
    expect(validateServerEnv(env({ NODE_ENV: "production" })).join(" ")).toMatch(/AUTH_SECRET is not set/);
    expect(validateServerEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(40) })).toEqual([]);
    expect(validateServerEnv(env({ NODE_ENV: "development" }))).toEqual([]);
  });

  it("rejects short secrets, bad URLs and the embedded DB on Vercel", () => {
    expect(validateServerEnv(env({ NODE_ENV: "production", AUTH_SECRET: "short" })).join(" ")).toMatch(/at least 32/);
    expect(validateServerEnv(env({ NODE_ENV: "development", DATABASE_URL: "mysql://x" })).join(" ")).toMatch(/postgres/);
    expect(validateServerEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), VERCEL: "1" }).join(" ")).toMatch(/POSTGRES_URL/);
  });
});
