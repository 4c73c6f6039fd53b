/**
 * Which push endpoints the server will POST to. A subscription's endpoint comes from the
 * browser, so without a list anyone signed in could make the server send requests to any
 * address (server-side request forgery). The defaults are the browsers' push services;
 * PUSH_ENDPOINT_HOSTS replaces them (comma-separated host names, "*.example.com" for a domain
 * and its sub-domains, optional ":port"), e.g. for a self-hosted push service or a test endpoint.
 */

export const DEFAULT_PUSH_HOSTS = [
  "fcm.googleapis.com", // Chrome, Edge on Android, Samsung Internet, Opera
  "*.push.services.mozilla.com", // Firefox
  "updates.push.services.mozilla.com",
  "*.notify.windows.com", // Edge on Windows
  "web.push.apple.com", // Safari
  "*.push.apple.com",
] as const;

export function allowedPushHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.PUSH_ENDPOINT_HOSTS?.trim();
  if (!raw) return [...DEFAULT_PUSH_HOSTS];
  return raw
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

function hostMatches(pattern: string, host: string, port: string): boolean {
  const [pHost, pPort] = pattern.split(/:(?=\d+$)/) as [string, string | undefined];
  if (pPort !== undefined && pPort !== port) return false;
  if (pPort === undefined && port !== "" && port !== "443") return false;
  if (pHost.startsWith("*.")) return host.endsWith(pHost.slice(1)) && host.length > pHost.length - 1;
  return host === pHost;
}

/** A problem sentence, or null when the server may send to this endpoint. */
export function pushEndpointProblem(endpoint: string, allowed: readonly string[] = allowedPushHosts()): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "The push endpoint is not a valid address.";
  }
  if (url.protocol !== "https:") return "The push endpoint must use HTTPS.";
  if (url.username || url.password) return "The push endpoint must not contain credentials.";
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (!allowed.some((p) => hostMatches(p, host, url.port))) {
    return "This browser's push service is not one this server sends to. Try Chrome, Edge, Firefox or Safari.";
  }
  return null;
}
