"use server";
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { signIn } from "@/lib/auth/auth";
import { currentActor } from "@/lib/auth/guard";
import { acceptInvite, signUpCaregiverWithInvite } from "@/lib/care-links/mutations";
import { caregiverSignUpSchema, inviteCodeSchema } from "@/lib/care-links/schemas";
import { isUniqueViolation } from "@/lib/http/db-errors";
import { AppError, zodFieldErrors } from "@/lib/http/errors";

export interface InviteAcceptState {
  message?: string;
  fields?: Record<string, string>;
  values?: Record<string, string>;
}

const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

export async function acceptInviteAction(_prev: InviteAcceptState, formData: FormData): Promise<InviteAcceptState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const db = await getDb();
  const actor = await currentActor(db);
  if (!actor) return { message: "Please sign in first." };
  const parsed = inviteCodeSchema.safeParse(formData.get("code"));
  if (!parsed.success) return { fields: { code: parsed.error.issues[0]?.message ?? "Enter the invite code." }, values: { code: str(formData.get("code")) } };
  try {
    await acceptInvite(db, actor.userId, parsed.data);
  } catch (e) {
    if (e instanceof AppError) return { message: e.message, fields: e.fieldErrors, values: { code: parsed.data } };
    throw e;
  }
  redirect("/caregiver");
}

export async function signUpWithInviteAction(_prev: InviteAcceptState, formData: FormData): Promise<InviteAcceptState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const values = { code: str(formData.get("code")), name: str(formData.get("name")), email: str(formData.get("email")) };
  const parsed = caregiverSignUpSchema.safeParse({ ...values, password: formData.get("password") });
  if (!parsed.success) return { fields: zodFieldErrors(parsed.error), values };
  const db = await getDb();
  try {
    await signUpCaregiverWithInvite(db, parsed.data);
  } catch (e) {
    if (e instanceof AppError) return { message: e.message, fields: e.fieldErrors, values };
    if (isUniqueViolation(e)) return { fields: { email: "An account with this e-mail already exists. Sign in first, then enter the invite code." }, values };
    throw e;
  }
  try {
    await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/caregiver" });
  } catch (e) {
    if (e instanceof AuthError) redirect("/sign-in");
    throw e;
  }
  return {};
}
