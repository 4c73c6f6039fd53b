"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { currentActor, ownPatientId } from "@/lib/auth/guard";
import { createInvite, revokeLink } from "@/lib/care-links/mutations";
import { inviteSchema } from "@/lib/care-links/schemas";
import { AppError, zodFieldErrors } from "@/lib/http/errors";

export interface InviteState {
  code?: string;
  expiresAt?: string;
  label?: string;
  message?: string;
  fields?: Record<string, string>;
}

export async function createInviteAction(_prev: InviteState, formData: FormData): Promise<InviteState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const db = await getDb();
  // Signed out (e.g. the session expired while the page was open): a message, not a server error.
  const actor = await currentActor(db);
  if (!actor) return { message: "Please sign in again to continue." };
  const patientId = await ownPatientId(db, actor);
  if (!patientId) return { message: "Only patients can invite caregivers." };
  const parsed = inviteSchema.safeParse({ label: formData.get("label"), scopes: formData.getAll("scopes") });
  if (!parsed.success) return { fields: zodFieldErrors(parsed.error) };
  try {
    const invite = await createInvite(db, actor, patientId, parsed.data);
    revalidatePath("/patient/caregivers");
    return { code: invite.code, expiresAt: invite.expiresAt.toISOString(), label: parsed.data.label };
  } catch (e) {
    if (e instanceof AppError) return { message: e.message };
    throw e;
  }
}

export interface RevokeState {
  message?: string;
  ok?: boolean;
}

export async function revokeLinkAction(_prev: RevokeState, formData: FormData): Promise<RevokeState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const db = await getDb();
  const actor = await currentActor(db);
  if (!actor) return { message: "Please sign in again to continue." };
  const parsed = z.string().uuid().safeParse(formData.get("linkId"));
  if (!parsed.success) return { message: "That caregiver link was not found." };
  try {
    await revokeLink(db, actor, parsed.data);
  } catch (e) {
    if (e instanceof AppError) return { message: e.message };
    throw e;
  }
  revalidatePath("/patient/caregivers");
  return { ok: true };
}
