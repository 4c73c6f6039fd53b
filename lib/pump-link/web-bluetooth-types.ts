/**
 * The slice of the Web Bluetooth API this app uses. Declared locally (not as globals) because
 * @types/web-bluetooth is not installed and global declarations would collide once it is.
 */

export interface WbRequestDeviceOptions {
  filters?: { services?: string[]; name?: string; namePrefix?: string }[];
  optionalServices?: string[];
  acceptAllDevices?: boolean;
}

export interface WbCharacteristic {
  readonly uuid: string;
  readValue(): Promise<DataView>;
  writeValueWithResponse(value: Uint8Array): Promise<void>;
}

export interface WbService {
  getCharacteristic(uuid: string): Promise<WbCharacteristic>;
}

export interface WbGattServer {
  readonly connected: boolean;
  connect(): Promise<WbGattServer>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<WbService>;
}

export interface WbDevice {
  readonly id: string;
  readonly name?: string | null;
  readonly gatt?: WbGattServer | null;
  addEventListener(type: "gattserverdisconnected", listener: () => void): void;
  removeEventListener(type: "gattserverdisconnected", listener: () => void): void;
}

export interface WbBluetooth {
  requestDevice(options: WbRequestDeviceOptions): Promise<WbDevice>;
  getAvailability?(): Promise<boolean>;
  /** Devices this origin was granted before (Chrome; behind a flag on some platforms). */
  getDevices?(): Promise<WbDevice[]>;
}
