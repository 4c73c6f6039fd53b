import { z } from "zod";
import { isSafeText, SAFE_TEXT_MESSAGE } from "@/lib/http/safe-text";

const timeZone = z
  .string()
  .trim()
  .min(1, "Choose a time zone.")
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "That is not a known time zone (e.g. Europe/London).");

export const clinicSchema = z.object({
  name: z.string().trim().min(2, "Enter the clinic's name.").max(120, "Keep the name under 120 characters.").refine(isSafeText, SAFE_TEXT_MESSAGE),
  timeZone,
  address: z.string().trim().max(300, "Keep the address under 300 characters.").refine(isSafeText, SAFE_TEXT_MESSAGE).optional().default(""),
});

export const clinicianSchema = z.object({
  clinicId: z.string().uuid("Choose a clinic."),
  name: z.string().trim().min(2, "Enter the clinician's name.").max(120, "Keep the name under 120 characters.").refine(isSafeText, SAFE_TEXT_MESSAGE),
  email: z.string().trim().toLowerCase().max(254, "That e-mail address is too long.").email("Enter a valid e-mail address."),
  password: z.string().min(12, "Use at least 12 characters for a clinician.").max(256, "Use at most 256 characters."),
});
