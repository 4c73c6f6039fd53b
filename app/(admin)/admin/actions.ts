"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { createClinic, createClinician } from "@/lib/admin/mutations";
import { clinicianSchema, clinicSchema } from "@/lib/admin/schemas";
import { currentActor } from "@/lib/auth/guard";
import { AppError, zodFieldErrors } from "@/lib/http/errors";

export interface AdminFormState {
  ok?: string;
  message?: string;
  fields?: Record<string, string>;
}

async function run(formData: FormData, kind: "clinic" | "clinician"): Promise<AdminFormState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const db = await getDb();
  // Signed out (e.g. the session expired while the page was open): a message, not a server error.
  const actor = await currentActor(db);
  if (!actor) return { message: "Please sign in again to continue." };
  const raw = Object.fromEntries([...formData.entries()].filter(([k]) => !k.startsWith("$")).map(([k, v]) => [k, typeof v === "string" ? v : ""]));
  try {
    if (kind === "clinic") {
      const parsed = clinicSchema.safeParse(raw);
      if (!parsed.success) return { fields: zodFieldErrors(parsed.error) };
      await createClinic(db, actor, parsed.data);
      revalidatePath("/admin");
      return { ok: `Clinic “${parsed.data.name}” created.` };
    }
    const parsed = clinicianSchema.safeParse(raw);
    if (!parsed.success) return { fields: zodFieldErrors(parsed.error) };
    await createClinician(db, actor, parsed.data);
    revalidatePath("/admin");
    return { ok: `Clinician account for ${parsed.data.email} created.` };
  } catch (e) {
    if (e instanceof AppError) return { message: e.message, fields: e.fieldErrors };
    throw e;
  }
}

export async function createClinicAction(_prev: AdminFormState, formData: FormData) {
  return run(formData, "clinic");
}

export async function createClinicianAction(_prev: AdminFormState, formData: FormData) {
  return run(formData, "clinician");
}
