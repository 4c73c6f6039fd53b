import type { ZodError } from "zod";

/** Typed application error: `code` is stable for clients, `message` is a sentence for people. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const unauthenticated = () => new AppError(401, "unauthenticated", "Please sign in to continue.");
export const forbidden = (what = "this") =>
  new AppError(403, "forbidden", `You do not have access to ${what}.`);
export const notFound = (what = "That item") => new AppError(404, "not_found", `${what} was not found.`);
export const badRequest = (code: string, message: string, fieldErrors?: Record<string, string>) =>
  new AppError(400, `bad_request:${code}`, message, fieldErrors);

/** One message per field, in the words of the schema, for showing next to each field. */
export function zodFieldErrors(error: ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export function fromZod(error: ZodError, what = "request"): AppError {
  const fieldErrors = zodFieldErrors(error);
  const first = Object.entries(fieldErrors)[0];
  const message = first ? `Invalid ${what}: ${first[0] === "_form" ? "" : `${first[0]}: `}${first[1]}` : `Invalid ${what}.`;
  return new AppError(400, "bad_request:validation", message, fieldErrors);
}

/**
 * What node-postgres (and the socket under it) throws while PostgreSQL is down or restarting:
 * refused/reset/timed-out sockets, the server's own "shutting down / starting up / terminated by
 * administrator" errors (SQLSTATE class 57P), connection-exception class 08, too many connections.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTCONN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "53300", // too_many_connections
  "57P01", // admin_shutdown (the server was stopped while the connection was open)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up / shutting down / in recovery)
  "57P05", // idle_session_timeout
]);
/** SQLSTATE class 08: connection exception (08000, 08001, 08003, 08004, 08006, 08P01 …). */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client was closed and is not queryable|Client has encountered a connection error|Connection ended unexpectedly|terminating connection due to administrator command|the database system is (?:starting up|shutting down|in recovery mode)/i;

/** Database unreachable or restarting: the client should retry shortly, not see a 500. */
export function isDatabaseUnavailable(e: unknown): boolean {
  // Walks the cause chain (drizzle wraps the driver's error as `cause`) and AggregateError's
  // `errors` (Node's dual-stack connect reports one error per address).
  const queue: unknown[] = [e];
  for (let seen = 0; queue.length && seen < 12; seen++) {
    const cur = queue.shift();
    if (!cur || typeof cur !== "object") continue;
    const err = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof err.code === "string" && (UNAVAILABLE_CODES.has(err.code) || CONNECTION_EXCEPTION.test(err.code))) return true;
    if (typeof err.message === "string" && UNAVAILABLE_MESSAGE.test(err.message)) return true;
    if (err.cause) queue.push(err.cause);
    if (Array.isArray(err.errors)) queue.push(...err.errors.slice(0, 4));
  }
  return false;
}
