import { hash, verify } from "@node-rs/argon2";

// argon2id with the library defaults (m = 19 MiB, t = 2, p = 1): OWASP's minimum profile, ≈ 9 ms here.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    // A malformed stored hash must read as "wrong password", not crash sign-in.
    return false;
  }
}

// A real hash to verify against when the account does not exist, so that timing does not reveal it.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash("no-such-account-placeholder");
  return dummyHash;
}
