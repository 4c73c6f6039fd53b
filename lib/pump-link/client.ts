/**
 * Pump link client: status, incremental history sync and exactly-once bolus requests over any
 * PumpLinkTransport. Every exchange is write-then-read (protocol §5), so it works where the
 * peripheral cannot notify (headless Chromium's Bluetooth emulation).
 *
 * Safety posture: the client never infers delivery. A bolus is `confirmed` only when a Response
 * that matches our request id and token says the device delivered it; anything short of that is
 * `unconfirmed`, and the caller retries with the SAME token (the device replays its first outcome)
 * or asks with queryBolus().
 */
import { decodeRecords, decodeResponse, decodeStatus, encodeControlPoint, isBolusDenial } from "@/lib/pump-link/codec";
import { PumpLinkCodecError, PumpLinkError, PumpLinkTransportError } from "@/lib/pump-link/errors";
import { realTimers } from "@/lib/pump-link/transport";
import type { PumpLinkTransport, Timers } from "@/lib/pump-link/transport";
import { OPCODES, PROTOCOL_VERSION } from "@/lib/pump-link/types";
import type {
  BolusDenialReason,
  ControlCommand,
  ControlResponse,
  Framed,
  PumpRecord,
  PumpStatus,
  ResultName,
  SelectionBody,
} from "@/lib/pump-link/types";
import type { PumpCharacteristic } from "@/lib/pump-link/uuids";

export interface PumpLinkClientOptions {
  transport: PumpLinkTransport;
  /** Per GATT read/write (default 10 s). */
  timeoutMs?: number;
  /** Per connection attempt (default 20 s). */
  connectTimeoutMs?: number;
  /** Consecutive corrupted values tolerated per operation before giving up (default 3). */
  maxCrcRetries?: number;
  /** Consecutive link failures a sync tolerates before giving up (default 5). */
  maxReconnects?: number;
  /** Exponential reconnect backoff (default 250 ms doubling up to 8 s). */
  backoff?: { initialMs: number; maxMs: number };
  timers?: Timers;
  /** Defaults to a timer-based sleep on `timers`. */
  sleep?: (ms: number) => Promise<void>;
  /** First request id (default random, so a reloaded app does not mistake an old Response for its own). */
  initialRequestId?: number;
  /** maxCount of each SELECT_RECORDS (default 1024). */
  selectMaxCount?: number;
  onEvent?: (event: PumpLinkEvent) => void;
}

export type PumpLinkEvent =
  | { type: "crc_retry"; characteristic: PumpCharacteristic; attempt: number; message: string }
  | { type: "reconnect"; attempt: number; delayMs: number; cause: string }
  | { type: "timeout"; operation: string }
  | { type: "gap"; from: number; to: number }
  | { type: "bolus_unconfirmed"; token: number; cause: string };

export interface BolusRequest {
  /** Non-zero 32-bit token, minted once per patient intention and reused on every retry. */
  token: number;
  dose: number;
  /** Permission version from the status the patient saw. */
  permissionVersion: number;
}

export type BolusResult =
  /** The device reports it delivered this bolus (possibly on an earlier attempt: `replayed`). */
  | {
      state: "confirmed";
      token: number;
      dose: number;
      volumeUl: number;
      deviceTime: number;
      recordSeq: number;
      replayed: boolean;
    }
  /** The device decided not to deliver; the decision is final for this token. */
  | { state: "denied"; token: number; reason: BolusDenialReason; deviceTime: number; recordSeq: number; replayed: boolean }
  /** The device answered without deciding (busy, malformed, not authorised): nothing delivered; the token may be retried. */
  | { state: "rejected"; token: number; result: ResultName }
  /** Nothing was sent (no link). */
  | { state: "not_sent"; token: number; message: string }
  /** The request may or may not have reached the device. Never assume delivery. */
  | { state: "unconfirmed"; token: number; message: string };

export type BolusQueryResult = BolusResult | { state: "token_unknown"; token: number };

export interface SyncOptions {
  /** Highest sequence number already stored (0 for a first sync). */
  afterSeq: number;
  /** logId of the stored history; a different device logId raises `log_reset`. */
  logId?: number;
  /** Stop after this many records (the result then has complete = false). */
  maxRecords?: number;
  /** Called with each batch of new records in order, so callers can persist progressively. */
  onBatch?: (records: readonly PumpRecord[]) => void | Promise<void>;
}

export interface SyncResult {
  records: PumpRecord[];
  logId: number;
  /** Highest sequence number stored after this sync (afterSeq when nothing new). */
  lastSeq: number;
  /** Device's highest sequence number at the last selection. */
  deviceHighestSeq: number;
  /** Sequence ranges the device no longer held (overwritten in its ring buffer). */
  gaps: { from: number; to: number }[];
  crcRetries: number;
  reconnects: number;
  complete: boolean;
}

const DEFAULTS = {
  timeoutMs: 10_000,
  connectTimeoutMs: 20_000,
  maxCrcRetries: 3,
  maxReconnects: 5,
  backoff: { initialMs: 250, maxMs: 8_000 },
  selectMaxCount: 1024,
};

export class PumpLinkClient {
  private readonly transport: PumpLinkTransport;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxCrcRetries: number;
  private readonly maxReconnects: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly timers: Timers;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly selectMaxCount: number;
  private readonly onEvent: (event: PumpLinkEvent) => void;
  private requestId: number;
  private writeCounter = 0;
  /** Tokens with an attempt whose outcome is unknown; bounded like the device's own memory. */
  private readonly unresolved = new Set<number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: PumpLinkClientOptions) {
    this.transport = options.transport;
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    this.maxCrcRetries = options.maxCrcRetries ?? DEFAULTS.maxCrcRetries;
    this.maxReconnects = options.maxReconnects ?? DEFAULTS.maxReconnects;
    this.backoff = options.backoff ?? DEFAULTS.backoff;
    this.timers = options.timers ?? realTimers;
    const timers = this.timers;
    this.sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => void timers.setTimeout(resolve, ms)));
    this.selectMaxCount = Math.min(0xffff, Math.max(1, options.selectMaxCount ?? DEFAULTS.selectMaxCount));
    this.onEvent = options.onEvent ?? (() => {});
    this.requestId = (options.initialRequestId ?? Math.floor(Math.random() * 0x10000)) & 0xffff;
  }

  /** Connects (if needed) and returns the current status; refuses devices speaking another version. */
  connect(): Promise<PumpStatus> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      return this.readStatusOnce();
    });
  }

  disconnect(): Promise<void> {
    return this.exclusive(() => this.transport.disconnect());
  }

  isConnected(): boolean {
    return this.transport.isConnected();
  }

  readStatus(): Promise<PumpStatus> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      return this.readStatusOnce();
    });
  }

  setTime(utcSeconds: number): Promise<{ previousTime: number; newTime: number }> {
    return this.exclusive(async () => {
      await this.ensureConnected();
      const resp = await this.command({ op: "set_time", requestId: this.nextRequestId(), time: utcSeconds });
      if (resp.result !== "success" || resp.body.kind !== "time") {
        throw new PumpLinkError("device_refused", `SET_TIME refused: ${resp.result}`, { result: resp.result });
      }
      return { previousTime: resp.body.previousTime, newTime: resp.body.newTime };
    });
  }

  /**
   * Sends one REQUEST_BOLUS. Never retries on its own: the caller decides, and retries with the
   * same token (or calls queryBolus) after an `unconfirmed` result.
   */
  requestBolus(request: BolusRequest): Promise<BolusResult> {
    const requestId = this.nextRequestId();
    const command: ControlCommand = { op: "request_bolus", requestId, ...request };
    // Encoding first: an invalid request throws before anything could be sent.
    encodeControlPoint(command, 0);
    return this.exclusive(async () => {
      const result = this.trackToken(await this.bolusExchange(command, request.token));
      // token_unknown only answers QUERY_BOLUS; the codec already rejects it for REQUEST_BOLUS.
      return result.state === "token_unknown"
        ? { state: "unconfirmed", token: request.token, message: "unexpected token_unknown" }
        : result;
    });
  }

  /** Asks the device what it decided for `token`; never delivers anything. */
  queryBolus(token: number): Promise<BolusQueryResult> {
    const command: ControlCommand = { op: "query_bolus", requestId: this.nextRequestId(), token };
    encodeControlPoint(command, 0);
    return this.exclusive(async () => this.trackToken(await this.bolusExchange(command, token)));
  }

  /** Fetches every record after `afterSeq`, resuming across link drops and corrupted reads. */
  syncRecords(options: SyncOptions): Promise<SyncResult> {
    return this.exclusive(() => this.sync(options));
  }

  // -------------------------------------------------------------------------------------------
  // bolus

  private async bolusExchange(command: ControlCommand, token: number): Promise<BolusQueryResult> {
    if (!this.transport.isConnected()) {
      try {
        await this.connectOnce();
      } catch (err) {
        return { state: "not_sent", token, message: `no link to the pump: ${messageOf(err)}` };
      }
    }
    const bytes = encodeControlPoint(command, this.nextWriteCounter());
    let writeError: PumpLinkTransportError | null = null;
    try {
      await this.timed(`write ${command.op}`, this.transport.write("controlPoint", bytes), this.timeoutMs);
    } catch (err) {
      writeError = asTransportError(err);
      if (writeError.kind === "not_connected") {
        return { state: "not_sent", token, message: writeError.message };
      }
      if (writeError.kind !== "gatt_error") return this.unconfirmed(token, `write failed: ${writeError.message}`);
      // An ATT error means the device refused the write; its Response says why. Without that
      // confirmation we cannot tell a refusal from a lost link, so we stay unconfirmed.
    }
    let resp: ControlResponse;
    try {
      resp = await this.readResponse();
    } catch (err) {
      return this.unconfirmed(token, `response not received: ${messageOf(err)}`);
    }
    const opcode = OPCODES[command.op];
    if (resp.requestId !== command.requestId || resp.opcode !== opcode) {
      return this.unconfirmed(
        token,
        writeError
          ? `write refused (${writeError.message}) and no matching response`
          : "the response does not belong to this request",
      );
    }
    if (resp.body.kind === "bolus") {
      const b = resp.body;
      if (b.token !== token) return this.unconfirmed(token, `device answered for token ${b.token}`);
      if (resp.result === "success") {
        return { state: "confirmed", token, dose: b.dose, volumeUl: b.volumeUl, deviceTime: b.time, recordSeq: b.recordSeq, replayed: b.replayed };
      }
      if (isBolusDenial(resp.result)) {
        return { state: "denied", token, reason: resp.result, deviceTime: b.time, recordSeq: b.recordSeq, replayed: b.replayed };
      }
    }
    if (resp.result === "token_unknown") return { state: "token_unknown", token };
    return { state: "rejected", token, result: resp.result };
  }

  /**
   * Results describe the TOKEN, not just the last attempt: once an attempt went unanswered, a later
   * attempt the device did not act on (rejected, not sent) cannot show that nothing was delivered.
   */
  private trackToken(result: BolusQueryResult): BolusQueryResult {
    const token = result.token;
    switch (result.state) {
      case "confirmed":
      case "denied":
      case "token_unknown":
        this.unresolved.delete(token);
        return result;
      case "unconfirmed":
        this.unresolved.delete(token);
        this.unresolved.add(token);
        if (this.unresolved.size > 64) {
          const oldest = this.unresolved.values().next();
          if (oldest.done !== true) this.unresolved.delete(oldest.value);
        }
        return result;
      case "rejected":
      case "not_sent":
        if (!this.unresolved.has(token)) return result;
        return {
          state: "unconfirmed",
          token,
          message: `this attempt was not processed (${result.state === "rejected" ? result.result : "no link"}); an earlier attempt's outcome is still unknown`,
        };
    }
  }

  private async unconfirmed(token: number, message: string): Promise<BolusResult> {
    this.onEvent({ type: "bolus_unconfirmed", token, cause: message });
    // The GATT queue may still hold our operation; start the next attempt from a clean link.
    await this.transport.disconnect().catch(() => undefined);
    return { state: "unconfirmed", token, message };
  }

  // -------------------------------------------------------------------------------------------
  // sync

  private async sync(options: SyncOptions): Promise<SyncResult> {
    const afterSeq = options.afterSeq;
    if (!Number.isInteger(afterSeq) || afterSeq < 0 || afterSeq > 0xffff_ffff) {
      throw new RangeError("afterSeq must be a uint32");
    }
    const result: SyncResult = {
      records: [],
      logId: options.logId ?? 0,
      lastSeq: afterSeq,
      deviceHighestSeq: 0,
      gaps: [],
      crcRetries: 0,
      reconnects: 0,
      complete: false,
    };
    const limit = options.maxRecords ?? Infinity;
    let next = afterSeq + 1;
    let phase: "status" | "select" | "read" = "status";
    let selection: SelectionBody | null = null;
    let linkFailures = 0;
    let corrupted = 0;
    let emptyBatches = 0;

    for (;;) {
      try {
        if (!this.transport.isConnected()) await this.connectOnce();

        if (phase === "status") {
          const status = await this.readStatusOnce();
          if (options.logId !== undefined && status.logId !== options.logId) {
            throw new PumpLinkError("log_reset", "the pump's event log was reset; sync again from zero", {
              logId: status.logId,
              highestSeq: status.highestSeq,
            });
          }
          if (afterSeq > status.highestSeq) {
            throw new PumpLinkError("log_reset", "the pump's log is behind the stored history; sync again from zero", {
              logId: status.logId,
              highestSeq: status.highestSeq,
            });
          }
          result.logId = status.logId;
          result.deviceHighestSeq = status.highestSeq;
          phase = "select";
        }

        if (phase === "select") {
          if (result.records.length >= limit) break;
          if (next > 0xffff_ffff) {
            result.complete = true; // the sequence space is exhausted (136 years at one event per second)
            break;
          }
          const resp = await this.command({
            op: "select_records",
            requestId: this.nextRequestId(),
            fromSeq: next,
            maxCount: this.selectMaxCount,
          });
          if (resp.result !== "success" || resp.body.kind !== "selection") {
            throw new PumpLinkError("device_refused", `SELECT_RECORDS refused: ${resp.result}`, { result: resp.result });
          }
          selection = resp.body;
          result.deviceHighestSeq = Math.max(result.deviceHighestSeq, selection.highestSeq);
          linkFailures = 0;
          if (selection.count === 0) {
            result.complete = true;
            break;
          }
          phase = "read";
        }

        const raw = await this.timed("read records", this.transport.read("records"), this.timeoutMs);
        let batch;
        try {
          batch = decodeRecords(raw).value;
        } catch (err) {
          if (!isRetryableCodecError(err)) throw protocolError("records", err);
          // The device advanced its cursor past the lost batch: select again from the last good record.
          corrupted++;
          result.crcRetries++;
          this.onEvent({ type: "crc_retry", characteristic: "records", attempt: corrupted, message: err.message });
          if (corrupted > this.maxCrcRetries) {
            throw new PumpLinkError("integrity", `records kept failing their check: ${err.message}`, { partial: result });
          }
          phase = "select";
          continue;
        }
        corrupted = 0;
        linkFailures = 0;

        const fresh: PumpRecord[] = [];
        for (const rec of batch.records) {
          if (rec.seq < next) continue; // already have it (replayed after a resume)
          if (fresh.length + result.records.length >= limit) break;
          if (rec.seq > next) {
            result.gaps.push({ from: next, to: rec.seq - 1 });
            this.onEvent({ type: "gap", from: next, to: rec.seq - 1 });
          }
          fresh.push(rec);
          next = rec.seq + 1;
        }
        if (fresh.length > 0) {
          result.records.push(...fresh);
          result.lastSeq = next - 1;
          await options.onBatch?.(fresh);
          emptyBatches = 0;
        } else if (++emptyBatches > 2) {
          throw new PumpLinkError("protocol", "the pump keeps returning batches without new records", { partial: result });
        }

        if (result.records.length >= limit) break;
        if (!batch.more) {
          if (selection !== null && next > selection.highestSeq) {
            result.complete = true;
            break;
          }
          phase = "select";
        }
      } catch (err) {
        if (!isLinkFailure(err)) {
          if (err instanceof PumpLinkError && err.details.partial === undefined && err.code !== "log_reset") {
            throw new PumpLinkError(err.code, err.message, { ...err.details, partial: result }, { cause: err });
          }
          throw err;
        }
        linkFailures++;
        if (linkFailures > this.maxReconnects) {
          throw new PumpLinkError("link_lost", `lost the pump link ${linkFailures} times in a row`, { partial: result }, { cause: err });
        }
        const delayMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (linkFailures - 1));
        result.reconnects++;
        this.onEvent({ type: "reconnect", attempt: linkFailures, delayMs, cause: messageOf(err) });
        await this.transport.disconnect().catch(() => undefined);
        await this.sleep(delayMs);
        // A reconnection always starts a fresh selection: the device drops selections on disconnect.
        if (phase === "read") phase = "select";
      }
    }
    result.lastSeq = next - 1;
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // building blocks

  private async readStatusOnce(): Promise<PumpStatus> {
    const { value } = await this.readChecked("status", decodeStatus);
    if (value.protocolVersion !== PROTOCOL_VERSION) {
      throw new PumpLinkError("unsupported_version", `pump speaks protocol ${value.protocolVersion}`);
    }
    return value;
  }

  private async readResponse(): Promise<ControlResponse> {
    return (await this.readChecked("response", decodeResponse)).value;
  }

  /**
   * Reads an idempotent characteristic (Status, Response) and decodes it, re-reading a bounded
   * number of times when the value is corrupted in transit.
   */
  private async readChecked<T>(characteristic: PumpCharacteristic, decode: (b: Uint8Array) => Framed<T>): Promise<Framed<T>> {
    for (let attempt = 1; ; attempt++) {
      const raw = await this.timed(`read ${characteristic}`, this.transport.read(characteristic), this.timeoutMs);
      try {
        return decode(raw);
      } catch (err) {
        if (err instanceof PumpLinkCodecError && err.code === "unsupported_version") {
          throw new PumpLinkError("unsupported_version", err.message, {}, { cause: err });
        }
        if (!isRetryableCodecError(err)) throw protocolError(characteristic, err);
        this.onEvent({ type: "crc_retry", characteristic, attempt, message: err.message });
        if (attempt > this.maxCrcRetries) {
          throw new PumpLinkError("integrity", `${characteristic} kept failing its check: ${err.message}`, {}, { cause: err });
        }
      }
    }
  }

  /**
   * Write-then-read for commands that are safe to repeat (SELECT_RECORDS, SET_TIME): a write the
   * device refused as corrupted is sent again, a bounded number of times.
   */
  private async command(command: ControlCommand): Promise<ControlResponse> {
    for (let attempt = 1; ; attempt++) {
      const bytes = encodeControlPoint(command, this.nextWriteCounter());
      try {
        await this.timed(`write ${command.op}`, this.transport.write("controlPoint", bytes), this.timeoutMs);
      } catch (err) {
        const te = asTransportError(err);
        if (te.kind !== "gatt_error" || attempt > this.maxCrcRetries) throw te;
        this.onEvent({ type: "crc_retry", characteristic: "controlPoint", attempt, message: te.message });
        continue;
      }
      const resp = await this.readResponse();
      if (resp.requestId !== command.requestId || resp.opcode !== OPCODES[command.op]) {
        throw new PumpLinkError("protocol", `the response to ${command.op} belongs to another request`);
      }
      if ((resp.result === "bad_crc" || resp.result === "bad_length") && attempt <= this.maxCrcRetries) continue;
      return resp;
    }
  }

  private async ensureConnected(): Promise<void> {
    if (!this.transport.isConnected()) await this.connectOnce();
  }

  private async connectOnce(): Promise<void> {
    await this.timed("connect", this.transport.connect(), this.connectTimeoutMs);
  }

  /** Rejects with a `timeout` transport error when `promise` does not settle within `ms`. */
  private timed<T>(operation: string, promise: Promise<T>, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const handle = this.timers.setTimeout(() => {
        this.onEvent({ type: "timeout", operation });
        reject(new PumpLinkTransportError("timeout", `${operation} timed out after ${ms} ms`));
        // Whatever was in flight is abandoned; a clean link is the only safe next state.
        void this.transport.disconnect().catch(() => undefined);
      }, ms);
      promise.then(
        (value) => {
          this.timers.clearTimeout(handle);
          resolve(value);
        },
        (err: unknown) => {
          this.timers.clearTimeout(handle);
          reject(asTransportError(err));
        },
      );
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private nextRequestId(): number {
    this.requestId = (this.requestId + 1) & 0xffff;
    return this.requestId;
  }

  private nextWriteCounter(): number {
    this.writeCounter = (this.writeCounter + 1) & 0xff;
    return this.writeCounter;
  }
}

function asTransportError(err: unknown): PumpLinkTransportError {
  if (err instanceof PumpLinkTransportError) return err;
  // Unknown failures are treated like a lost link: the outcome of anything in flight is unknown.
  return new PumpLinkTransportError("disconnected", messageOf(err));
}

function isLinkFailure(err: unknown): boolean {
  return (
    err instanceof PumpLinkTransportError &&
    (err.kind === "disconnected" || err.kind === "timeout" || err.kind === "not_connected")
  );
}

function isRetryableCodecError(err: unknown): err is PumpLinkCodecError {
  return err instanceof PumpLinkCodecError && (err.code === "bad_crc" || err.code === "bad_length");
}

function protocolError(characteristic: string, err: unknown): PumpLinkError {
  if (err instanceof PumpLinkError) return err;
  return new PumpLinkError("protocol", `${characteristic}: ${messageOf(err)}`, {}, { cause: err });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
