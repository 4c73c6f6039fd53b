import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { AppError, fromZod, isDatabaseUnavailable } from "./errors";

export function errorResponse(e: unknown): NextResponse {
  if (e instanceof AppError) {
    return NextResponse.json(
      { error: { code: e.code, message: e.message, ...(e.fieldErrors ? { fields: e.fieldErrors } : {}) } },
      { status: e.status, headers: e.headers },
    );
  }
  if (isDatabaseUnavailable(e)) {
    return NextResponse.json(
      { error: { code: "unavailable", message: "The service is briefly unavailable. Please try again in a few seconds." } },
      { status: 503, headers: { "Retry-After": "5" } },
    );
  }
  // The user gets a plain sentence; the log gets what identifies the fault but no data: drizzle
  // puts query parameters (patient data) into its messages, so those are cut off.
  console.error("[api] unexpected error:", describeForLog(e));
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side. Nothing was changed." } }, { status: 500 });
}

export function describeForLog(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const code = (e as { code?: unknown }).code ?? (e.cause as { code?: unknown } | undefined)?.code;
  const message = e.message.split(/\bparams:/)[0]!.slice(0, 300);
  return `${e.name}${typeof code === "string" ? ` [${code}]` : ""}: ${message}`;
}

/** Wraps a route handler so every failure becomes a typed JSON error. */
export function route<C>(handler: (req: Request, ctx: C) => Promise<Response>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    try {
      return await handler(req, ctx);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Reads a JSON body with a size cap and validates it; every failure is a 4xx with a message. */
export async function readJson<T extends z.ZodType>(req: Request, schema: T, limitBytes = DEFAULT_BODY_LIMIT): Promise<z.infer<T>> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limitBytes) throw new AppError(413, "payload_too_large", `The request body is larger than ${limitBytes} bytes.`);
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) {
    throw new AppError(415, "unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");
  }
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        await reader.cancel();
        throw new AppError(413, "payload_too_large", `The request body is larger than ${limitBytes} bytes.`);
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AppError(400, "bad_request:json", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

export function parseParam<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError(400, "bad_request:param", `The ${what} in the address is not valid.`);
  return parsed.data;
}
