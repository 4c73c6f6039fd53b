/**
 * The light half of the simulated pump (components/pump-link/simulated-pump.ts): where its state
 * is kept in the browser, and the error its setup raises. Imports nothing from the simulator, so
 * the patient's pages can check "was a demo pump connected?" without loading the pump-link code.
 */
import type { SimulatedPumpState } from "./simulated-pump";

export const SIMULATED_PUMP_VERSION = 1;

export class SimulatedPumpSetupError extends Error {
  override readonly name = "SimulatedPumpSetupError";
}

export function simulatedPumpStorageKey(patientId: string): string {
  return `pump-portal:simulated-pump:v${SIMULATED_PUMP_VERSION}:${patientId}`;
}

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadSimulatedPumpState(store: KeyValueStore, patientId: string): unknown {
  try {
    const raw = store.getItem(simulatedPumpStorageKey(patientId));
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

export function saveSimulatedPumpState(store: KeyValueStore, patientId: string, state: SimulatedPumpState): void {
  try {
    store.setItem(simulatedPumpStorageKey(patientId), JSON.stringify(state));
  } catch {
    // Storage full or disabled (private browsing): the demo still works, it just will not survive a reload.
  }
}

export function clearSimulatedPumpState(store: KeyValueStore, patientId: string): void {
  try {
    store.removeItem(simulatedPumpStorageKey(patientId));
  } catch {
    // Nothing to clear.
  }
}

/** Whether a stored demo pump was the connected one (so it should reconnect after a reload). */
export function storedSimulatedPumpIsActive(stored: unknown): boolean {
  return typeof stored === "object" && stored !== null && (stored as { active?: unknown }).active === true;
}
