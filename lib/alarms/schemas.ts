import { z } from "zod";
import { SNOOZE_MINUTES } from "./catalogue";

/** Shared by the alarm page's forms and the API routes. */
const SNOOZE_MESSAGE = `Choose how long to snooze: ${SNOOZE_MINUTES.join(", ")} minutes.`;

export const snoozeSchema = z.strictObject({
  minutes: z
    .number({ error: SNOOZE_MESSAGE })
    .int(SNOOZE_MESSAGE)
    .refine((m) => (SNOOZE_MINUTES as readonly number[]).includes(m), SNOOZE_MESSAGE),
});

export const preferencesSchema = z.strictObject({
  patientId: z.uuid("Choose whose alarms these settings are for."),
  warnings: z.boolean({ error: "Say whether you want warnings (true or false)." }),
  info: z.boolean({ error: "Say whether you want information notifications (true or false)." }),
});
export type PreferencesInput = z.infer<typeof preferencesSchema>;

export const alarmIdSchema = z.uuid();
