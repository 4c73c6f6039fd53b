/**
 * The client's only view of the link. Implementations: SimulatorTransport (in memory, with fault
 * injection) and WebBluetoothTransport (browser). A CDP-emulated peripheral in Playwright sits
 * behind WebBluetoothTransport, so the client code under test is the production code.
 *
 * Contract for implementations:
 * - read/write reject only with PumpLinkTransportError;
 * - `not_connected` means nothing was sent; `gatt_error` means the peripheral answered with an ATT
 *   error; `disconnected`/`timeout` mean the outcome of a write is unknown;
 * - one operation at a time (the client serialises; Web Bluetooth rejects concurrent GATT ops).
 */
import type { PumpCharacteristic } from "@/lib/pump-link/uuids";

export type { PumpCharacteristic } from "@/lib/pump-link/uuids";

export interface PumpLinkTransport {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  read(characteristic: PumpCharacteristic): Promise<Uint8Array>;
  /** Write with response: resolves once the peripheral acknowledged the write. */
  write(characteristic: PumpCharacteristic, value: Uint8Array): Promise<void>;
  /** Called when the link drops (not after an explicit disconnect()); returns an unsubscribe function. */
  onDisconnect(listener: () => void): () => void;
}

/** Timer functions, injectable so tests never sleep for real. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
