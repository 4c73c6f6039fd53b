"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { requireActor } from "@/lib/auth/guard";
import { AppError, zodFieldErrors } from "@/lib/http/errors";
import { saveTherapy } from "@/lib/pump/therapy";
import { therapySchema } from "@/lib/pump/therapy-schema";

export interface TherapyFormState {
  ok?: string;
  message?: string;
  fields?: Record<string, string>;
  values?: Record<string, string>;
}

export async function saveTherapyAction(_prev: TherapyFormState, formData: FormData): Promise<TherapyFormState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const values = Object.fromEntries([...formData.entries()].filter(([k, v]) => !k.startsWith("$") && typeof v === "string")) as Record<string, string>;
  const patientId = z.string().uuid().safeParse(values.patientId);
  if (!patientId.success) return { message: "That patient was not found." };
  const parsed = therapySchema.safeParse(values);
  if (!parsed.success) return { fields: zodFieldErrors(parsed.error), values, message: "Nothing was saved. Please correct the highlighted fields." };
  const db = await getDb();
  try {
    const actor = await requireActor(db);
    const r = await saveTherapy(db, actor, patientId.data, parsed.data);
    revalidatePath(`/clinic/patients/${patientId.data}`, "layout");
    if (!r.prescriptionChanged && !r.bolusPermissionChanged) return { ok: "Nothing changed.", values };
    return { ok: `Saved as a new version${r.prescriptionChanged && r.bolusPermissionChanged ? "s" : ""}: ${[r.prescriptionChanged && "prescription", r.bolusPermissionChanged && "bolus permission"].filter(Boolean).join(" and ")}. The handheld picks it up at the next sync.`, values };
  } catch (e) {
    if (e instanceof AppError) return { message: e.message, fields: e.fieldErrors, values };
    throw e;
  }
}
