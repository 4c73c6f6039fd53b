/**
 * WebBluetoothTransport against a fake navigator.bluetooth backed by the simulator: checks the
 * request options, GATT plumbing, error mapping and disconnect events that the browser drives.
 */
import { describe, expect, it } from "vitest";
import { PumpLinkClient } from "@/lib/pump-link/client";
import { PumpLinkTransportError } from "@/lib/pump-link/errors";
import { PumpSimulator } from "@/lib/pump-link/simulator";
import { DEVICE_INFORMATION_SERVICE_UUID, DEVICE_INFORMATION_UUIDS, PUMP_LINK_CHARACTERISTIC_UUIDS, PUMP_LINK_SERVICE_UUID } from "@/lib/pump-link/uuids";
import type { WbBluetooth, WbCharacteristic, WbDevice, WbGattServer, WbRequestDeviceOptions, WbService } from "@/lib/pump-link/web-bluetooth-types";
import { mapDomError, requestPumpDevice, WebBluetoothTransport, webBluetoothSupport } from "@/lib/pump-link/web-bluetooth-transport";

function domError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

class FakeDevice implements WbDevice {
  readonly id = "fake-1";
  readonly name = "Pump Portal dev board";
  connected = false;
  failNextWrite: Error | null = null;
  private readonly listeners = new Set<() => void>();
  readonly gatt: WbGattServer;

  constructor(readonly sim: PumpSimulator) {
    this.gatt = fakeGatt(this);
  }

  drop(): void {
    if (!this.connected) return;
    this.connected = false;
    this.sim.disconnect();
    for (const l of [...this.listeners]) l();
  }

  addEventListener(_type: "gattserverdisconnected", listener: () => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: "gattserverdisconnected", listener: () => void): void {
    this.listeners.delete(listener);
  }
}

function fakeGatt(device: FakeDevice): WbGattServer {
  const sim = device.sim;
  const char = (uuid: string): WbCharacteristic => ({
    uuid,
    async readValue() {
      if (!device.connected) throw domError("NetworkError", "GATT Server is disconnected.");
      const bytes =
        uuid === PUMP_LINK_CHARACTERISTIC_UUIDS.status
          ? sim.readStatus()
          : uuid === PUMP_LINK_CHARACTERISTIC_UUIDS.response
            ? sim.readResponse()
            : uuid === PUMP_LINK_CHARACTERISTIC_UUIDS.records
              ? sim.readRecords()
              : uuid === DEVICE_INFORMATION_UUIDS.modelNumber
                ? new TextEncoder().encode("PP-DEV-1")
                : null;
      if (bytes === null) throw domError("NotSupportedError", "GATT Error: Read not permitted.");
      // An offset view into a larger buffer, as browsers may hand out.
      const padded = new Uint8Array(bytes.length + 8);
      padded.set(bytes, 4);
      return new DataView(padded.buffer, 4, bytes.length);
    },
    async writeValueWithResponse(value: Uint8Array) {
      if (!device.connected) throw domError("NetworkError", "GATT Server is disconnected.");
      if (device.failNextWrite) {
        const e = device.failNextWrite;
        device.failNextWrite = null;
        throw e;
      }
      const att = sim.writeControlPoint(value);
      if (att !== 0) throw domError("NotSupportedError", "GATT Error Unknown.");
    },
  });
  const pumpService: WbService = {
    async getCharacteristic(uuid) {
      if (!Object.values(PUMP_LINK_CHARACTERISTIC_UUIDS).includes(uuid as never)) throw domError("NotFoundError", "No Characteristics matching UUID");
      return char(uuid);
    },
  };
  const disService: WbService = {
    async getCharacteristic(uuid) {
      if (uuid !== DEVICE_INFORMATION_UUIDS.modelNumber) throw domError("NotFoundError", "No Characteristics matching UUID");
      return char(uuid);
    },
  };
  const server: WbGattServer = {
    get connected() {
      return device.connected;
    },
    async connect() {
      device.connected = true;
      return server;
    },
    disconnect() {
      device.drop();
    },
    async getPrimaryService(uuid) {
      if (uuid === PUMP_LINK_SERVICE_UUID) return pumpService;
      if (uuid === DEVICE_INFORMATION_SERVICE_UUID) return disService;
      throw domError("NotFoundError", "No Services matching UUID");
    },
  };
  return server;
}

function fakeBluetooth(device: FakeDevice): WbBluetooth & { lastOptions?: WbRequestDeviceOptions } {
  const bt: WbBluetooth & { lastOptions?: WbRequestDeviceOptions } = {
    async requestDevice(options) {
      bt.lastOptions = options;
      return device;
    },
  };
  return bt;
}

describe("WebBluetoothTransport", () => {
  it("asks the chooser for the pump service and the Device Information service", async () => {
    const device = new FakeDevice(new PumpSimulator());
    const bt = fakeBluetooth(device);
    expect(await requestPumpDevice(bt)).toBe(device);
    expect(bt.lastOptions).toEqual({
      filters: [{ services: [PUMP_LINK_SERVICE_UUID] }],
      optionalServices: [DEVICE_INFORMATION_SERVICE_UUID],
    });
  });

  it("maps a cancelled chooser to `cancelled`", async () => {
    const bt: WbBluetooth = {
      requestDevice: async () => {
        throw domError("NotFoundError", "User cancelled the requestDevice() chooser.");
      },
    };
    await expect(requestPumpDevice(bt)).rejects.toMatchObject({ kind: "cancelled" });
  });

  it("runs the client end to end: status, sync, bolus, device information", async () => {
    const sim = new PumpSimulator({ reservoirReadingIntervalS: 0 });
    sim.seedHistory(80);
    const transport = new WebBluetoothTransport(new FakeDevice(sim));
    const client = new PumpLinkClient({ transport, sleep: async () => {} });
    expect(await client.connect()).toEqual(sim.status());
    expect((await client.syncRecords({ afterSeq: 0 })).records).toHaveLength(80);
    expect(await client.requestBolus({ token: 11, dose: 50, permissionVersion: 1 })).toMatchObject({ state: "confirmed" });
    expect(await transport.readDeviceInformation()).toEqual({ modelNumber: "PP-DEV-1" });
  });

  it("reports link loss through onDisconnect, not after an explicit disconnect", async () => {
    const device = new FakeDevice(new PumpSimulator());
    const transport = new WebBluetoothTransport(device);
    let drops = 0;
    transport.onDisconnect(() => drops++);
    await transport.connect();
    device.drop();
    expect(drops).toBe(1);
    expect(transport.isConnected()).toBe(false);
    await expect(transport.read("status")).rejects.toMatchObject({ kind: "not_connected" });
    await transport.connect();
    await transport.disconnect();
    expect(drops).toBe(1);
  });

  it("a write lost to the link is unconfirmed; the retry recovers the outcome", async () => {
    const sim = new PumpSimulator();
    const device = new FakeDevice(sim);
    const client = new PumpLinkClient({ transport: new WebBluetoothTransport(device), sleep: async () => {} });
    await client.connect();
    device.failNextWrite = domError("NetworkError", "GATT Server is disconnected. Cannot perform GATT operations.");
    expect(await client.requestBolus({ token: 12, dose: 50, permissionVersion: 1 })).toMatchObject({ state: "unconfirmed" });
    expect(await client.requestBolus({ token: 12, dose: 50, permissionVersion: 1 })).toMatchObject({ state: "confirmed", replayed: false });
    expect(sim.deliveries()).toHaveLength(1);
  });

  it("fails to connect to a device without the pump service", async () => {
    const server: WbGattServer = {
      connected: true,
      connect: async () => server,
      disconnect: () => {},
      getPrimaryService: async () => Promise.reject(domError("NotFoundError", "No Services matching UUID")),
    };
    const transport = new WebBluetoothTransport({ id: "other", gatt: server, addEventListener: () => {}, removeEventListener: () => {} });
    await expect(transport.connect()).rejects.toMatchObject({ kind: "not_found" });
    expect(transport.isConnected()).toBe(false);
  });

  it("maps DOMException names to transport error kinds", () => {
    const kinds = ["NetworkError", "NotSupportedError", "InvalidModificationError", "NotFoundError", "SecurityError", "NotAllowedError", "InvalidStateError", "AbortError", "Whatever"].map(
      (name) => mapDomError(domError(name, "x"), "op").kind,
    );
    expect(kinds).toEqual(["disconnected", "gatt_error", "gatt_error", "not_found", "security", "security", "disconnected", "disconnected", "disconnected"]);
    expect(mapDomError("weird", "op")).toBeInstanceOf(PumpLinkTransportError);
  });
});

describe("webBluetoothSupport", () => {
  const ua = {
    iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    chromeIos: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/130.0 Mobile/15E148 Safari/604.1",
    ipad: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    firefox: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    chromeLinux: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  };

  it("is supported when navigator.bluetooth exists in a secure context", () => {
    expect(webBluetoothSupport({ isSecureContext: true, navigator: { userAgent: ua.chromeLinux, bluetooth: {} } })).toEqual({ supported: true });
  });

  it.each([
    ["iphone", { userAgent: ua.iphone }, "ios"],
    ["chrome on iOS", { userAgent: ua.chromeIos }, "ios"],
    ["iPadOS (desktop UA)", { userAgent: ua.ipad, platform: "MacIntel", maxTouchPoints: 5 }, "ios"],
    ["safari on macOS", { userAgent: ua.safariMac, platform: "MacIntel", maxTouchPoints: 0 }, "safari"],
    ["firefox", { userAgent: ua.firefox }, "firefox"],
    ["chrome on linux without the flag", { userAgent: ua.chromeLinux }, "not_available"],
  ])("explains %s", (_name, navigator, reason) => {
    const r = webBluetoothSupport({ isSecureContext: true, navigator });
    expect(r).toMatchObject({ supported: false, reason });
    if (!r.supported) expect(r.message).toMatch(/handheld/);
  });

  it("needs a secure context and a browser", () => {
    expect(webBluetoothSupport({ isSecureContext: false, navigator: { bluetooth: {} } })).toMatchObject({ reason: "insecure_context" });
    expect(webBluetoothSupport({})).toMatchObject({ reason: "no_browser" });
  });
});
