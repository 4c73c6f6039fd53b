/**
 * In-memory PumpLinkTransport over a PumpSimulator, with fault injection for tests and the demo.
 * Operations settle asynchronously (microtasks) like real GATT calls, but never wait on timers.
 */
import { PumpLinkTransportError } from "@/lib/pump-link/errors";
import { mulberry32 } from "@/lib/pump-link/random";
import type { PumpSimulator } from "@/lib/pump-link/simulator";
import type { PumpLinkTransport } from "@/lib/pump-link/transport";
import type { PumpCharacteristic } from "@/lib/pump-link/uuids";

export interface RandomFaults {
  seed: number;
  /** per read/write: the link drops before the operation reaches the device */
  dropRate?: number;
  /** per write: the device executes the write, then the link drops before the acknowledgement */
  loseWriteAckRate?: number;
  /** per read: one byte of the value is corrupted in transit */
  corruptReadRate?: number;
  /** per write: one byte of the value is corrupted in transit */
  corruptWriteRate?: number;
  /** per connect attempt */
  connectFailRate?: number;
}

export interface SimulatorTransportOptions {
  faults?: RandomFaults;
  /** Start connected (default false). */
  connected?: boolean;
}

export interface SimulatorTransportStats {
  connects: number;
  reads: number;
  writes: number;
  drops: number;
  corruptions: number;
}

export class SimulatorTransport implements PumpLinkTransport {
  readonly stats: SimulatorTransportStats = { connects: 0, reads: 0, writes: 0, drops: 0, corruptions: 0 };
  private connected: boolean;
  private readonly listeners = new Set<() => void>();
  private readonly rng: (() => number) | null;
  private readonly faults: RandomFaults | undefined;
  private dropCountdown: number | null = null;
  private loseWriteAck = false;
  private loseResponseRead = false;
  private corruptRead: { characteristic?: PumpCharacteristic; byteIndex?: number } | null = null;
  private corruptWrite = false;
  private failConnects = 0;
  private hang = false;
  private hangAfterWrite = false;

  constructor(
    readonly device: PumpSimulator,
    options: SimulatorTransportOptions = {},
  ) {
    this.connected = options.connected ?? false;
    this.faults = options.faults;
    this.rng = options.faults ? mulberry32(options.faults.seed) : null;
  }

  // ---- scheduled faults --------------------------------------------------------------------

  /** After `ops` more reads/writes succeed, the link drops instead of performing the next one. */
  dropAfterOps(ops: number): void {
    this.dropCountdown = ops;
  }

  /** The next write reaches the device, then the link drops before the acknowledgement. */
  loseNextWriteAck(): void {
    this.loseWriteAck = true;
  }

  /** The next read of the Response characteristic is lost with the link. */
  loseNextResponseRead(): void {
    this.loseResponseRead = true;
  }

  /** Corrupts one byte of the next read (of `characteristic`, if given). */
  corruptNextRead(characteristic?: PumpCharacteristic, byteIndex?: number): void {
    this.corruptRead = { characteristic, byteIndex };
  }

  corruptNextWrite(): void {
    this.corruptWrite = true;
  }

  failNextConnects(count: number): void {
    this.failConnects = count;
  }

  /** The next operation never settles (exercises the client's timeouts). */
  hangNextOp(): void {
    this.hang = true;
  }

  /**
   * The next write reaches the device and is executed, then its acknowledgement never arrives
   * (the operation never settles): a timeout after which the device HAS acted.
   */
  hangNextWriteAfterDevice(): void {
    this.hangAfterWrite = true;
  }

  /** Drops the link now, as if the pump walked out of range. */
  dropLink(): void {
    if (!this.connected) return;
    this.connected = false;
    this.stats.drops++;
    this.device.disconnect();
    for (const listener of [...this.listeners]) listener();
  }

  // ---- PumpLinkTransport -------------------------------------------------------------------

  async connect(): Promise<void> {
    await Promise.resolve();
    if (this.failConnects > 0) {
      this.failConnects--;
      throw new PumpLinkTransportError("disconnected", "connection attempt failed");
    }
    if (this.faults?.connectFailRate && this.roll(this.faults.connectFailRate)) {
      throw new PumpLinkTransportError("disconnected", "connection attempt failed (injected)");
    }
    if (!this.connected) this.stats.connects++;
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    await Promise.resolve();
    if (!this.connected) return;
    this.connected = false;
    this.device.disconnect();
  }

  isConnected(): boolean {
    return this.connected;
  }

  onDisconnect(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async read(characteristic: PumpCharacteristic): Promise<Uint8Array> {
    await this.beforeOp();
    if (characteristic === "response" && this.loseResponseRead) {
      this.loseResponseRead = false;
      this.dropAndThrow("link lost while reading the response");
    }
    this.stats.reads++;
    let value: Uint8Array;
    switch (characteristic) {
      case "status":
        value = this.device.readStatus();
        break;
      case "response":
        value = this.device.readResponse();
        break;
      case "records":
        value = this.device.readRecords();
        break;
      case "controlPoint":
        throw new PumpLinkTransportError("gatt_error", "Control Point is not readable", 0x02);
    }
    value = value.slice();
    const scheduled = this.corruptRead;
    if (scheduled !== null && (scheduled.characteristic === undefined || scheduled.characteristic === characteristic)) {
      this.corruptRead = null;
      this.corrupt(value, scheduled.byteIndex);
    } else if (this.faults?.corruptReadRate && this.roll(this.faults.corruptReadRate)) {
      this.corrupt(value);
    }
    return value;
  }

  async write(characteristic: PumpCharacteristic, value: Uint8Array): Promise<void> {
    await this.beforeOp();
    if (characteristic !== "controlPoint") {
      throw new PumpLinkTransportError("gatt_error", `${characteristic} is not writable`, 0x03);
    }
    this.stats.writes++;
    const bytes = value.slice();
    if (this.corruptWrite || (this.faults?.corruptWriteRate && this.roll(this.faults.corruptWriteRate))) {
      this.corruptWrite = false;
      this.corrupt(bytes);
    }
    const att = this.device.writeControlPoint(bytes);
    if (this.hangAfterWrite) {
      this.hangAfterWrite = false;
      await new Promise<never>(() => {});
    }
    if (this.loseWriteAck || (this.faults?.loseWriteAckRate && this.roll(this.faults.loseWriteAckRate))) {
      this.loseWriteAck = false;
      this.dropAndThrow("link lost before the write was acknowledged");
    }
    if (att !== 0) {
      throw new PumpLinkTransportError("gatt_error", `ATT error 0x${att.toString(16).padStart(2, "0")}`, att);
    }
  }

  // ---- internals ---------------------------------------------------------------------------

  private async beforeOp(): Promise<void> {
    await Promise.resolve();
    if (this.hang) {
      this.hang = false;
      await new Promise<never>(() => {});
    }
    if (!this.connected) throw new PumpLinkTransportError("not_connected", "not connected");
    if (this.dropCountdown !== null) {
      if (this.dropCountdown === 0) {
        this.dropCountdown = null;
        this.dropAndThrow("link dropped (scheduled)");
      }
      this.dropCountdown--;
    }
    if (this.faults?.dropRate && this.roll(this.faults.dropRate)) this.dropAndThrow("link dropped (injected)");
  }

  private dropAndThrow(message: string): never {
    this.dropLink();
    throw new PumpLinkTransportError("disconnected", message);
  }

  private corrupt(bytes: Uint8Array, byteIndex?: number): void {
    if (bytes.length === 0) return;
    const index = byteIndex ?? Math.floor((this.rng?.() ?? 0.5) * bytes.length);
    const at = Math.min(bytes.length - 1, Math.max(0, index));
    // XOR with a non-zero mask: the byte always changes, and CRC-16 catches every single-byte error.
    const mask = 1 + Math.floor((this.rng?.() ?? 0) * 255);
    bytes[at] = (bytes[at] ?? 0) ^ mask;
    this.stats.corruptions++;
  }

  private roll(rate: number): boolean {
    return this.rng !== null && this.rng() < rate;
  }
}
