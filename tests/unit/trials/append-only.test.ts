import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every source file under the trial-matching folders. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

describe("trial consents are append-only", () => {
  it("no code path updates or deletes a consent row", () => {
    const root = path.resolve(__dirname, "../../..");
    const files = [...sources(path.join(root, "lib/trials")), ...sources(path.join(root, "app/trials")), ...sources(path.join(root, "app/api/trials")), path.join(root, "scripts/trials-import.ts")];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect({ f, hit: /\.(update|delete)\(\s*trialConsents\b/.test(text) || /(update|delete\s+from)\s+"?trial_consents"?/i.test(text) }).toEqual({ f, hit: false });
    }
  });
});
