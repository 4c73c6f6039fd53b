import { z } from "zod";
import { isSafeText, SAFE_TEXT_MESSAGE } from "@/lib/http/safe-text";
import { careScopeValues } from "@/db/schema/patients";
import { isWellFormedInviteCode } from "./code";

export const SCOPE_LABEL: Record<(typeof careScopeValues)[number], string> = {
  status: "Pump status and history",
  refills: "Refill dates and appointments",
  bolus: "Bolus use (view only)",
  alarms: "Alarms and notifications",
};

export const inviteSchema = z.object({
  label: z.string().trim().min(1, "Give the invite a name, e.g. who it is for.").max(80, "Keep the name under 80 characters.").refine(isSafeText, SAFE_TEXT_MESSAGE),
  scopes: z.array(z.enum(careScopeValues)).min(1, "Choose at least one thing they may see.").max(careScopeValues.length),
});

export const inviteCodeSchema = z
  .string()
  .trim()
  .min(1, "Enter the invite code.")
  .max(32, "That is not an invite code.")
  .refine(isWellFormedInviteCode, "That is not a valid invite code. It looks like ABCDE-12345.");

export const caregiverSignUpSchema = z.object({
  code: inviteCodeSchema,
  name: z.string().trim().min(1, "Enter your name.").max(120, "Keep your name under 120 characters.").refine(isSafeText, SAFE_TEXT_MESSAGE),
  email: z.string().trim().toLowerCase().max(254, "That e-mail address is too long.").email("Enter a valid e-mail address."),
  password: z.string().min(10, "Use at least 10 characters.").max(256, "Use at most 256 characters."),
});
