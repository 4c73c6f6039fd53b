import type { PumpLinkTransport } from "@/lib/pump-link/transport";
import type { PumpCharacteristic } from "@/lib/pump-link/uuids";

/**
 * Counts the connections a transport actually made. The client reconnects by itself after a lost
 * link, sometimes without an error ever reaching it (the browser reported the drop between two
 * operations), so this is the reliable way to tell the patient how often the link dropped.
 */
export class CountingTransport implements PumpLinkTransport {
  connections = 0;
  constructor(readonly inner: PumpLinkTransport) {}
  async connect(): Promise<void> {
    await this.inner.connect();
    this.connections++;
  }
  disconnect(): Promise<void> {
    return this.inner.disconnect();
  }
  isConnected(): boolean {
    return this.inner.isConnected();
  }
  read(characteristic: PumpCharacteristic): Promise<Uint8Array> {
    return this.inner.read(characteristic);
  }
  write(characteristic: PumpCharacteristic, value: Uint8Array): Promise<void> {
    return this.inner.write(characteristic, value);
  }
  onDisconnect(listener: () => void): () => void {
    return this.inner.onDisconnect(listener);
  }
}
