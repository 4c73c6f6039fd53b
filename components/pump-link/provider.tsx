"use client";

/**
 * The browser's connection to the patient's pump, shared by every patient page (Sync, Bolus):
 * one PumpLinkClient at a time, either over Web Bluetooth (a handheld or dev board) or over the
 * in-browser simulated pump used for demos.
 *
 * Wrap the patient's pages once (e.g. in app/(patient)/patient/layout.tsx):
 *
 *   <PumpLinkProvider patientId={patientId}>{children}</PumpLinkProvider>
 *
 * and read it anywhere below with `usePumpLink()`. The connection survives client-side
 * navigation between the wrapped pages. A simulated pump also survives reloads (its state is kept
 * in localStorage per patient, and it reconnects by itself); a Bluetooth pump needs a new click on
 * "Connect handheld" after a reload, because browsers only open the device chooser from a gesture.
 *
 * Safety: this layer never decides anything about delivery. It exposes the device's own status
 * (with the time it was read, which callers must show) and the client, whose bolus results are
 * confirmed only by the device (lib/pump-link/client.ts).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import type { PumpLinkClient, PumpLinkEvent } from "@/lib/pump-link/client";
import { PumpLinkError, PumpLinkTransportError } from "@/lib/pump-link/errors";
import type { PumpSimulator } from "@/lib/pump-link/simulator";
import type { PumpStatus } from "@/lib/pump-link/types";
import { requestPumpDevice, webBluetoothSupport } from "@/lib/pump-link/web-bluetooth-transport";
import type { SyncStateJson } from "@/lib/sync/schema";
import type { CountingTransport } from "./counting-transport";
import type * as LinkRuntime from "./link-runtime";
import type { ServerPumpState, SimulatedPump } from "./simulated-pump";
import {
  clearSimulatedPumpState,
  loadSimulatedPumpState,
  saveSimulatedPumpState,
  SimulatedPumpSetupError,
  storedSimulatedPumpIsActive,
} from "./simulated-pump-storage";

let runtime: Promise<typeof LinkRuntime> | null = null;

/**
 * Loads the pump-link code (client, codec, simulated pump) once. The provider sits in the
 * patient layout, but this code is fetched only when a page that talks to the pump mounts
 * (`useLinkRuntimePreload`) or a connection opens, so the patient's home page does not carry it.
 */
export function loadLinkRuntime(): Promise<typeof LinkRuntime> {
  runtime ??= import("./link-runtime").catch((err: unknown) => {
    runtime = null; // offline and not cached yet: let the next attempt try again
    throw err;
  });
  return runtime;
}

/** For pages that talk to the pump: fetch its code as soon as they mount, so a click finds it ready. */
export function useLinkRuntimePreload(): void {
  useEffect(() => {
    void loadLinkRuntime().catch(() => undefined);
  }, []);
}

export type PumpLinkState = "disconnected" | "connecting" | "connected" | "error";
export type PumpLinkMode = "bluetooth" | "simulated";

export interface PumpLinkValue {
  /**
   * `connected`: a pump was chosen and answered. The radio link under it may still drop; the client
   * re-establishes it by itself on the next operation (and an operation that cannot reach the pump
   * fails with a clear result, e.g. a bolus is `not_sent` or `unconfirmed`).
   * `error`: the last attempt to connect failed (see `error`); nothing is connected.
   */
  state: PumpLinkState;
  /** How the current (or connecting) pump is reached; null when disconnected. */
  mode: PumpLinkMode | null;
  /** The protocol client of the connected pump. It reconnects by itself after a dropped link. */
  client: PumpLinkClient | null;
  /** The pump's status as last read (decoded, protocol §4). Not live: show `statusReadAt` with it. */
  deviceStatus: PumpStatus | null;
  /** When `deviceStatus` was read, by this phone's clock. */
  statusReadAt: Date | null;
  /** A sentence for the patient about the last failure, or null. */
  error: string | null;
  /** Whether this browser can use Web Bluetooth, and if not, why and what to do instead. */
  support: ReturnType<typeof webBluetoothSupport>;
  /** The device's advertised name (Bluetooth), or "Simulated pump". */
  deviceName: string | null;
  /**
   * Opens the browser's device chooser and connects to the chosen pump. MUST be called directly
   * from a click (or other user gesture) handler: browsers refuse the chooser otherwise.
   */
  connectBluetooth(): Promise<void>;
  /**
   * Connects the in-browser demo pump, creating it from the patient's server state the first time
   * (therapy, permission and reservoir from the status endpoint; a log that continues after what
   * the server already holds). Call it as `link.useSimulated()`: it is not a React hook.
   */
  useSimulated(): Promise<void>;
  /** Disconnects (a simulated pump keeps its state for next time). */
  disconnect(): void;
  /** Reads the status again; rejects (and sets `error`) when the pump cannot be read. */
  refreshStatus(): Promise<void>;
  /** The demo pump's device, in simulated mode only (ground truth for demos; never for decisions). */
  simulator: PumpSimulator | null;
  /** Simulated mode: seconds the demo has skipped ahead of real time (0 otherwise). */
  simulatedAdvanceS: number;
  /** Simulated mode: skips simulated time ahead (lockouts end, new history accrues), then re-reads the status. */
  advanceSimulatedTime(seconds: number): Promise<void>;
  /** Forgets the demo pump (and reconnects a fresh one if it was connected). */
  resetSimulated(): Promise<void>;
  /** Link events of the connected client (CRC retries, reconnects, gaps, unconfirmed boluses). */
  onLinkEvent(listener: (event: PumpLinkEvent) => void): () => void;
  /** Connections the current link has made so far (1 after connecting; each reconnection adds one). */
  connectionCount(): number;
  patientId: string;
}

const PumpLinkContext = createContext<PumpLinkValue | null>(null);

/** The pump connection of the surrounding PumpLinkProvider. */
export function usePumpLink(): PumpLinkValue {
  const value = useContext(PumpLinkContext);
  if (value === null) throw new Error("usePumpLink() must be used inside <PumpLinkProvider>");
  return value;
}

/** Provides a PumpLinkProvider unless one already surrounds this subtree. */
export function PumpLinkScope({ patientId, children }: { patientId: string; children: React.ReactNode }) {
  const outer = useContext(PumpLinkContext);
  if (outer !== null) return <>{children}</>;
  return <PumpLinkProvider patientId={patientId}>{children}</PumpLinkProvider>;
}

interface Session {
  mode: PumpLinkMode;
  client: PumpLinkClient;
  transport: CountingTransport;
  deviceName: string;
  simulated: SimulatedPump | null;
}

interface Snapshot {
  state: PumpLinkState;
  mode: PumpLinkMode | null;
  session: Session | null;
  deviceStatus: PumpStatus | null;
  statusReadAt: Date | null;
  error: string | null;
  simulatedAdvanceS: number;
}

const DISCONNECTED: Snapshot = { state: "disconnected", mode: null, session: null, deviceStatus: null, statusReadAt: null, error: null, simulatedAdvanceS: 0 };

// Support only changes with the browser, so it is computed once; the server render assumes none
// and the client corrects it on hydration (useSyncExternalStore keeps the two renders consistent).
const SERVER_SUPPORT = { supported: false, reason: "no_browser", message: "Checking whether this browser can use Bluetooth…" } as const;
let clientSupport: ReturnType<typeof webBluetoothSupport> | null = null;
const getClientSupport = () => (clientSupport ??= webBluetoothSupport());
const getServerSupport = () => SERVER_SUPPORT;
const subscribeNever = () => () => {};

export function PumpLinkProvider({ patientId, children }: { patientId: string; children: React.ReactNode }) {
  const [snap, setSnap] = useState<Snapshot>(DISCONNECTED);
  const support = useSyncExternalStore(subscribeNever, getClientSupport, getServerSupport);
  // Each connect/disconnect bumps the generation, so late results of an abandoned attempt are dropped.
  const generation = useRef(0);
  const session = useRef<Session | null>(null);
  const demoPump = useRef<SimulatedPump | null>(null);
  const listeners = useRef(new Set<(event: PumpLinkEvent) => void>());

  const makeClient = useCallback(
    (rt: typeof LinkRuntime, transport: CountingTransport) =>
      new rt.PumpLinkClient({ transport, onEvent: (event) => listeners.current.forEach((l) => l(event)) }),
    [],
  );

  const closeSession = useCallback(() => {
    const current = session.current;
    session.current = null;
    if (current === null) return;
    void current.client.disconnect().catch(() => undefined);
    current.simulated?.setActive(false);
  }, []);

  const open = useCallback(async (gen: number, next: Session) => {
    const status = await next.client.connect();
    if (gen !== generation.current) {
      void next.client.disconnect().catch(() => undefined);
      return;
    }
    closeSession();
    session.current = next;
    next.simulated?.setActive(true);
    setSnap({
      state: "connected",
      mode: next.mode,
      session: next,
      deviceStatus: status,
      statusReadAt: new Date(),
      error: null,
      simulatedAdvanceS: next.simulated?.advancedS ?? 0,
    });
  }, [closeSession]);

  const fail = useCallback((gen: number, err: unknown) => {
    if (gen !== generation.current) return;
    if (err instanceof PumpLinkTransportError && err.kind === "cancelled") {
      setSnap(DISCONNECTED); // the patient closed the chooser: nothing to report
      return;
    }
    setSnap({ ...DISCONNECTED, state: "error", error: connectErrorMessage(err) });
  }, []);

  const connectBluetooth = useCallback(async () => {
    const gen = ++generation.current;
    // First statement of the click handler: the chooser needs the user's gesture.
    const chosen = requestPumpDevice();
    setSnap((s) => ({ ...s, state: "connecting", mode: "bluetooth", error: null }));
    try {
      const [device, rt] = await Promise.all([chosen, loadLinkRuntime()]);
      const transport = new rt.CountingTransport(new rt.WebBluetoothTransport(device));
      await open(gen, { mode: "bluetooth", client: makeClient(rt, transport), transport, deviceName: device.name ?? "Pump", simulated: null });
    } catch (err) {
      fail(gen, err);
    }
  }, [fail, makeClient, open]);

  const persist = useCallback((state: Parameters<typeof saveSimulatedPumpState>[2]) => saveSimulatedPumpState(window.localStorage, patientId, state), [patientId]);

  const connectSimulated = useCallback(
    async (gen: number, rt: typeof LinkRuntime, pump: SimulatedPump) => {
      demoPump.current = pump;
      const transport = new rt.CountingTransport(new rt.SimulatorTransport(pump.simulator));
      await open(gen, { mode: "simulated", client: makeClient(rt, transport), transport, deviceName: "Simulated pump", simulated: pump });
    },
    [makeClient, open],
  );

  const startSimulated = useCallback(async () => {
    const gen = ++generation.current;
    setSnap((s) => ({ ...s, state: "connecting", mode: "simulated", error: null }));
    try {
      const rt = await loadLinkRuntime();
      let pump = demoPump.current ?? rt.SimulatedPump.restore(loadSimulatedPumpState(window.localStorage, patientId), { onChange: persist });
      if (pump === null) {
        const [server, sync] = await Promise.all([
          getJson<ServerPumpState>(`/api/patients/${encodeURIComponent(patientId)}/status`),
          getJson<SyncStateJson>(`/api/patients/${encodeURIComponent(patientId)}/sync`),
        ]);
        pump = rt.SimulatedPump.create(rt.setupFromServer(server, sync), { onChange: persist });
      }
      await connectSimulated(gen, rt, pump);
    } catch (err) {
      fail(gen, err);
    }
  }, [connectSimulated, fail, patientId, persist]);

  const disconnect = useCallback(() => {
    generation.current++;
    closeSession();
    setSnap(DISCONNECTED);
  }, [closeSession]);

  const refreshStatus = useCallback(async () => {
    const current = session.current;
    if (current === null) throw new Error("No pump is connected.");
    try {
      const status = await current.client.readStatus();
      if (session.current !== current) return;
      setSnap((s) => ({ ...s, deviceStatus: status, statusReadAt: new Date(), error: null, simulatedAdvanceS: current.simulated?.advancedS ?? 0 }));
    } catch (err) {
      if (session.current === current) setSnap((s) => ({ ...s, error: connectErrorMessage(err) }));
      throw err;
    }
  }, []);

  const advanceSimulatedTime = useCallback(
    async (seconds: number) => {
      const pump = session.current?.simulated;
      if (!pump) throw new Error("Simulated time can only be advanced while the simulated pump is connected.");
      pump.advance(seconds);
      await refreshStatus();
    },
    [refreshStatus],
  );

  const resetSimulated = useCallback(async () => {
    const wasConnected = session.current?.mode === "simulated";
    if (wasConnected) disconnect();
    demoPump.current = null;
    clearSimulatedPumpState(window.localStorage, patientId);
    if (wasConnected) await startSimulated();
  }, [disconnect, patientId, startSimulated]);

  const onLinkEvent = useCallback((listener: (event: PumpLinkEvent) => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const connectionCount = useCallback(() => session.current?.transport.connections ?? 0, []);

  // A demo pump that was connected before a reload reconnects by itself (no gesture needed).
  // Its code is loaded only if there is such a pump.
  useEffect(() => {
    const stored = loadSimulatedPumpState(window.localStorage, patientId);
    if (!storedSimulatedPumpIsActive(stored)) return;
    const counter = generation;
    const gen = ++counter.current;
    void (async () => {
      const rt = await loadLinkRuntime();
      if (gen !== counter.current) return;
      const pump = rt.SimulatedPump.restore(stored, { onChange: persist });
      if (pump === null || !pump.state.active) return;
      await connectSimulated(gen, rt, pump);
    })().catch((err: unknown) => fail(gen, err));
    return () => {
      counter.current++;
    };
  }, [connectSimulated, fail, patientId, persist]);

  // Leaving the patient's pages releases the Bluetooth link.
  useEffect(
    () => () => {
      const current = session.current;
      session.current = null;
      if (current?.mode === "bluetooth") void current.client.disconnect().catch(() => undefined);
    },
    [],
  );

  const value = useMemo<PumpLinkValue>(
    () => ({
      state: snap.state,
      mode: snap.mode,
      client: snap.session?.client ?? null,
      deviceStatus: snap.deviceStatus,
      statusReadAt: snap.statusReadAt,
      error: snap.error,
      support,
      deviceName: snap.session?.deviceName ?? null,
      connectBluetooth,
      useSimulated: startSimulated,
      disconnect,
      refreshStatus,
      simulator: snap.session?.simulated?.simulator ?? null,
      simulatedAdvanceS: snap.simulatedAdvanceS,
      advanceSimulatedTime,
      resetSimulated,
      onLinkEvent,
      connectionCount,
      patientId,
    }),
    [snap, support, connectBluetooth, startSimulated, disconnect, refreshStatus, advanceSimulatedTime, resetSimulated, onLinkEvent, connectionCount, patientId],
  );

  return <PumpLinkContext.Provider value={value}>{children}</PumpLinkContext.Provider>;
}

async function getJson<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
  } catch {
    throw new SimulatedPumpSetupError("The simulated pump is set up from your pump's details on the server, and this phone seems to be offline. Try again when online.");
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new SimulatedPumpSetupError(body?.error?.message ?? `The server could not provide your pump's details (HTTP ${res.status}).`);
  }
  return (await res.json()) as T;
}

/** Connection failures in the patient's words. */
export function connectErrorMessage(err: unknown): string {
  if (err instanceof SimulatedPumpSetupError) return err.message;
  if (err instanceof PumpLinkTransportError) {
    switch (err.kind) {
      case "unsupported":
        return err.message;
      case "security":
        return "The browser did not allow Bluetooth. Check that Bluetooth is allowed for this site and switched on, then try again.";
      case "not_found":
        return "The chosen device does not offer the pump link. Choose your pump's handheld (its name starts with PumpPortal) and try again.";
      case "cancelled":
        return "No pump was chosen.";
      default:
        return "Could not connect to the pump. Check that it is switched on, nearby and not connected to another phone, then try again.";
    }
  }
  if (err instanceof PumpLinkError) {
    switch (err.code) {
      case "unsupported_version":
        return "This pump speaks a newer version of the link protocol. Reload the page to update Pump Portal, then try again.";
      case "integrity":
        return "Data from the pump kept arriving damaged. Move the phone closer to the pump and try again.";
      default:
        return `The pump did not answer as expected (${err.message}). Try again.`;
    }
  }
  return `Could not connect to the pump (${err instanceof Error ? err.message : String(err)}).`;
}
