import { z } from "zod";
import { isSafeText, SAFE_TEXT_MESSAGE } from "@/lib/http/safe-text";

const localDateTime = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Enter a date and time.");
const int = (label: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${label} must be a number.` })
    .refine(Number.isInteger, `${label} must be a whole number.`)
    .refine((n) => n >= min, `${label} must be at least ${min}.`)
    .refine((n) => n <= max, `${label} must be at most ${max}.`);

export const scheduleRefillSchema = z.object({
  scheduledAtLocal: localDateTime,
  durationMinutes: int("Duration (minutes)", 10, 240),
  location: z.string().trim().min(2, "Enter where the refill takes place.").max(200, "Keep the place under 200 characters.").refine(isSafeText, SAFE_TEXT_MESSAGE),
});

export const moveRefillSchema = z.object({
  appointmentId: z.string().uuid("That appointment was not found."),
  scheduledAtLocal: localDateTime,
});

export const cancelRefillSchema = z.object({ appointmentId: z.string().uuid("That appointment was not found.") });

export const completeRefillSchema = z.object({
  appointmentId: z.string().uuid("That appointment was not found."),
  volumeAddedUl: int("Volume added (µL)", 0, 100_000),
  newReservoirUl: int("New reservoir volume (µL)", 0, 100_000),
});
