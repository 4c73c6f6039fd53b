import { z } from "zod";

const envSchema = z.object({
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters (generate one with `openssl rand -base64 33`).").optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL.").optional(),
  POSTGRES_URL: z.string().regex(/^postgres(ql)?:\/\//, "POSTGRES_URL must be a postgres:// URL.").optional(),
});

/**
 * Validated at server start (instrumentation.ts). A production server refuses to start without
 * its secrets; the local start script generates development ones under .data/ instead.
 */
export function validateServerEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  const parsed = envSchema.safeParse({
    AUTH_SECRET: env.AUTH_SECRET || undefined,
    DATABASE_URL: env.DATABASE_URL || undefined,
    POSTGRES_URL: env.POSTGRES_URL || undefined,
  });
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(issue.message);
  if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
    problems.push("AUTH_SECRET is not set. A production server needs it (the local `npm start` generates one under .data/).");
  }
  if (env.VERCEL && !env.POSTGRES_URL && !env.DATABASE_URL) {
    problems.push("On Vercel, connect a Postgres database (POSTGRES_URL): the embedded database needs a writable disk.");
  }
  return problems;
}
