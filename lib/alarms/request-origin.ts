import { AppError } from "@/lib/http/errors";

/**
 * Refuses state-changing requests that another site's page started. The session cookie is
 * SameSite=Lax (not sent on cross-site POSTs), and JSON bodies need a CORS preflight; this check
 * covers the acknowledge endpoint, which takes no body so that the service worker can call it.
 */
export function assertSameOrigin(req: Request): void {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError(403, "forbidden:origin", "This request came from another site and was refused.");
  }
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError(403, "forbidden:origin", "This request came from another site and was refused.");
  }
  if (!host || originHost !== host) throw new AppError(403, "forbidden:origin", "This request came from another site and was refused.");
}
