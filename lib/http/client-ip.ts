/**
 * The client's address for per-network rate limits. Each proxy in front of the app appends the
 * address it received from to X-Forwarded-For, so only the entries added by proxies we trust are
 * believable: the client is the TRUSTED_PROXY_HOPS-th entry from the right (default 1: one proxy,
 * e.g. Vercel's edge, which overwrites the header with the single real address, or one nginx with
 * `proxy_add_x_forwarded_for`). Entries further left are whatever the client sent and are ignored.
 * `next start` without a proxy sets the header to the socket address when the client sent none;
 * a server reachable without a proxy cannot tell a forged header from a real one (docs/reliability.md).
 */
export function clientIp(headers: Headers, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const hops = Math.max(1, Math.trunc(Number(env.TRUSTED_PROXY_HOPS ?? 1)) || 1);
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = entries.length ? entries[Math.max(0, entries.length - hops)] : headers.get("x-real-ip")?.trim();
  return ip ? ip.slice(0, 64) : null;
}
