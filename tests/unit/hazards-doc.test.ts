import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every control in docs/hazards.md names the test that proves it; those tests must exist.
const doc = fs.readFileSync(path.join(process.cwd(), "docs", "hazards.md"), "utf8");
const refs = [...doc.matchAll(/`(tests\/[^`]+)` › "([^"]+)"/g)].map((m) => ({ file: m[1]!, title: m[2]! }));

describe("hazard table", () => {
  it("names at least one test for each of the eleven hazards", () => {
    const rows = doc.split("\n").filter((l) => /^\| H\d+ /.test(l));
    expect(rows).toHaveLength(11);
    for (const row of rows) expect(row, row.slice(0, 40)).toMatch(/`tests\/[^`]+` › "/);
  });

  it.each(refs.map((r) => [r.file, r.title] as const))("%s › %s exists", (file, title) => {
    const full = path.join(process.cwd(), file);
    expect(fs.existsSync(full), `${file} is missing`).toBe(true);
    const src = fs.readFileSync(full, "utf8");
    const escaped = JSON.stringify(title).slice(1, -1);
    expect(src.includes(`"${escaped}"`) || src.includes(`'${title}'`) || src.includes(`\`${title}\``), `no test titled "${title}" in ${file}`).toBe(true);
  });
});
