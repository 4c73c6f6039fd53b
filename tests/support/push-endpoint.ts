/**
 * A Web Push service for tests, on https://127.0.0.1:<port>: it verifies what a real push
 * service checks (VAPID JWT signature, audience and expiry; TTL, Urgency and Content-Encoding
 * headers) and decrypts the RFC 8291 aes128gcm body with the subscription's private key, the
 * way the browser would. Tests script its answers per subscription (500, 410, 429 + Retry-After…).
 *
 * The certificate is made with `openssl` asynchronously: a synchronous child process would block
 * this process's event loop, and with it the receiver (TESTING-IN-CHROMIUM.md).
 */
import { createECDH, createPublicKey, randomBytes, randomUUID, verify, type ECDH } from "node:crypto";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import https from "node:https";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
// http_ece ships no types; this is the one function used.
const ece = require("http_ece") as { decrypt(buffer: Buffer, params: { version: "aes128gcm"; privateKey: ECDH; authSecret: string }): Buffer };

export interface TestSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  /**
   * Decide `status` but never answer (the sender times out). With a 2xx status the service has
   * accepted the message although the sender never hears so: a retry is a duplicate on the wire.
   */
  noAnswer?: boolean;
}

export interface PushAttempt {
  subscriptionId: string;
  /** Status this endpoint answered. */
  status: number;
  at: number;
  ttl: number | null;
  urgency: string | null;
  topic: string | null;
  /** Decrypted JSON payload when the message was valid. */
  payload: Record<string, unknown> | null;
  /** Why the message was rejected as malformed (a test failure), or null. */
  problem: string | null;
  /** false when the endpoint never answered (scripted `noAnswer`); the attempt is recorded on receipt. */
  answered?: boolean;
}

export interface PushEndpoint {
  origin: string;
  /** PEM of the self-signed certificate (trust it with `agent` or NODE_EXTRA_CA_CERTS). */
  certPem: string;
  certFile: string;
  agent: https.Agent;
  subscribe(): TestSubscription;
  /** Answers for the next requests to this subscription, in order; afterwards 201. */
  script(subscriptionId: string, answers: ScriptedAnswer[]): void;
  /** Every request received, in order. */
  attempts: PushAttempt[];
  /** Accepted (2xx) and valid messages. */
  delivered(): PushAttempt[];
  /** Malformed requests (bad JWT, undecryptable body, missing headers). */
  problems(): PushAttempt[];
  /** Resolves when `predicate` holds (checked on every request), or rejects after `timeoutMs`. */
  waitUntil(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

const execFileAsync = promisify(execFile);

async function selfSignedCert(dir: string): Promise<{ key: string; cert: string; certFile: string }> {
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  await execFileAsync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    "-days", "2", "-keyout", keyFile, "-out", certFile,
  ]);
  return { key: await readFile(keyFile, "utf8"), cert: await readFile(certFile, "utf8"), certFile };
}

function b64urlJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>` the way a push service does (RFC 8292). */
export function verifyVapid(authorization: string | undefined, audience: string, expectedPublicKey?: string): string | null {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
  if (!m) return `Authorization is not "vapid t=…, k=…": ${authorization ?? "(none)"}`;
  const [, jwt, k] = m as unknown as [string, string, string];
  if (expectedPublicKey && k !== expectedPublicKey) return "the VAPID public key is not the server's";
  const parts = jwt.split(".");
  if (parts.length !== 3) return "the VAPID token is not a JWT";
  const [h, p, s] = parts as [string, string, string];
  const header = b64urlJson(h);
  if (header.alg !== "ES256") return `JWT alg is ${String(header.alg)}, not ES256`;
  const claims = b64urlJson(p);
  if (claims.aud !== audience) return `JWT aud is ${String(claims.aud)}, expected ${audience}`;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now || claims.exp > now + 24 * 3600) return "JWT exp is missing, past, or more than 24 h ahead";
  if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub)) return "JWT sub is not a mailto: or https: contact";
  const raw = Buffer.from(k, "base64url");
  if (raw.length !== 65 || raw[0] !== 4) return "the VAPID public key is not an uncompressed P-256 point";
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33).toString("base64url") }, format: "jwk" });
  const ok = verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
  return ok ? null : "the VAPID JWT signature does not verify";
}

interface ReceiverState {
  subs: Map<string, { ecdh: ECDH; auth: string }>;
  scripts: Map<string, ScriptedAnswer[]>;
  /** Tokens already verified: like a real push service, senders reuse one per origin. */
  verifiedTokens: Set<string>;
}

/** The HTTPS push service: checks, decrypts, answers as scripted, reports every attempt. */
async function listen(key: string, cert: string, state: ReceiverState, vapidPublicKey: string | undefined, onAttempt: (a: PushAttempt) => void) {
  let origin = "";
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = /^\/push\/([0-9a-f-]+)$/.exec(req.url ?? "")?.[1] ?? "";
      const sub = state.subs.get(id);
      const attempt: PushAttempt = {
        subscriptionId: id,
        status: 201,
        at: Date.now(),
        ttl: req.headers.ttl !== undefined ? Number(req.headers.ttl) : null,
        urgency: (req.headers.urgency as string | undefined) ?? null,
        topic: (req.headers.topic as string | undefined) ?? null,
        payload: null,
        problem: null,
      };
      const answer = state.scripts.get(id)?.shift();
      if (!sub) {
        attempt.status = 404;
      } else if (answer) {
        attempt.status = answer.status;
      }
      if (sub && attempt.status >= 200 && attempt.status < 300) {
        const auth = req.headers.authorization ?? "";
        const problem =
          req.method !== "POST"
            ? `method ${req.method}`
            : req.headers["content-encoding"] !== "aes128gcm"
              ? `Content-Encoding ${String(req.headers["content-encoding"])}`
              : attempt.ttl === null || !Number.isInteger(attempt.ttl) || attempt.ttl < 0
                ? "missing or invalid TTL header"
                : !["very-low", "low", "normal", "high"].includes(attempt.urgency ?? "")
                  ? `invalid Urgency ${String(attempt.urgency)}`
                  : state.verifiedTokens.has(auth)
                    ? null
                    : verifyVapid(auth, origin, vapidPublicKey);
        if (problem) {
          attempt.status = 400;
          attempt.problem = problem;
        } else {
          state.verifiedTokens.add(auth);
          try {
            const plain = ece.decrypt(Buffer.concat(chunks), { version: "aes128gcm", privateKey: sub.ecdh, authSecret: sub.auth });
            attempt.payload = JSON.parse(plain.toString("utf8")) as Record<string, unknown>;
          } catch (e) {
            attempt.status = 400;
            attempt.problem = `cannot decrypt: ${(e as Error).message}`;
          }
        }
      }
      if (answer?.noAnswer) {
        // Leave the request hanging; close() (closeAllConnections) or the sender's timeout ends it.
        attempt.answered = false;
        onAttempt(attempt);
        return;
      }
      res.writeHead(attempt.status, answer?.headers ?? {});
      res.end(attempt.problem ?? "");
      onAttempt(attempt);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("push endpoint did not bind");
  origin = `https://127.0.0.1:${address.port}`;
  return {
    port: address.port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type ToChild =
  | { type: "sub"; id: string; privateKey: string; auth: string }
  | { type: "script"; id: string; answers: ScriptedAnswer[] }
  | { type: "reset" }
  | { type: "close" };
type FromChild = { type: "listening"; port: number } | { type: "attempt"; attempt: PushAttempt };

/**
 * Starts the endpoint. `thread: "process"` runs the receiver in a child process (spawned
 * asynchronously), so that its decryption does not compete with the sender for one CPU — the
 * benchmark uses it, since in production the browser decrypts, not the server.
 */
export async function startPushEndpoint({ vapidPublicKey, thread = "same" }: { vapidPublicKey?: string; thread?: "same" | "process" } = {}): Promise<PushEndpoint> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "push-endpoint-"));
  const { key, cert, certFile } = await selfSignedCert(dir);
  const attempts: PushAttempt[] = [];
  const waiters = new Set<() => void>();
  const record = (a: PushAttempt) => {
    attempts.push(a);
    for (const w of [...waiters]) w();
  };
  let port: number;
  let send: (m: ToChild) => void;
  let stop: () => Promise<void>;
  if (thread === "process") {
    // The same file, run as the child's main module (with this process's TypeScript loader flags).
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, PUSH_ENDPOINT_CHILD: JSON.stringify({ key, cert, vapidPublicKey }) },
    });
    port = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`push endpoint process exited (${code})`)));
      child.on("message", (m: FromChild) => {
        if (m.type === "listening") resolve(m.port);
        else if (m.type === "attempt") record(m.attempt);
      });
    });
    send = (m) => child.send(m);
    stop = async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "close" } satisfies ToChild);
      await exited;
    };
  } else {
    const state: ReceiverState = { subs: new Map(), scripts: new Map(), verifiedTokens: new Set() };
    const server = await listen(key, cert, state, vapidPublicKey, record);
    port = server.port;
    send = (m) => applyToState(state, m);
    stop = () => server.close();
  }
  const origin = `https://127.0.0.1:${port}`;
  const agent = new https.Agent({ ca: cert, keepAlive: true, maxSockets: 64 });

  return {
    origin,
    certPem: cert,
    certFile,
    agent,
    subscribe() {
      const id = randomUUID();
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16).toString("base64url");
      send({ type: "sub", id, privateKey: ecdh.getPrivateKey("base64"), auth });
      return { id, endpoint: `${origin}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth } };
    },
    script(subscriptionId, answers) {
      send({ type: "script", id: subscriptionId, answers });
    },
    attempts,
    delivered: () => attempts.filter((a) => a.status >= 200 && a.status < 300),
    problems: () => attempts.filter((a) => a.problem !== null),
    waitUntil(predicate, timeoutMs = 10_000) {
      if (predicate()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate()) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`push endpoint: condition not met within ${timeoutMs} ms (${attempts.length} requests so far)`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    reset() {
      attempts.length = 0;
      send({ type: "reset" });
    },
    async close() {
      agent.destroy();
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function applyToState(state: ReceiverState, m: ToChild): void {
  if (m.type === "sub") {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(Buffer.from(m.privateKey, "base64"));
    state.subs.set(m.id, { ecdh, auth: m.auth });
  } else if (m.type === "script") {
    state.scripts.set(m.id, [...m.answers]);
  } else if (m.type === "reset") {
    state.scripts.clear();
    state.verifiedTokens.clear();
  }
}

// Child-process side of thread: "process".
const childConfig = process.env.PUSH_ENDPOINT_CHILD;
if (childConfig && process.send) {
  const data = JSON.parse(childConfig) as { key: string; cert: string; vapidPublicKey?: string };
  const state: ReceiverState = { subs: new Map(), scripts: new Map(), verifiedTokens: new Set() };
  const reply = (m: FromChild) => process.send!(m);
  void listen(data.key, data.cert, state, data.vapidPublicKey, (attempt) => reply({ type: "attempt", attempt })).then((server) => {
    process.on("message", (m: ToChild) => {
      if (m.type === "close") void server.close().then(() => process.exit(0));
      else applyToState(state, m);
    });
    reply({ type: "listening", port: server.port });
  });
}
