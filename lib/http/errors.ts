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

const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P02", "57P03", "53300", "08006", "08001", "08003"]);

/** Database unreachable or restarting: the client should retry shortly, not see a 500. */
export function isDatabaseUnavailable(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const err = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof err.code === "string" && UNAVAILABLE_CODES.has(err.code)) return true;
    if (typeof err.message === "string" && /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(err.message)) return true;
    cur = err.cause;
  }
  return false;
}
