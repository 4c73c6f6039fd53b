/**
 * The pump link GATT service (docs/pump-link-protocol.md §2) on a real Bluetooth adapter, served by
 * a BLE peripheral library with the bleno API (@stoprocent/bleno on a Linux board with BlueZ) and
 * answered by the PumpSimulator. scripts/devboard.ts runs it; tests inject a fake bleno.
 *
 * The glue is deliberately thin: every value comes from the simulator, which already implements
 * the protocol. What the glue adds is what a GATT server must do around it:
 * - long reads (Status is 70 bytes, Records up to 512) arrive as a Read at offset 0 and then Read
 *   Blobs at growing offsets; all of them are served from ONE snapshot taken at offset 0, so that a
 *   Records batch is read once and the cursor advances once (§7.1);
 * - Control Point writes are processed completely before the write is acknowledged (§5.1), and
 *   only Write Requests of at most 20 bytes at offset 0 are accepted (no long or unacknowledged writes);
 * - a disconnection drops the selection (§5.5) and everything kept for that central;
 * - Status and Response notify subscribers when the value fits the link's MTU (notifications are
 *   an optimisation; the app never depends on them).
 */
import type { PumpSimulator } from "@/lib/pump-link/simulator";
import { MAX_WRITE_BYTES } from "@/lib/pump-link/types";
import { DEVICE_INFORMATION_SERVICE_UUID, DEVICE_INFORMATION_UUIDS, PUMP_LINK_CHARACTERISTIC_UUIDS, PUMP_LINK_SERVICE_UUID, type PumpCharacteristic } from "@/lib/pump-link/uuids";

/** ATT result codes the glue answers with (Bluetooth Core Vol 3 Part F §3.4.1.1). */
export const ATT = {
  success: 0x00,
  writeNotPermitted: 0x03,
  invalidOffset: 0x07,
  attributeNotLong: 0x0b,
  invalidAttributeValueLength: 0x0d,
  unlikelyError: 0x0e,
} as const;

// ---------------------------------------------------------------------------------------------
// The part of the bleno API used here, typed structurally: the library is an optional dependency
// that may be absent (no Bluetooth stack to build against), and tests pass a fake.

export type ConnectionHandle = number | string;
export type ReadCallback = (result: number, data?: Buffer) => void;
export type WriteCallback = (result: number) => void;
export type NotifyCallback = (data: Buffer) => void;

export interface CharacteristicOptions {
  uuid: string;
  properties: string[];
  secure?: string[];
  value?: Buffer | null;
  onReadRequest?: (handle: ConnectionHandle, offset: number, callback: ReadCallback) => void;
  onWriteRequest?: (handle: ConnectionHandle, data: Buffer, offset: number, withoutResponse: boolean, callback: WriteCallback) => void;
  onSubscribe?: (handle: ConnectionHandle, maxValueSize: number, updateValueCallback: NotifyCallback) => void;
  onUnsubscribe?: (handle: ConnectionHandle) => void;
}

export interface BlenoLike {
  readonly state: string;
  readonly Characteristic: new (options: CharacteristicOptions) => unknown;
  readonly PrimaryService: new (options: { uuid: string; characteristics: unknown[] }) => unknown;
  on(event: "stateChange", listener: (state: string) => void): unknown;
  on(event: "accept" | "disconnect", listener: (address: string, handle: ConnectionHandle) => void): unknown;
  on(event: "mtuChange", listener: (mtu: number) => void): unknown;
  removeAllListeners?(event?: string): unknown;
  setServices(services: unknown[], callback?: (error?: Error | null) => void): void;
  startAdvertising(name: string, serviceUuids?: string[], callback?: (error?: Error | null) => void): void;
  stopAdvertising(callback?: () => void): void;
  disconnect?(): void;
  stop?(): void;
}

export interface DevboardOptions {
  /** Advertised local name; neutral (protocol §2): no drug, therapy or patient. */
  name: string;
  /**
   * Require an encrypted link for the pump link characteristics (default true). bleno pairs with
   * LE legacy "Just Works" only: encrypted, not authenticated, so a dev board never meets the
   * Security Mode 1 Level 4 of protocol §10 and must never carry real patient data.
   */
  secure?: boolean;
  deviceInformation?: { manufacturerName?: string; modelNumber?: string; firmwareRevision?: string; softwareRevision?: string; hardwareRevision?: string };
  log?: (message: string) => void;
}

/** Bleno's UUID form: lowercase hex without dashes; 16-bit SIG UUIDs as 4 digits. */
export function blenoUuid(uuid: string): string {
  const hex = uuid.toLowerCase().replace(/-/g, "");
  const sig = /^0000([0-9a-f]{4})00001000800000805f9b34fb$/.exec(hex);
  return sig?.[1] ?? hex;
}

const PROPERTIES: Record<PumpCharacteristic, string[]> = {
  status: ["read", "notify"],
  controlPoint: ["write"],
  response: ["read", "notify"],
  records: ["read"],
};

export interface PumpGatt {
  services: unknown[];
  /** Forget everything kept for a central that disconnected (called on bleno's "disconnect"). */
  dropCentral(handle: ConnectionHandle): void;
  /** Live counters, for the console and tests. */
  stats: { reads: Record<PumpCharacteristic, number>; writes: number; notifications: number };
}

/** Builds the Pump Link and Device Information services over `sim`. */
export function createPumpGatt(bleno: BlenoLike, sim: PumpSimulator, options: DevboardOptions): PumpGatt {
  const secure = options.secure ?? true;
  const log = options.log ?? (() => {});
  const snapshots = new Map<string, Uint8Array>();
  const subscribers = new Map<PumpCharacteristic, Map<string, { maxValueSize: number; update: NotifyCallback }>>([
    ["status", new Map()],
    ["response", new Map()],
  ]);
  const stats: PumpGatt["stats"] = { reads: { status: 0, controlPoint: 0, response: 0, records: 0 }, writes: 0, notifications: 0 };
  const key = (which: PumpCharacteristic, handle: ConnectionHandle) => `${which}:${String(handle)}`;

  const produce = (which: PumpCharacteristic): Uint8Array => {
    switch (which) {
      case "status":
        return sim.readStatus();
      case "response":
        return sim.readResponse();
      case "records":
        return sim.readRecords();
      case "controlPoint":
        return new Uint8Array();
    }
  };

  const reader =
    (which: PumpCharacteristic) =>
    (handle: ConnectionHandle, offset: number, callback: ReadCallback): void => {
      try {
        let value: Uint8Array | undefined;
        if (offset === 0) {
          // A new read: a new value. Read Blobs that follow continue this very snapshot.
          value = produce(which);
          snapshots.set(key(which, handle), value);
          stats.reads[which]++;
        } else {
          value = snapshots.get(key(which, handle));
        }
        if (value === undefined || offset > value.length) {
          callback(ATT.invalidOffset);
          return;
        }
        callback(ATT.success, Buffer.from(value.subarray(offset)));
      } catch (err) {
        log(`read ${which} failed: ${err instanceof Error ? err.message : String(err)}`);
        callback(ATT.unlikelyError);
      }
    };

  const notify = (which: PumpCharacteristic) => {
    const subs = subscribers.get(which);
    if (!subs || subs.size === 0) return;
    const value = which === "response" ? sim.readResponse() : sim.readStatus();
    for (const sub of subs.values()) {
      // A truncated value would fail its CRC at the app: better not to send it at all.
      if (value.length > sub.maxValueSize) continue;
      sub.update(Buffer.from(value));
      stats.notifications++;
    }
  };

  const writeControlPoint = (_handle: ConnectionHandle, data: Buffer, offset: number, withoutResponse: boolean, callback: WriteCallback): void => {
    if (withoutResponse) {
      // Commands must be acknowledged (§5.1); a Write Command cannot be, so it is ignored.
      log("ignored a Control Point write without response");
      return;
    }
    if (offset !== 0) {
      callback(ATT.invalidOffset);
      return;
    }
    if (data.length > MAX_WRITE_BYTES) {
      callback(ATT.invalidAttributeValueLength);
      return;
    }
    stats.writes++;
    let att: number;
    try {
      // Synchronous: the command is decided, logged and its Response set before we acknowledge.
      att = sim.writeControlPoint(new Uint8Array(data));
    } catch (err) {
      log(`control point failed: ${err instanceof Error ? err.message : String(err)}`);
      callback(ATT.unlikelyError);
      return;
    }
    callback(att);
    notify("response");
  };

  const pumpCharacteristic = (which: PumpCharacteristic) => {
    const props = PROPERTIES[which];
    const opts: CharacteristicOptions = {
      uuid: blenoUuid(PUMP_LINK_CHARACTERISTIC_UUIDS[which]),
      properties: props,
      secure: secure ? props : [],
    };
    if (props.includes("read")) opts.onReadRequest = reader(which);
    if (which === "controlPoint") opts.onWriteRequest = writeControlPoint;
    if (props.includes("notify")) {
      opts.onSubscribe = (handle, maxValueSize, update) => {
        subscribers.get(which)?.set(String(handle), { maxValueSize, update });
      };
      opts.onUnsubscribe = (handle) => {
        subscribers.get(which)?.delete(String(handle));
      };
    }
    return new bleno.Characteristic(opts);
  };

  const info = {
    manufacturerName: "Pump Portal",
    modelNumber: "Pump link dev board (simulated pump)",
    firmwareRevision: "pump link protocol v1",
    ...options.deviceInformation,
  };
  const infoCharacteristics = (Object.keys(DEVICE_INFORMATION_UUIDS) as (keyof typeof DEVICE_INFORMATION_UUIDS)[])
    .filter((k) => typeof info[k] === "string")
    .map((k) => new bleno.Characteristic({ uuid: blenoUuid(DEVICE_INFORMATION_UUIDS[k]), properties: ["read"], value: Buffer.from(info[k] ?? "", "utf8") }));

  const services = [
    new bleno.PrimaryService({
      uuid: blenoUuid(PUMP_LINK_SERVICE_UUID),
      characteristics: (["status", "controlPoint", "response", "records"] as const).map(pumpCharacteristic),
    }),
    new bleno.PrimaryService({ uuid: blenoUuid(DEVICE_INFORMATION_SERVICE_UUID), characteristics: infoCharacteristics }),
  ];

  return {
    services,
    stats,
    dropCentral(handle) {
      for (const which of ["status", "response", "records"] as const) {
        snapshots.delete(key(which, handle));
        subscribers.get(which)?.delete(String(handle));
      }
      // Selections do not survive a disconnection (§5.5); the Response does (§6).
      sim.disconnect();
    },
  };
}

const ADAPTER_HINTS: Record<string, string> = {
  unsupported: "no Bluetooth LE adapter found: check `hciconfig` / `bluetoothctl list`, or pick another adapter with --hci",
  unauthorized: "no permission to use the adapter: run with sudo, or grant node cap_net_raw (see docs/devboard.md)",
  poweredOff: "the adapter is off: `sudo rfkill unblock bluetooth && sudo hciconfig hci0 up`",
};

export interface Devboard {
  gatt: PumpGatt;
  /** Stops advertising and releases the adapter. */
  stop(): Promise<void>;
}

/**
 * Serves the pump on `bleno`: sets the services and advertises the Pump Link service UUID with a
 * neutral name whenever the adapter is powered on; tidies up after each central.
 */
export function startDevboard(bleno: BlenoLike, sim: PumpSimulator, options: DevboardOptions): Devboard {
  const log = options.log ?? (() => {});
  const gatt = createPumpGatt(bleno, sim, options);
  const centrals = new Set<string>();
  let serving = false;

  const advertise = () => {
    if (serving) return;
    serving = true;
    bleno.setServices(gatt.services, (err) => {
      if (err) log(`could not set the GATT services: ${err.message}`);
    });
    bleno.startAdvertising(options.name, [blenoUuid(PUMP_LINK_SERVICE_UUID)], (err) => {
      if (err) log(`could not start advertising: ${err.message}`);
      else log(`advertising as "${options.name}" with the pump link service`);
    });
  };

  bleno.on("stateChange", (state) => {
    log(`Bluetooth adapter: ${state}${ADAPTER_HINTS[state] ? ` (${ADAPTER_HINTS[state]})` : ""}`);
    if (state === "poweredOn") advertise();
    else if (serving) {
      serving = false;
      bleno.stopAdvertising();
    }
  });
  bleno.on("accept", (address, handle) => {
    centrals.add(String(handle));
    log(`central ${address} connected${centrals.size > 1 ? ` (${centrals.size} centrals: the protocol expects one at a time)` : ""}`);
  });
  bleno.on("disconnect", (address, handle) => {
    centrals.delete(String(handle));
    gatt.dropCentral(handle);
    log(`central ${address} disconnected`);
  });
  bleno.on("mtuChange", (mtu) => log(`ATT MTU ${mtu}`));
  // Already powered on (the adapter was ready before we subscribed): start now.
  if (bleno.state === "poweredOn") advertise();

  return {
    gatt,
    stop: () =>
      new Promise<void>((resolve) => {
        bleno.stopAdvertising(() => {
          bleno.disconnect?.();
          bleno.stop?.();
          resolve();
        });
      }),
  };
}
