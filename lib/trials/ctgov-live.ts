/**
 * Pages through the live ClinicalTrials.gov API v2 (`GET /api/v2/studies`), for the importer's
 * `--live` mode. Each page is a `{"studies": [...], "nextPageToken": "..."}` object, the same
 * shape as a saved file, so pages go through the same import path.
 *
 * The fetch function is passed in: tests page through a fake API, and nothing here assumes
 * the network is reachable (on this project's build machines it is not).
 */
export const CTGOV_API_BASE = "https://clinicaltrials.gov/api/v2/studies";

export class LiveApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LiveApiError";
  }
}

export interface LiveOptions {
  /** Query parameters as the API documents them, e.g. `query.cond`, `filter.overallStatus`. */
  readonly params: Readonly<Record<string, string>>;
  readonly maxPages: number;
  readonly fetchImpl?: typeof fetch;
  readonly baseUrl?: string;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
}

/** The URL of one page. `format=json` and a page size are always set; our params win otherwise. */
export function pageUrl(base: string, params: Readonly<Record<string, string>>, pageToken: string | null): string {
  const url = new URL(base);
  url.searchParams.set("format", "json");
  url.searchParams.set("pageSize", "100");
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (pageToken !== null) url.searchParams.set("pageToken", pageToken);
  return url.toString();
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    const code = typeof cause === "object" && cause !== null && "code" in cause ? String((cause as { code: unknown }).code) : null;
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

/**
 * Yields one page after another until the API stops returning `nextPageToken` or `maxPages`
 * pages have been read.
 * @throws LiveApiError with a sentence a person can act on (network down, HTTP error, not JSON).
 */
export async function* fetchStudyPages(opts: LiveOptions): AsyncGenerator<{ page: number; body: unknown; url: string }> {
  const doFetch = opts.fetchImpl ?? fetch;
  const base = opts.baseUrl ?? CTGOV_API_BASE;
  let token: string | null = null;
  for (let page = 1; page <= opts.maxPages; page++) {
    const url = pageUrl(base, opts.params, token);
    let res: Response;
    try {
      res = await doFetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
    } catch (e) {
      throw new LiveApiError(
        `Could not reach ClinicalTrials.gov (${new URL(base).host}): ${describe(e)}. ` +
          "This machine may be offline. Download the studies as JSON elsewhere and import the file instead: npm run trials:import -- <file.json>",
      );
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => "")).slice(0, 300);
      throw new LiveApiError(`ClinicalTrials.gov answered HTTP ${res.status} for ${url}${detail ? `: ${detail}` : ""}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new LiveApiError(`ClinicalTrials.gov sent something that is not JSON for ${url}.`);
    }
    yield { page, body, url };
    const next = typeof body === "object" && body !== null ? (body as Record<string, unknown>).nextPageToken : undefined;
    if (typeof next !== "string" || next === "") return;
    token = next;
  }
}
