import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trials } from "@/db/schema";
import { loadCatalogue } from "@/lib/trials/catalogue";
import { importStudies, seedTrialCatalogue } from "@/lib/trials/import";
import { freshDb, testDrivers, type TestDb } from "../support/db";
import { loadSampleJson, rawStudy } from "../unit/trials/fixtures";

describe.each(testDrivers)("trial catalogue import on %s", (driver) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await freshDb(driver);
  });
  afterAll(async () => h?.destroy());

  const snapshot = () => h.db.select().from(trials).orderBy(asc(trials.nctId));

  it("seeds the sample catalogue, and importing the same catalogue twice changes nothing", async () => {
    const first = await seedTrialCatalogue(h.db, new Date("2026-11-25T10:00:00Z"));
    expect(first).toMatchObject({ studies: 17, inserted: 17, updated: 0, unchanged: 0, errors: [] });
    const before = await snapshot();
    expect(before).toHaveLength(17);
    // The study is kept exactly as imported.
    const sample = loadSampleJson() as { studies: unknown[] };
    expect(before[0]!.study).toEqual(sample.studies[0]);

    const again = await importStudies(h.db, JSON.stringify(sample), new Date("2026-11-26T10:00:00Z"));
    expect(again).toMatchObject({ studies: 17, inserted: 0, updated: 0, unchanged: 17 });
    // Not even importedAt moves.
    expect(await snapshot()).toEqual(before);
    expect((await loadCatalogue(h.db)).map((t) => t.nctId)).toHaveLength(17);
  });

  it("lets a newer lastUpdatePostDate win and ignores an older one", async () => {
    const id = "NCT09000101";
    const newer = rawStudy(id, {
      identificationModule: { nctId: id, briefTitle: "Updated title" },
      statusModule: { overallStatus: "ACTIVE_NOT_RECRUITING", lastUpdatePostDateStruct: { date: "2026-06-01", type: "ACTUAL" } },
    });
    const r1 = await importStudies(h.db, { studies: [newer] }, new Date("2026-11-27T10:00:00Z"));
    expect(r1).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const [row] = await h.db.select().from(trials).where(eq(trials.nctId, id));
    expect(row).toMatchObject({ title: "Updated title", overallStatus: "ACTIVE_NOT_RECRUITING", lastUpdatePostDate: "2026-06-01" });

    const older = rawStudy(id, { identificationModule: { nctId: id, briefTitle: "Stale title" }, statusModule: { overallStatus: "RECRUITING", lastUpdatePostDateStruct: { date: "2025-01-01" } } });
    expect(await importStudies(h.db, { studies: [older] })).toMatchObject({ updated: 0, unchanged: 1 });
    const [still] = await h.db.select().from(trials).where(eq(trials.nctId, id));
    expect(still?.title).toBe("Updated title");

    // Re-importing the sample (older date for this study) leaves the newer record.
    await seedTrialCatalogue(h.db);
    const [after] = await h.db.select().from(trials).where(eq(trials.nctId, id));
    expect(after?.title).toBe("Updated title");
  });

  it("keeps the newer of two copies in one file, stores YYYY-MM dates, and reports bad studies without blocking good ones", async () => {
    const id = "NCT09999901";
    const file = {
      studies: [
        rawStudy(id, { identificationModule: { nctId: id, briefTitle: "Copy A" }, statusModule: { overallStatus: "RECRUITING", lastUpdatePostDateStruct: { date: "2026-03" } } }),
        rawStudy(id, { identificationModule: { nctId: id, briefTitle: "Copy B" }, statusModule: { overallStatus: "RECRUITING", lastUpdatePostDateStruct: { date: "2026-02-10" } } }),
        { protocolSection: { identificationModule: { nctId: "NCT00000000" } } },
      ],
    };
    const r = await importStudies(h.db, file);
    expect(r).toMatchObject({ studies: 1, inserted: 1 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.nctId).toBe("NCT00000000");
    const [row] = await h.db.select().from(trials).where(eq(trials.nctId, id));
    expect(row).toMatchObject({ title: "Copy A", lastUpdatePostDate: "2026-03-01" });
  });

  it("imports nothing from a file that is not a studies file", async () => {
    const r = await importStudies(h.db, "{not json");
    expect(r).toMatchObject({ studies: 0, inserted: 0 });
    expect(r.errors[0]?.code).toBe("invalid_file");
  });

  it("converges when two imports run at once", async () => {
    const id = "NCT09999902";
    const mk = (date: string, title: string) => ({ studies: [rawStudy(id, { identificationModule: { nctId: id, briefTitle: title }, statusModule: { overallStatus: "RECRUITING", lastUpdatePostDateStruct: { date } } })] });
    await Promise.all([importStudies(h.db, mk("2026-01-01", "Old")), importStudies(h.db, mk("2026-05-01", "New")), importStudies(h.db, mk("2026-03-01", "Mid"))]);
    const [row] = await h.db.select().from(trials).where(eq(trials.nctId, id));
    expect(row?.title).toBe("New");
  });
});
