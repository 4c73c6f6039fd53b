import { createHash, randomInt } from "node:crypto";

// Crockford base32 without look-alikes (no I, L, O, U): easy to read out over the phone.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const INVITE_CODE_LENGTH = 10;

export function newInviteCode(): string {
  let raw = "";
  for (let i = 0; i < INVITE_CODE_LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** Canonical form: upper case, no separators, common misreadings mapped (O→0, I/L→1). */
export function normalizeInviteCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

export function isWellFormedInviteCode(input: string): boolean {
  const c = normalizeInviteCode(input);
  return c.length === INVITE_CODE_LENGTH && [...c].every((ch) => ALPHABET.includes(ch));
}

export function hashInviteCode(input: string): string {
  return createHash("sha256").update(normalizeInviteCode(input)).digest("hex");
}
