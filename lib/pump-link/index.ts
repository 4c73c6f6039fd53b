/** Public surface of the pump link (docs/pump-link-protocol.md). */
export * from "@/lib/pump-link/types";
export * from "@/lib/pump-link/uuids";
export * from "@/lib/pump-link/errors";
export { crc16 } from "@/lib/pump-link/crc";
export {
  decodeControlPoint,
  decodeRecords,
  decodeResponse,
  decodeStatus,
  encodeControlPoint,
  encodeRecords,
  encodeResponse,
  encodeStatus,
} from "@/lib/pump-link/codec";
export { alarmNames, hasCriticalAlarm } from "@/lib/pump-link/alarms";
export { dailyVolumeUl, doseToVolumeNl, doseToVolumeUl } from "@/lib/pump-link/units";
export { newBolusToken } from "@/lib/pump-link/random";
export type { PumpLinkTransport, Timers } from "@/lib/pump-link/transport";
export { PumpLinkClient } from "@/lib/pump-link/client";
export type {
  BolusQueryResult,
  BolusRequest,
  BolusResult,
  PumpLinkClientOptions,
  PumpLinkEvent,
  SyncOptions,
  SyncResult,
} from "@/lib/pump-link/client";
export { ManualClock, PumpSimulator } from "@/lib/pump-link/simulator";
export type { DeliveredBolus, SimClock, SimulatorConfig } from "@/lib/pump-link/simulator";
export { SimulatorTransport } from "@/lib/pump-link/simulator-transport";
export type { RandomFaults, SimulatorTransportOptions } from "@/lib/pump-link/simulator-transport";
export {
  requestPumpDevice,
  WebBluetoothTransport,
  webBluetoothSupport,
} from "@/lib/pump-link/web-bluetooth-transport";
export type { DeviceInformation, WebBluetoothSupport } from "@/lib/pump-link/web-bluetooth-transport";
