import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import { dummyPasswordHash, verifyPassword } from "./password";
import { emailKey, withSignInLimit } from "./rate-limit";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your e-mail address.").max(254, "That e-mail address is too long.").email("Enter a valid e-mail address."),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
});

export type SignInResult = { kind: "ok"; user: { id: string; email: string; name: string } } | { kind: "failed" } | { kind: "rate_limited" } | { kind: "invalid" };

/** Checks e-mail + password with the Postgres rate limit. Says nothing about whether the account exists. */
export async function checkCredentials(db: Db, input: unknown, ip: string | null, now = new Date()): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { kind: "invalid" };
  const { email, password } = parsed.data;
  const outcome = await withSignInLimit(
    db,
    email,
    ip,
    async (tx) => {
      const [user] = await tx.select().from(users).where(eq(users.email, emailKey(email))).limit(1);
      if (!user || user.disabledAt) {
        await verifyPassword(await dummyPasswordHash(), password);
        return null;
      }
      return (await verifyPassword(user.passwordHash, password)) ? { id: user.id, email: user.email, name: user.name } : null;
    },
    now,
  );
  if (outcome.kind === "ok") return { kind: "ok", user: outcome.value };
  return outcome;
}
