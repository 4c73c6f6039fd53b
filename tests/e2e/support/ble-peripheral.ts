/**
 * A Bluetooth pump for end-to-end tests: Chromium's CDP Bluetooth emulation presents a GATT
 * peripheral to the page, and this helper answers its operations from a PumpSimulator running in
 * the test (Node) process. The page runs the production Web Bluetooth code path unchanged,
 * including the real device chooser (answered through DeviceAccess).
 *
 *   test.use({ launchOptions: webBluetoothLaunchOptions });
 *   const sim = new PumpSimulator({ ... }); sim.seedHistory(600);
 *   const pump = await setupPumpPeripheral(browser, page, sim);
 *   await page.getByRole("button", { name: "Connect handheld" }).click();
 *   ...
 *   await pump.close();
 *
 * What Chromium 156's emulation does, and how this helper copes (see docs/pump-link-protocol.md
 * Appendix A and ../shared/TESTING-IN-CHROMIUM.md):
 * - After `simulateGATTDisconnection` the emulated services are gone: they are added again on the
 *   next connection, with new characteristic ids.
 * - Disconnecting while an operation is waiting for its answer hangs that operation and can crash
 *   the browser, so links are only ever dropped between operations: right after an answer.
 * - Every non-zero GATT answer code reaches the page as NotSupportedError ("GATT operation failed").
 *   A held (unanswered) operation can be answered later, after the page moved on.
 * - The emulation cannot notify; the protocol never needs it.
 */
import type { Browser, CDPSession, LaunchOptions, Page } from "@playwright/test";
import config from "../../../playwright.config";
import { decodeRecords } from "../../../lib/pump-link/codec";
import type { PumpSimulator } from "../../../lib/pump-link/simulator";
import { CCCD_UUID, PUMP_LINK_CHARACTERISTIC_UUIDS, PUMP_LINK_SERVICE_UUID, type PumpCharacteristic } from "../../../lib/pump-link/uuids";

/** The project's Chromium launch options plus the flag that exposes navigator.bluetooth on Linux. */
export const webBluetoothLaunchOptions: LaunchOptions = {
  ...config.use?.launchOptions,
  args: [...(config.use?.launchOptions?.args ?? []), "--enable-features=WebBluetooth"],
};

const PROPERTIES: Record<PumpCharacteristic, { read?: boolean; write?: boolean; notify?: boolean }> = {
  status: { read: true, notify: true },
  controlPoint: { write: true },
  response: { read: true, notify: true },
  records: { read: true },
};

/** GATT answer code for operations a fault makes fail ("unlikely error"); the page sees NotSupportedError. */
const GATT_FAILURE = 0x0e;

export interface PumpPeripheralStats {
  /** GATT connections the page made (the first one and every reconnection). */
  connections: number;
  reads: Record<PumpCharacteristic, number>;
  writes: number;
  /** Records the peripheral sent in Records batches (whatever the page then made of them). */
  recordsServed: number;
  /** Links this helper dropped. */
  drops: number;
  corruptions: number;
  /** Operations whose answer was withheld. */
  lost: number;
}

export interface PumpPeripheral {
  readonly sim: PumpSimulator;
  readonly address: string;
  readonly name: string;
  readonly stats: PumpPeripheralStats;
  /** Answers `ops` more read/write operations, then drops the link right after the last answer. */
  dropLinkAfterOps(ops: number): void;
  /** Drops the link now (deferred until the operation in progress, if any, has been answered). */
  dropLink(): Promise<void>;
  /** Flips one byte of the next value read (of `characteristic`, if given) after the simulator produced it. */
  corruptNextRead(characteristic?: PumpCharacteristic, byteIndex?: number): void;
  /**
   * The next operation (on `characteristic`, if given) reaches the simulator, but its answer never
   * reaches the page: the page's operation times out (the client's 10 s), exactly as when the
   * answer is lost on the air. The withheld operation is failed once the page has moved on.
   */
  loseNextResponse(characteristic?: PumpCharacteristic): void;
  /**
   * Answers `ops` more operations, then holds the next answer (so the page waits) until the returned
   * function is called: a way to look at the page mid-transfer. Resume within the client's 10 s timeout.
   */
  pauseAfterOps(ops: number): () => void;
  /** Resolves when `predicate(stats)` holds (polls the counters). */
  waitFor(predicate: (stats: PumpPeripheralStats) => boolean, timeoutMs?: number): Promise<void>;
  /** Stops answering and switches the emulation off. */
  close(): Promise<void>;
}

let nextAddress = 1;

/**
 * Emulates a pump for `page`, answering from `sim`. Call before the page clicks "Connect
 * handheld". One emulated pump per browser at a time (the emulation is browser-wide).
 */
export async function setupPumpPeripheral(
  browser: Browser,
  page: Page,
  sim: PumpSimulator,
  options: { name?: string; address?: string } = {},
): Promise<PumpPeripheral> {
  const address = options.address ?? `0A:00:00:00:00:${(nextAddress++ % 256).toString(16).padStart(2, "0").toUpperCase()}`;
  const name = options.name ?? `PumpPortal-${address.slice(-5).replace(":", "")}`;
  const bs: CDPSession = await browser.newBrowserCDPSession();
  const ps: CDPSession = await page.context().newCDPSession(page);

  try {
    await bs.send("BluetoothEmulation.enable", { state: "powered-on", leSupported: true });
  } catch {
    // Left enabled by an earlier test that did not close its peripheral: start clean.
    await bs.send("BluetoothEmulation.disable");
    await bs.send("BluetoothEmulation.enable", { state: "powered-on", leSupported: true });
  }
  await bs.send("BluetoothEmulation.simulatePreconnectedPeripheral", { address, name, manufacturerData: [], knownServiceUuids: [PUMP_LINK_SERVICE_UUID] });

  const stats: PumpPeripheralStats = {
    connections: 0,
    reads: { status: 0, controlPoint: 0, response: 0, records: 0 },
    writes: 0,
    recordsServed: 0,
    drops: 0,
    corruptions: 0,
    lost: 0,
  };
  let serviceId: string | null = null;
  let byId = new Map<string, PumpCharacteristic>();
  let dropAfter: number | null = null;
  let dropRequested = false;
  let corrupt: { characteristic?: PumpCharacteristic; byteIndex?: number } | null = null;
  let lose: { characteristic?: PumpCharacteristic } | null = null;
  let held: { characteristicId: string; type: string } | null = null;
  let pauseAfter: number | null = null;
  let paused: Promise<void> | null = null;
  let closed = false;

  const addServices = async () => {
    if (serviceId !== null) {
      await bs.send("BluetoothEmulation.removeService", { serviceId }).catch(() => undefined);
    }
    serviceId = (await bs.send("BluetoothEmulation.addService", { address, serviceUuid: PUMP_LINK_SERVICE_UUID })).serviceId;
    const next = new Map<string, PumpCharacteristic>();
    for (const key of Object.keys(PUMP_LINK_CHARACTERISTIC_UUIDS) as PumpCharacteristic[]) {
      const { characteristicId } = await bs.send("BluetoothEmulation.addCharacteristic", {
        serviceId,
        characteristicUuid: PUMP_LINK_CHARACTERISTIC_UUIDS[key],
        properties: PROPERTIES[key],
      });
      if (PROPERTIES[key].notify) await bs.send("BluetoothEmulation.addDescriptor", { characteristicId, descriptorUuid: CCCD_UUID });
      next.set(characteristicId, key);
    }
    byId = next;
  };
  await addServices();

  // A withheld answer is failed as soon as the page does anything else (it has given up on it).
  const releaseHeld = async () => {
    if (held === null) return;
    const h = held;
    held = null;
    await bs.send("BluetoothEmulation.simulateCharacteristicOperationResponse", { characteristicId: h.characteristicId, type: h.type as "read", code: GATT_FAILURE }).catch(() => undefined);
  };

  /** Answers, and when a drop is due, disconnects in the same breath (before the page can start another operation). */
  const answer = async (params: Record<string, unknown>, countsAsOp: boolean) => {
    if (countsAsOp && pauseAfter !== null && --pauseAfter < 0) {
      pauseAfter = null;
      await paused;
    }
    if (countsAsOp && dropAfter !== null) {
      dropAfter--;
      if (dropAfter <= 0) {
        dropAfter = null;
        dropRequested = true;
      }
    }
    const sent = bs.send("BluetoothEmulation.simulateCharacteristicOperationResponse", params as never);
    if (dropRequested) {
      dropRequested = false;
      const dropped = bs.send("BluetoothEmulation.simulateGATTDisconnection", { address });
      await Promise.all([sent, dropped]);
      sim.disconnect();
      stats.drops++;
      return;
    }
    await sent;
  };

  const handleCharacteristic = async (event: { characteristicId: string; type: string; data?: string }) => {
    await releaseHeld();
    const which = byId.get(event.characteristicId);
    if (which === undefined) {
      // An operation on a characteristic of a service we replaced: fail it rather than leave it hanging.
      await bs.send("BluetoothEmulation.simulateCharacteristicOperationResponse", { characteristicId: event.characteristicId, type: event.type as "read", code: GATT_FAILURE }).catch(() => undefined);
      return;
    }
    if (event.type === "subscribe-to-notifications" || event.type === "unsubscribe-from-notifications") {
      await answer({ characteristicId: event.characteristicId, type: event.type, code: 0 }, false);
      return;
    }
    const losing = lose !== null && (lose.characteristic === undefined || lose.characteristic === which);
    if (event.type === "read") {
      stats.reads[which]++;
      let value: Uint8Array = which === "status" ? sim.readStatus() : which === "response" ? sim.readResponse() : which === "records" ? sim.readRecords() : new Uint8Array();
      value = value.slice();
      if (which === "records") stats.recordsServed += safeRecordCount(value);
      if (corrupt !== null && (corrupt.characteristic === undefined || corrupt.characteristic === which) && value.length > 0) {
        const at = Math.min(value.length - 1, Math.max(0, corrupt.byteIndex ?? Math.floor(value.length / 2)));
        value[at] = (value[at] ?? 0) ^ 0x5a;
        corrupt = null;
        stats.corruptions++;
      }
      if (losing) {
        lose = null;
        stats.lost++;
        held = { characteristicId: event.characteristicId, type: "read" };
        return;
      }
      await answer({ characteristicId: event.characteristicId, type: "read", code: 0, data: Buffer.from(value).toString("base64") }, true);
      return;
    }
    if (event.type === "write") {
      stats.writes++;
      const att = which === "controlPoint" ? sim.writeControlPoint(new Uint8Array(Buffer.from(event.data ?? "", "base64"))) : 0x03;
      if (losing) {
        lose = null;
        stats.lost++;
        held = { characteristicId: event.characteristicId, type: "write" };
        return;
      }
      await answer({ characteristicId: event.characteristicId, type: "write", code: att }, true);
    }
  };

  const handleGatt = async (event: { address: string; type: string }) => {
    if (event.address !== address) return;
    await releaseHeld();
    if (event.type === "connection") {
      stats.connections++;
      sim.disconnect(); // a new link starts without a selection, as on a real device
      await addServices();
    }
    await bs.send("BluetoothEmulation.simulateGATTOperationResponse", { address, type: event.type as "connection", code: 0 });
  };

  // One operation at a time, in arrival order: the simulator is a single device.
  let queue: Promise<void> = Promise.resolve();
  const serial =
    <E>(fn: (event: E) => Promise<void>) =>
    (event: E) => {
      queue = queue.then(() => (closed ? undefined : fn(event))).catch((err: unknown) => {
        if (!closed) console.error("[ble-peripheral]", err);
      });
    };
  bs.on("BluetoothEmulation.gattOperationReceived", serial(handleGatt));
  bs.on("BluetoothEmulation.characteristicOperationReceived", serial(handleCharacteristic));
  bs.on(
    "BluetoothEmulation.descriptorOperationReceived",
    serial(async (event: { descriptorId: string; type: string }) => {
      await bs.send("BluetoothEmulation.simulateDescriptorOperationResponse", {
        descriptorId: event.descriptorId,
        type: event.type as "read",
        code: 0,
        ...(event.type === "read" ? { data: Buffer.from([0, 0]).toString("base64") } : {}),
      });
    }),
  );

  // The device chooser: pick this pump. Chromium raises the prompt twice with one id; answer once.
  await ps.send("DeviceAccess.enable");
  const answered = new Set<string>();
  ps.on("DeviceAccess.deviceRequestPrompted", (event) => {
    if (answered.has(event.id)) return;
    const device = event.devices.find((d) => d.id === address) ?? event.devices[0];
    if (!device) return;
    answered.add(event.id);
    void ps.send("DeviceAccess.selectPrompt", { id: event.id, deviceId: device.id }).catch(() => undefined);
  });

  return {
    sim,
    address,
    name,
    stats,
    dropLinkAfterOps(ops) {
      if (!(Number.isInteger(ops) && ops >= 1)) throw new RangeError("dropLinkAfterOps needs a whole number of operations ≥ 1");
      dropAfter = ops;
    },
    async dropLink() {
      // Queued behind any operation in progress, so the link never drops under a pending answer.
      const done = new Promise<void>((resolve) => {
        queue = queue.then(async () => {
          await bs.send("BluetoothEmulation.simulateGATTDisconnection", { address });
          sim.disconnect();
          stats.drops++;
          resolve();
        });
      });
      await done;
    },
    pauseAfterOps(ops) {
      let resume = () => {};
      paused = new Promise<void>((resolve) => (resume = resolve));
      pauseAfter = ops;
      return () => resume();
    },
    corruptNextRead(characteristic, byteIndex) {
      corrupt = { characteristic, byteIndex };
    },
    loseNextResponse(characteristic) {
      lose = { characteristic };
    },
    async waitFor(predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(stats)) {
        if (Date.now() > until) throw new Error(`peripheral: condition not met within ${timeoutMs} ms (${JSON.stringify(stats)})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await queue;
      await releaseHeld();
      closed = true;
      await ps.send("DeviceAccess.disable").catch(() => undefined);
      await bs.send("BluetoothEmulation.disable").catch(() => undefined);
      await ps.detach().catch(() => undefined);
      await bs.detach().catch(() => undefined);
    },
  };
}

function safeRecordCount(value: Uint8Array): number {
  try {
    return decodeRecords(value).value.records.length;
  } catch {
    return 0;
  }
}
