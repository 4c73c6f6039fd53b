/**
 * The heavy half of the pump connection: the protocol client (codec), the simulated pump and its
 * transports. The provider (components/pump-link/provider.tsx) sits in the patient layout so the
 * connection survives moving between pages, but it loads this module only when a page needs a
 * pump (Sync, Bolus) or a connection is opened — not on the patient's home page.
 */
export { PumpLinkClient } from "@/lib/pump-link/client";
export { SimulatorTransport } from "@/lib/pump-link/simulator-transport";
export { WebBluetoothTransport } from "@/lib/pump-link/web-bluetooth-transport";
export { CountingTransport } from "./counting-transport";
export { SimulatedPump, setupFromServer } from "./simulated-pump";
