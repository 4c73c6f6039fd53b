import "server-only";
import fs from "node:fs";
import path from "node:path";
import webpush from "web-push";
import { dataDir } from "@/db/client";

export interface VapidKeys {
  /** Uncompressed P-256 public key, base64url (65 bytes): the browser's applicationServerKey. */
  publicKey: string;
  /** P-256 private key, base64url (32 bytes). */
  privateKey: string;
  /** mailto: or https: contact the push services may use (RFC 8292). */
  subject: string;
}

const DEV_SUBJECT = "mailto:pump-portal-dev@example.invalid";
const B64URL = /^[A-Za-z0-9_-]+$/;

function decodedLength(b64url: string): number {
  return Buffer.from(b64url, "base64url").length;
}

/** Problems with the VAPID settings in `env` (empty when usable). Checked at server start. */
export function vapidEnvProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  const pub = env.VAPID_PUBLIC_KEY?.trim();
  const priv = env.VAPID_PRIVATE_KEY?.trim();
  if (Boolean(pub) !== Boolean(priv)) {
    problems.push("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (generate a pair with `npx web-push generate-vapid-keys`).");
  }
  if (pub && (!B64URL.test(pub) || decodedLength(pub) !== 65 || Buffer.from(pub, "base64url")[0] !== 4)) {
    problems.push("VAPID_PUBLIC_KEY must be an uncompressed P-256 public key in base64url (87 characters).");
  }
  if (priv && (!B64URL.test(priv) || decodedLength(priv) !== 32)) {
    problems.push("VAPID_PRIVATE_KEY must be a P-256 private key in base64url (43 characters).");
  }
  const subject = env.VAPID_SUBJECT?.trim();
  if (subject && !/^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/.test(subject)) {
    problems.push("VAPID_SUBJECT must be a mailto: address or an https: URL where push services can reach you.");
  }
  if (env.VERCEL && !(pub && priv)) {
    problems.push("On Vercel, set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (the development keys are kept on a local disk).");
  }
  if (env.VERCEL && !subject) problems.push("On Vercel, set VAPID_SUBJECT (mailto: or https: contact for push services).");
  return problems;
}

const holderKey = Symbol.for("pump-portal.vapid");
type Holder = { keys?: VapidKeys };
const holder: Holder = ((globalThis as Record<symbol, unknown>)[holderKey] as Holder | undefined) ?? {};
(globalThis as Record<symbol, unknown>)[holderKey] = holder;

/**
 * The server's VAPID keys: from the environment, or — on a machine with a disk of its own (local
 * server, development, tests) — generated once and kept in `<data dir>/vapid.json`, so browser
 * subscriptions survive restarts. Changing keys orphans every subscription (the push services
 * answer 401/403), so the file is never rewritten.
 */
export function vapidKeys(env: NodeJS.ProcessEnv = process.env): VapidKeys {
  if (holder.keys) return holder.keys;
  const problems = vapidEnvProblems(env);
  if (problems.length) throw new Error(problems.join(" "));
  const subject = env.VAPID_SUBJECT?.trim() || DEV_SUBJECT;
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) {
    holder.keys = { publicKey: env.VAPID_PUBLIC_KEY.trim(), privateKey: env.VAPID_PRIVATE_KEY.trim(), subject };
    return holder.keys;
  }
  const file = path.join(dataDir(), "vapid.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    const generated = webpush.generateVAPIDKeys();
    try {
      fs.writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600, flag: "wx" });
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { publicKey?: unknown; privateKey?: unknown };
  if (typeof stored.publicKey !== "string" || typeof stored.privateKey !== "string") {
    throw new Error(`${file} does not hold VAPID keys; delete it to generate new ones (existing subscriptions will stop working).`);
  }
  holder.keys = { publicKey: stored.publicKey, privateKey: stored.privateKey, subject };
  return holder.keys;
}
