/**
 * PumpLinkTransport over the browser's Web Bluetooth API (protocol §2). Browser-only at run
 * time, but imports nothing browser-specific, so it type-checks and unit-tests in Node with a fake.
 */
import { PumpLinkTransportError } from "@/lib/pump-link/errors";
import type { PumpLinkTransport } from "@/lib/pump-link/transport";
import {
  DEVICE_INFORMATION_SERVICE_UUID,
  DEVICE_INFORMATION_UUIDS,
  PUMP_CHARACTERISTICS,
  PUMP_LINK_CHARACTERISTIC_UUIDS,
  PUMP_LINK_SERVICE_UUID,
} from "@/lib/pump-link/uuids";
import type { PumpCharacteristic } from "@/lib/pump-link/uuids";
import type { WbBluetooth, WbCharacteristic, WbDevice, WbGattServer } from "@/lib/pump-link/web-bluetooth-types";

export type WebBluetoothSupport =
  | { supported: true }
  | {
      supported: false;
      reason: "no_browser" | "insecure_context" | "ios" | "safari" | "firefox" | "not_available";
      /** Plain-language explanation and what to do instead, for the patient. */
      message: string;
    };

export interface BrowserEnvironment {
  isSecureContext?: boolean;
  navigator?: { userAgent?: string; platform?: string; maxTouchPoints?: number; bluetooth?: unknown };
}

const SYNC_ELSEWHERE =
  "You can still see your pump's last synced status here; to sync or request a bolus, use the pump's handheld, " +
  "or open Pump Portal in Chrome or Edge on an Android phone or a computer.";

/** Explains whether this browser can talk to the pump, and if not, why and what to do instead. */
export function webBluetoothSupport(env: BrowserEnvironment | undefined = globalThis as BrowserEnvironment): WebBluetoothSupport {
  const nav = env?.navigator;
  if (nav === undefined) {
    return { supported: false, reason: "no_browser", message: "Bluetooth is only available in the browser." };
  }
  if (env?.isSecureContext === false) {
    return {
      supported: false,
      reason: "insecure_context",
      message: "Bluetooth needs a secure (https) connection. Open Pump Portal from its https address.",
    };
  }
  if (nav.bluetooth !== undefined && nav.bluetooth !== null) return { supported: true };
  const ua = nav.userAgent ?? "";
  // iPadOS reports a Mac user agent; touch support gives it away. Every iOS browser is WebKit.
  const ios = /iPad|iPhone|iPod/.test(ua) || (nav.platform === "MacIntel" && (nav.maxTouchPoints ?? 0) > 1);
  if (ios) {
    return {
      supported: false,
      reason: "ios",
      message: `Browsers on iPhone and iPad cannot use Bluetooth from web pages. ${SYNC_ELSEWHERE}`,
    };
  }
  if (/Firefox\//.test(ua)) {
    return { supported: false, reason: "firefox", message: `Firefox does not support Web Bluetooth. ${SYNC_ELSEWHERE}` };
  }
  if (/Safari\//.test(ua) && !/Chrome\/|Chromium\/|Edg\//.test(ua)) {
    return { supported: false, reason: "safari", message: `Safari does not support Web Bluetooth. ${SYNC_ELSEWHERE}` };
  }
  return {
    supported: false,
    reason: "not_available",
    message:
      "This browser does not offer Web Bluetooth. Use Chrome or Edge on Android, Windows, macOS or ChromeOS " +
      `(on Linux it must be switched on in the browser's experimental settings). ${SYNC_ELSEWHERE}`,
  };
}

export function navigatorBluetooth(env: BrowserEnvironment | undefined = globalThis as BrowserEnvironment): WbBluetooth {
  const bluetooth = env?.navigator?.bluetooth as WbBluetooth | undefined | null;
  if (bluetooth === undefined || bluetooth === null) {
    const support = webBluetoothSupport(env);
    throw new PumpLinkTransportError("unsupported", support.supported ? "Web Bluetooth is unavailable" : support.message);
  }
  return bluetooth;
}

/** Opens the browser's device chooser (must run inside a user gesture, e.g. a click handler). */
export async function requestPumpDevice(bluetooth: WbBluetooth = navigatorBluetooth()): Promise<WbDevice> {
  try {
    return await bluetooth.requestDevice({
      filters: [{ services: [PUMP_LINK_SERVICE_UUID] }],
      optionalServices: [DEVICE_INFORMATION_SERVICE_UUID],
    });
  } catch (err) {
    // NotFoundError here means the patient closed the chooser without picking a pump.
    if (domName(err) === "NotFoundError") throw new PumpLinkTransportError("cancelled", "no pump was chosen");
    throw mapDomError(err, "requestDevice");
  }
}

export interface DeviceInformation {
  manufacturerName?: string;
  modelNumber?: string;
  hardwareRevision?: string;
  firmwareRevision?: string;
  softwareRevision?: string;
}

export class WebBluetoothTransport implements PumpLinkTransport {
  private server: WbGattServer | null = null;
  private chars: Partial<Record<PumpCharacteristic, WbCharacteristic>> = {};
  private readonly listeners = new Set<() => void>();
  private closing = false;
  private readonly handleDisconnect = (): void => {
    this.chars = {};
    if (this.closing) return;
    for (const listener of [...this.listeners]) listener();
  };

  constructor(readonly device: WbDevice) {
    device.addEventListener("gattserverdisconnected", this.handleDisconnect);
  }

  async connect(): Promise<void> {
    const gatt = this.device.gatt;
    if (gatt === undefined || gatt === null) throw new PumpLinkTransportError("not_found", "this device has no GATT server");
    this.closing = false;
    try {
      this.server = await gatt.connect();
      const service = await this.server.getPrimaryService(PUMP_LINK_SERVICE_UUID);
      const chars: Partial<Record<PumpCharacteristic, WbCharacteristic>> = {};
      for (const name of PUMP_CHARACTERISTICS) {
        chars[name] = await service.getCharacteristic(PUMP_LINK_CHARACTERISTIC_UUIDS[name]);
      }
      this.chars = chars;
    } catch (err) {
      this.chars = {};
      throw mapDomError(err, "connect");
    }
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    this.chars = {};
    const gatt = this.server ?? this.device.gatt;
    if (gatt?.connected) gatt.disconnect();
  }

  isConnected(): boolean {
    return this.device.gatt?.connected === true && this.chars.status !== undefined;
  }

  onDisconnect(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async read(characteristic: PumpCharacteristic): Promise<Uint8Array> {
    const char = this.characteristic(characteristic);
    try {
      const view = await char.readValue();
      // Copy: the DataView may share a buffer the browser reuses.
      return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    } catch (err) {
      throw mapDomError(err, `read ${characteristic}`);
    }
  }

  async write(characteristic: PumpCharacteristic, value: Uint8Array): Promise<void> {
    const char = this.characteristic(characteristic);
    try {
      await char.writeValueWithResponse(Uint8Array.from(value));
    } catch (err) {
      throw mapDomError(err, `write ${characteristic}`);
    }
  }

  /** Reads the Device Information Service strings the pump offers; missing ones are left out. */
  async readDeviceInformation(): Promise<DeviceInformation> {
    const info: DeviceInformation = {};
    if (this.server === null || !this.isConnected()) return info;
    let service;
    try {
      service = await this.server.getPrimaryService(DEVICE_INFORMATION_SERVICE_UUID);
    } catch {
      return info;
    }
    const decoder = new TextDecoder();
    for (const key of Object.keys(DEVICE_INFORMATION_UUIDS) as (keyof DeviceInformation)[]) {
      try {
        const view = await (await service.getCharacteristic(DEVICE_INFORMATION_UUIDS[key])).readValue();
        info[key] = decoder.decode(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      } catch {
        // Optional characteristic: absence is not an error.
      }
    }
    return info;
  }

  private characteristic(name: PumpCharacteristic): WbCharacteristic {
    const char = this.chars[name];
    if (char === undefined || this.device.gatt?.connected !== true) {
      throw new PumpLinkTransportError("not_connected", "not connected to the pump");
    }
    return char;
  }
}

function domName(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "name" in err && typeof err.name === "string" ? err.name : undefined;
}

/**
 * Chromium's DOMException names → transport error kinds. Anything unrecognised maps to
 * `disconnected`, whose meaning ("outcome unknown") is the safe assumption for a write.
 */
export function mapDomError(err: unknown, operation: string): PumpLinkTransportError {
  if (err instanceof PumpLinkTransportError) return err;
  const message = `${operation}: ${err instanceof Error ? err.message : String(err)}`;
  switch (domName(err)) {
    case "NotSupportedError": // "GATT Error: …" — the peripheral answered with an ATT error
    case "InvalidModificationError": // value too long for the attribute
      return new PumpLinkTransportError("gatt_error", message);
    case "NotFoundError":
      return new PumpLinkTransportError("not_found", message);
    case "SecurityError":
    case "NotAllowedError":
      return new PumpLinkTransportError("security", message);
    default: // NetworkError, InvalidStateError, AbortError (op cut short), unknown
      return new PumpLinkTransportError("disconnected", message);
  }
}
