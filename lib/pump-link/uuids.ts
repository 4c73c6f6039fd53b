/**
 * GATT identifiers of pump link protocol v1 (docs/pump-link-protocol.md §2).
 * Web Bluetooth requires lowercase full UUIDs; the 128-bit base was generated once at random and is fixed.
 */
export const PUMP_LINK_SERVICE_UUID = "652d0100-a916-4056-a8ce-c691a5c8e60b";

export const PUMP_LINK_CHARACTERISTIC_UUIDS = {
  status: "652d0101-a916-4056-a8ce-c691a5c8e60b",
  controlPoint: "652d0102-a916-4056-a8ce-c691a5c8e60b",
  response: "652d0103-a916-4056-a8ce-c691a5c8e60b",
  records: "652d0104-a916-4056-a8ce-c691a5c8e60b",
} as const;

export type PumpCharacteristic = keyof typeof PUMP_LINK_CHARACTERISTIC_UUIDS;

export const PUMP_CHARACTERISTICS: readonly PumpCharacteristic[] = ["status", "controlPoint", "response", "records"];

/** Bluetooth SIG Device Information Service and the string characteristics the app reads from it. */
export const DEVICE_INFORMATION_SERVICE_UUID = "0000180a-0000-1000-8000-00805f9b34fb";
export const DEVICE_INFORMATION_UUIDS = {
  manufacturerName: "00002a29-0000-1000-8000-00805f9b34fb",
  modelNumber: "00002a24-0000-1000-8000-00805f9b34fb",
  // Serial Number String (0x2A25) is on the Web Bluetooth blocklist, so the app never asks for it.
  hardwareRevision: "00002a27-0000-1000-8000-00805f9b34fb",
  firmwareRevision: "00002a26-0000-1000-8000-00805f9b34fb",
  softwareRevision: "00002a28-0000-1000-8000-00805f9b34fb",
} as const;

/** Client Characteristic Configuration descriptor, needed by peripherals that support notifications. */
export const CCCD_UUID = "00002902-0000-1000-8000-00805f9b34fb";
