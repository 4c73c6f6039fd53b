import { z } from "zod";

const isoDate = z.string().datetime({ offset: true, message: "Must be an ISO 8601 date-time." }).transform((s) => new Date(s));

/**
 * What the patient's phone reports about a bolus it asked the handheld for. This only RECORDS a
 * request and the device's answer: nothing here can make a pump deliver (safety rule 1).
 */
export const bolusRecordSchema = z
  .object({
    token: z.number().int().min(1, "token must be 1 or more.").max(0xffffffff, "token must fit in 32 bits."),
    dose: z.number().int().min(1).max(100_000_000),
    permissionVersion: z.number().int().min(0).max(0xffff),
    requestedAt: isoDate,
    outcome: z
      .object({
        state: z.enum(["confirmed", "denied", "unconfirmed"]),
        resultCode: z.string().max(40).regex(/^[a-z_]+$/, "resultCode must be a device result name.").optional(),
        deliveredAt: isoDate.optional(),
        deviceSeq: z.number().int().min(0).max(0xffffffff).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type BolusRecordInput = z.infer<typeof bolusRecordSchema>;
