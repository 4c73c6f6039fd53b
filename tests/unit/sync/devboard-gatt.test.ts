/**
 * The dev board's GATT glue without hardware: a fake bleno records what the glue registers, and a
 * fake central drives it the way an ATT client does (Read, then Read Blob at growing offsets for
 * long values, MTU-sized chunks). The real PumpLinkClient then syncs and boluses through it.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { applyDevboardCommand, parseDevboardCommand } from "@/lib/pump-link/devboard/console";
import { ATT, blenoUuid, startDevboard, type BlenoLike, type CharacteristicOptions, type ConnectionHandle } from "@/lib/pump-link/devboard/gatt";
import { PumpLinkClient } from "@/lib/pump-link/client";
import { decodeRecords, decodeResponse, encodeControlPoint } from "@/lib/pump-link/codec";
import { PumpLinkTransportError } from "@/lib/pump-link/errors";
import { ManualClock, PumpSimulator } from "@/lib/pump-link/simulator";
import type { PumpLinkTransport } from "@/lib/pump-link/transport";
import { DEVICE_INFORMATION_UUIDS, PUMP_LINK_CHARACTERISTIC_UUIDS, PUMP_LINK_SERVICE_UUID, type PumpCharacteristic } from "@/lib/pump-link/uuids";

class FakeCharacteristic {
  constructor(readonly options: CharacteristicOptions) {}
}
class FakeService {
  constructor(readonly options: { uuid: string; characteristics: FakeCharacteristic[] }) {}
}
class FakeBleno extends EventEmitter implements BlenoLike {
  state = "unknown";
  readonly Characteristic = FakeCharacteristic;
  readonly PrimaryService = FakeService as unknown as BlenoLike["PrimaryService"];
  services: FakeService[] = [];
  advertising: { name: string; uuids: string[] } | null = null;
  setServices(services: unknown[], callback?: (e?: Error | null) => void) {
    this.services = services as FakeService[];
    callback?.(null);
  }
  startAdvertising(name: string, uuids: string[] = [], callback?: (e?: Error | null) => void) {
    this.advertising = { name, uuids };
    callback?.(null);
  }
  stopAdvertising(callback?: () => void) {
    this.advertising = null;
    callback?.();
  }
  power(state: string) {
    this.state = state;
    this.emit("stateChange", state);
  }
  characteristic(which: PumpCharacteristic): CharacteristicOptions {
    const uuid = blenoUuid(PUMP_LINK_CHARACTERISTIC_UUIDS[which]);
    const found = this.services.flatMap((s) => s.options.characteristics).find((c) => c.options.uuid === uuid);
    if (!found) throw new Error(`no characteristic ${which}`);
    return found.options;
  }
}

/** Reads like an ATT client: Read at offset 0, then Read Blob while a chunk came back full. */
function longRead(opts: CharacteristicOptions, handle: ConnectionHandle, mtu: number): { result: number; value: Uint8Array } {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    let result = -1;
    let data: Buffer | undefined;
    opts.onReadRequest!(handle, offset, (r, d) => {
      result = r;
      data = d;
    });
    if (result !== ATT.success) return { result, value: new Uint8Array() };
    const chunk = (data ?? Buffer.alloc(0)).subarray(0, mtu - 1);
    chunks.push(chunk);
    offset += chunk.length;
    if (chunk.length < mtu - 1) return { result, value: new Uint8Array(Buffer.concat(chunks)) };
  }
}

function write(opts: CharacteristicOptions, handle: ConnectionHandle, value: Uint8Array, offset = 0, withoutResponse = false): number | null {
  let result: number | null = null;
  opts.onWriteRequest!(handle, Buffer.from(value), offset, withoutResponse, (r) => (result = r));
  return result;
}

/** A central on the other side of the fake adapter, as a PumpLinkTransport for the real client. */
class FakeCentral implements PumpLinkTransport {
  connected = false;
  constructor(
    private readonly bleno: FakeBleno,
    readonly handle: ConnectionHandle,
    private readonly mtu = 23,
  ) {}
  async connect() {
    this.connected = true;
    this.bleno.emit("accept", "aa:bb:cc:dd:ee:ff", this.handle);
  }
  async disconnect() {
    if (!this.connected) return;
    this.connected = false;
    this.bleno.emit("disconnect", "aa:bb:cc:dd:ee:ff", this.handle);
  }
  isConnected() {
    return this.connected;
  }
  onDisconnect() {
    return () => {};
  }
  async read(which: PumpCharacteristic) {
    if (!this.connected) throw new PumpLinkTransportError("not_connected", "not connected");
    const { result, value } = longRead(this.bleno.characteristic(which), this.handle, this.mtu);
    if (result !== ATT.success) throw new PumpLinkTransportError("gatt_error", `ATT 0x${result.toString(16)}`, result);
    return value;
  }
  async write(which: PumpCharacteristic, value: Uint8Array) {
    if (!this.connected) throw new PumpLinkTransportError("not_connected", "not connected");
    const att = write(this.bleno.characteristic(which), this.handle, value);
    if (att !== ATT.success) throw new PumpLinkTransportError("gatt_error", `ATT 0x${(att ?? 0).toString(16)}`, att ?? undefined);
  }
}

function board(options: { secure?: boolean; records?: number } = {}) {
  const sim = new PumpSimulator({ clock: new ManualClock(0), logId: 0xb0a4d });
  sim.seedHistory(options.records ?? 0);
  const bleno = new FakeBleno();
  const logs: string[] = [];
  const devboard = startDevboard(bleno, sim, { name: "PumpPortal-A4D0", secure: options.secure, log: (m) => logs.push(m) });
  bleno.power("poweredOn");
  return { sim, bleno, devboard, logs };
}

describe("dev board GATT glue", () => {
  it("advertises the pump link service under a neutral name once the adapter is on, and stops when it goes off", () => {
    const sim = new PumpSimulator();
    const bleno = new FakeBleno();
    startDevboard(bleno, sim, { name: "PumpPortal-0001" });
    expect(bleno.advertising).toBeNull();
    bleno.power("poweredOn");
    expect(bleno.advertising).toEqual({ name: "PumpPortal-0001", uuids: ["652d0100a9164056a8cec691a5c8e60b"] });
    expect(bleno.services.map((s) => s.options.uuid)).toEqual([blenoUuid(PUMP_LINK_SERVICE_UUID), "180a"]);
    bleno.power("poweredOff");
    expect(bleno.advertising).toBeNull();
  });

  it("declares the four characteristics with their properties, encrypted unless told otherwise, and Device Information", () => {
    const { bleno } = board();
    expect(bleno.characteristic("status")).toMatchObject({ properties: ["read", "notify"], secure: ["read", "notify"] });
    expect(bleno.characteristic("controlPoint")).toMatchObject({ properties: ["write"], secure: ["write"] });
    expect(bleno.characteristic("response")).toMatchObject({ properties: ["read", "notify"], secure: ["read", "notify"] });
    expect(bleno.characteristic("records")).toMatchObject({ properties: ["read"], secure: ["read"] });
    expect(board({ secure: false }).bleno.characteristic("records").secure).toEqual([]);
    const dis = bleno.services[1]!.options.characteristics.map((c) => [c.options.uuid, c.options.value?.toString("utf8")]);
    expect(dis).toContainEqual([blenoUuid(DEVICE_INFORMATION_UUIDS.manufacturerName), "Pump Portal"]);
    expect(dis.find(([uuid]) => uuid === "2a25")).toBeUndefined(); // no serial number (blocklisted, and identifying)
  });

  it("lets the real client sync 600 records and bolus exactly once over 20-byte reads", async () => {
    const { sim, bleno, devboard } = board({ records: 600 });
    const client = new PumpLinkClient({ transport: new FakeCentral(bleno, 7), sleep: async () => {}, initialRequestId: 1 });
    const status = await client.connect();
    expect(status.logId).toBe(0xb0a4d);
    const result = await client.syncRecords({ afterSeq: 0 });
    expect(result).toMatchObject({ complete: true, lastSeq: 600, crcRetries: 0 });
    expect(result.records.map((r) => r.seq)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    // One cursor advance per batch: Read Blobs continued the same snapshot instead of taking new batches.
    const batches = Math.ceil(600 / 33);
    expect(devboard.gatt.stats.reads.records).toBeLessThanOrEqual(batches + 1);

    const first = await client.requestBolus({ token: 0xabc, dose: status.permission.dose, permissionVersion: status.permission.version });
    expect(first).toMatchObject({ state: "confirmed", replayed: false });
    const again = await client.requestBolus({ token: 0xabc, dose: status.permission.dose, permissionVersion: status.permission.version });
    expect(again).toMatchObject({ state: "confirmed", replayed: true });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("serves every Read Blob of a long read from the snapshot taken at offset 0", () => {
    const { bleno, devboard } = board({ records: 100 });
    const cp = bleno.characteristic("controlPoint");
    expect(write(cp, 1, encodeControlPoint({ op: "select_records", requestId: 5, fromSeq: 1, maxCount: 100 }, 1))).toBe(ATT.success);
    const records = bleno.characteristic("records");
    let whole: Buffer | undefined;
    records.onReadRequest!(1, 0, (_r, d) => (whole = d));
    let tail: Buffer | undefined;
    records.onReadRequest!(1, 300, (_r, d) => (tail = d));
    expect(tail).toEqual(whole!.subarray(300));
    expect(devboard.gatt.stats.reads.records).toBe(1);
    let result = -1;
    records.onReadRequest!(1, whole!.length + 1, (r) => (result = r));
    expect(result).toBe(ATT.invalidOffset);
    // A Read Blob from another central has no snapshot of its own.
    records.onReadRequest!(2, 10, (r) => (result = r));
    expect(result).toBe(ATT.invalidOffset);
  });

  it("acknowledges only complete, short, acknowledged Control Point writes, with the device's ATT code", () => {
    const { bleno } = board();
    const cp = bleno.characteristic("controlPoint");
    const select = encodeControlPoint({ op: "select_records", requestId: 9, fromSeq: 1, maxCount: 10 }, 1);
    expect(write(cp, 1, select, 4)).toBe(ATT.invalidOffset);
    expect(write(cp, 1, new Uint8Array(21))).toBe(ATT.invalidAttributeValueLength);
    expect(write(cp, 1, select, 0, true)).toBeNull(); // Write Command: ignored, never acknowledged
    const corrupted = select.slice();
    corrupted[5] = (corrupted[5] ?? 0) ^ 0xff;
    expect(write(cp, 1, corrupted)).toBe(0x80);
    expect(decodeResponse(longRead(bleno.characteristic("response"), 1, 23).value).value).toMatchObject({ requestId: 9, result: "bad_crc" });
  });

  it("drops the selection when the central disconnects, as the protocol requires", () => {
    const { bleno } = board({ records: 50 });
    bleno.emit("accept", "central", 3);
    write(bleno.characteristic("controlPoint"), 3, encodeControlPoint({ op: "select_records", requestId: 1, fromSeq: 1, maxCount: 50 }, 1));
    bleno.emit("disconnect", "central", 3);
    bleno.emit("accept", "central", 4);
    const batch = decodeRecords(longRead(bleno.characteristic("records"), 4, 185).value).value;
    expect(batch).toEqual({ records: [], more: false });
  });

  it("notifies the Response to subscribers when it fits their MTU, never a truncated value", () => {
    const { bleno, sim, devboard } = board({ records: 5 });
    const small: Buffer[] = [];
    const large: Buffer[] = [];
    bleno.characteristic("response").onSubscribe!(1, 20, (d) => small.push(d));
    bleno.characteristic("response").onSubscribe!(2, 244, (d) => large.push(d));
    const cp = bleno.characteristic("controlPoint");
    write(cp, 1, encodeControlPoint({ op: "select_records", requestId: 2, fromSeq: 1, maxCount: 5 }, 1)); // 17-byte answer
    const s = sim.status();
    write(cp, 1, encodeControlPoint({ op: "request_bolus", requestId: 3, token: 77, dose: s.permission.dose, permissionVersion: s.permission.version }, 2)); // 28 bytes
    expect(small.map((d) => decodeResponse(new Uint8Array(d)).value.requestId)).toEqual([2]);
    expect(large.map((d) => decodeResponse(new Uint8Array(d)).value.requestId)).toEqual([2, 3]);
    bleno.characteristic("response").onUnsubscribe!(2);
    write(cp, 1, encodeControlPoint({ op: "query_bolus", requestId: 4, token: 77 }, 3));
    expect(large).toHaveLength(2);
    expect(devboard.gatt.stats.notifications).toBe(3);
  });

  it("explains an adapter it cannot use", () => {
    const sim = new PumpSimulator();
    const bleno = new FakeBleno();
    const logs: string[] = [];
    startDevboard(bleno, sim, { name: "x", log: (m) => logs.push(m) });
    bleno.power("unauthorized");
    expect(logs.at(-1)).toMatch(/unauthorized.*sudo/);
  });
});

describe("dev board console", () => {
  it("parses commands and explains mistakes", () => {
    expect(parseDevboardCommand("advance 90m")).toEqual({ kind: "advance", seconds: 5400 });
    expect(parseDevboardCommand("advance 2d")).toEqual({ kind: "advance", seconds: 172_800 });
    expect(parseDevboardCommand("alarm motorstall")).toEqual({ kind: "alarm", alarm: "motorStall", on: true });
    expect(parseDevboardCommand("clear occlusion")).toEqual({ kind: "alarm", alarm: "occlusion", on: false });
    expect(parseDevboardCommand("refill 20")).toEqual({ kind: "refill", addedUl: 20_000 });
    expect(parseDevboardCommand("")).toEqual({ kind: "status" });
    expect(parseDevboardCommand("advance soon")).toMatch(/duration/);
    expect(parseDevboardCommand("alarm lowReservoir")).toMatch(/follow the reservoir/);
    expect(parseDevboardCommand("fly")).toMatch(/unknown command/);
  });

  it("applies them to the simulated pump", () => {
    const clock = new ManualClock(0);
    const sim = new PumpSimulator({ clock });
    let skipped = 0;
    const apply = (line: string) => {
      const c = parseDevboardCommand(line);
      if (typeof c === "string") throw new Error(c);
      return applyDevboardCommand(sim, c, (s) => {
        skipped += s;
        clock.advance(s);
      });
    };
    expect(apply("alarm motorStall")).toMatch(/alarms motorStall/);
    expect(apply("advance 1h")).toMatch(/device time/);
    expect(skipped).toBe(3600);
    const before = sim.status().reservoirUl;
    apply("refill 1");
    expect(sim.status().reservoirUl).toBe(before + 1000);
    expect(apply("busy on")).toMatch(/BUSY/);
  });
});
