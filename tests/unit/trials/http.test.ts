import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/http/errors";
import { requireActiveConsent, writeWithoutPhiInLogs } from "@/lib/trials/http";

afterEach(() => vi.restoreAllMocks());

describe("writes that carry answers", () => {
  it("log only the error's name and SQLSTATE, never the query parameters", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const failure = Object.assign(new Error("Failed query: insert into trial_intakes …\nparams: Ann Lee,1980-02-03,ann@example.test"), {
      name: "DrizzleQueryError",
      cause: { code: "22P05" },
    });
    const err = await writeWithoutPhiInLogs("storing an intake", () => Promise.reject(failure)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 500, message: expect.stringContaining("Nothing was saved") });
    const logged = log.mock.calls.flat().join(" ");
    expect(logged).toContain("DrizzleQueryError (SQLSTATE 22P05)");
    expect(logged).not.toMatch(/Ann Lee|1980-02-03|ann@example/);
  });

  it("passes typed errors and 'database unavailable' through unchanged", async () => {
    const typed = new AppError(409, "conflict:x", "x");
    await expect(writeWithoutPhiInLogs("x", () => Promise.reject(typed))).rejects.toBe(typed);
    const down = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    await expect(writeWithoutPhiInLogs("x", () => Promise.reject(down))).rejects.toBe(down);
    await expect(writeWithoutPhiInLogs("x", () => Promise.resolve(7))).resolves.toBe(7);
  });
});

describe("sharing needs an active consent", () => {
  it("refuses a missing consent", () => {
    expect(() => requireActiveConsent(null)).toThrow(expect.objectContaining({ status: 409 }));
  });
});
