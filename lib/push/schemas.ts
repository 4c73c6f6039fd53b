import { z } from "zod";
import { isSafeText, SAFE_TEXT_MESSAGE } from "@/lib/http/safe-text";

/** Bytes a base64url string decodes to (no Buffer: this module may run in the browser). */
function decodedBytes(v: string): number {
  const n = v.replace(/=+$/, "").length;
  return n % 4 === 1 ? -1 : Math.floor((n * 3) / 4);
}

const b64url = (what: string, bytes: number) =>
  z
    .string({ error: `The subscription's ${what} is missing.` })
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `The subscription's ${what} is not base64url.`)
    .refine((v) => decodedBytes(v) === bytes, `The subscription's ${what} has the wrong length.`);

/** What the browser's PushSubscription.toJSON() gives, plus a name for the device. */
export const subscribeSchema = z.strictObject({
  endpoint: z.string().min(1, "The subscription has no endpoint.").max(2048, "The push endpoint is too long.").refine(isSafeText, "The push endpoint is not valid."),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: b64url("public key (p256dh)", 65),
    auth: b64url("auth secret", 16),
  }),
  label: z.string().trim().min(1, "Give this device a name, e.g. “Sam’s phone”.").max(60, "Keep the device name under 60 characters.").refine(isSafeText, SAFE_TEXT_MESSAGE).optional(),
});
export type SubscribeInput = z.infer<typeof subscribeSchema>;

export const unsubscribeSchema = z
  .strictObject({
    id: z.uuid("That device id is not valid.").optional(),
    endpoint: z.string().min(1).max(2048).optional(),
  })
  .refine((v) => Boolean(v.id) !== Boolean(v.endpoint), "Say which device to remove: its id or its endpoint.");

export const testPushSchema = z.strictObject({
  subscriptionId: z.uuid("That device id is not valid.").optional(),
});
