import { describe, expect, it } from "vitest";
import { LiveApiError, fetchStudyPages, pageUrl } from "@/lib/trials/ctgov-live";

function fakeApi(pages: Record<string, { studies: unknown[]; nextPageToken?: string }>) {
  const seen: string[] = [];
  const impl = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    seen.push(url.toString());
    const page = pages[url.searchParams.get("pageToken") ?? "first"];
    return page ? new Response(JSON.stringify(page), { status: 200, headers: { "content-type": "application/json" } }) : new Response("no such page", { status: 400 });
  }) as typeof fetch;
  return { impl, seen };
}

async function collect(gen: AsyncGenerator<{ body: unknown }>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const p of gen) out.push(p.body);
  return out;
}

describe("paging the live ClinicalTrials.gov API", () => {
  it("builds the v2 URL with our parameters", () => {
    const u = new URL(pageUrl("https://clinicaltrials.gov/api/v2/studies", { "query.cond": "lung cancer", pageSize: "20" }, "tok"));
    expect(u.searchParams.get("format")).toBe("json");
    expect(u.searchParams.get("query.cond")).toBe("lung cancer");
    expect(u.searchParams.get("pageSize")).toBe("20");
    expect(u.searchParams.get("pageToken")).toBe("tok");
  });

  it("follows nextPageToken until the last page", async () => {
    const { impl, seen } = fakeApi({ first: { studies: [1], nextPageToken: "p2" }, p2: { studies: [2], nextPageToken: "p3" }, p3: { studies: [3] } });
    const bodies = await collect(fetchStudyPages({ params: {}, maxPages: 10, fetchImpl: impl }));
    expect(bodies).toHaveLength(3);
    expect(seen.map((s) => new URL(s).searchParams.get("pageToken"))).toEqual([null, "p2", "p3"]);
  });

  it("stops at maxPages", async () => {
    const { impl } = fakeApi({ first: { studies: [1], nextPageToken: "p2" }, p2: { studies: [2], nextPageToken: "p3" } });
    expect(await collect(fetchStudyPages({ params: {}, maxPages: 1, fetchImpl: impl }))).toHaveLength(1);
  });

  it("explains an unreachable API in words a person can act on", async () => {
    const offline = (async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND clinicaltrials.gov"), { code: "ENOTFOUND" }) });
    }) as typeof fetch;
    const err = await collect(fetchStudyPages({ params: {}, maxPages: 1, fetchImpl: offline })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveApiError);
    expect((err as Error).message).toMatch(/Could not reach ClinicalTrials.gov .*ENOTFOUND.*import the file instead/);
  });

  it("reports HTTP errors with the status", async () => {
    const { impl } = fakeApi({ first: { studies: [], nextPageToken: "missing" } });
    await expect(collect(fetchStudyPages({ params: {}, maxPages: 3, fetchImpl: impl }))).rejects.toThrow(/HTTP 400/);
  });
});
