"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { requireActor } from "@/lib/auth/guard";
import { AppError, zodFieldErrors } from "@/lib/http/errors";
import { cancelRefillSchema, completeRefillSchema, moveRefillSchema, scheduleRefillSchema } from "@/lib/pump/refill-schema";
import { cancelRefill, completeRefill, moveRefill, scheduleRefill } from "@/lib/pump/refills";

export interface RefillFormState {
  ok?: string;
  message?: string;
  fields?: Record<string, string>;
}

type Kind = "schedule" | "move" | "cancel" | "complete";

async function run(kind: Kind, formData: FormData): Promise<RefillFormState> {
  // Called by hand with something other than a form (a crafted request): a message, not a 500.
  if (!(formData instanceof FormData)) return { message: "The form could not be read. Please reload the page and try again." };
  const raw = Object.fromEntries([...formData.entries()].filter(([k, v]) => !k.startsWith("$") && typeof v === "string"));
  const patientId = z.string().uuid().safeParse(raw.patientId);
  if (!patientId.success) return { message: "That patient was not found." };
  const db = await getDb();
  try {
    const actor = await requireActor(db);
    let ok: string;
    if (kind === "schedule") {
      const p = scheduleRefillSchema.safeParse(raw);
      if (!p.success) return { fields: zodFieldErrors(p.error) };
      await scheduleRefill(db, actor, patientId.data, p.data);
      ok = "Appointment booked.";
    } else if (kind === "move") {
      const p = moveRefillSchema.safeParse(raw);
      if (!p.success) return { fields: zodFieldErrors(p.error) };
      await moveRefill(db, actor, patientId.data, p.data);
      ok = "Appointment moved.";
    } else if (kind === "cancel") {
      const p = cancelRefillSchema.safeParse(raw);
      if (!p.success) return { fields: zodFieldErrors(p.error) };
      await cancelRefill(db, actor, patientId.data, p.data.appointmentId);
      ok = "Appointment cancelled.";
    } else {
      const p = completeRefillSchema.safeParse(raw);
      if (!p.success) return { fields: zodFieldErrors(p.error) };
      await completeRefill(db, actor, patientId.data, p.data);
      ok = "Refill recorded. The reservoir reading is updated.";
    }
    revalidatePath(`/clinic/patients/${patientId.data}`, "layout");
    if (kind === "complete" || kind === "cancel") {
      // The appointment's own form disappears with it, so confirm on the page itself.
      redirect(`/clinic/patients/${patientId.data}/refills?done=${kind}`);
    }
    return { ok };
  } catch (e) {
    if (e instanceof AppError) return { message: e.message, fields: e.fieldErrors };
    throw e;
  }
}

export async function scheduleRefillAction(_p: RefillFormState, f: FormData) {
  return run("schedule", f);
}
export async function moveRefillAction(_p: RefillFormState, f: FormData) {
  return run("move", f);
}
export async function cancelRefillAction(_p: RefillFormState, f: FormData) {
  return run("cancel", f);
}
export async function completeRefillAction(_p: RefillFormState, f: FormData) {
  return run("complete", f);
}
