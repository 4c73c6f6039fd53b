import { describe, expect, it } from "vitest";
import {
  clearSimulatedPumpState,
  loadSimulatedPumpState,
  saveSimulatedPumpState,
  SimulatedPump,
  SimulatedPumpSetupError,
  setupFromServer,
  type ServerPumpState,
  type SimulatedPumpState,
} from "@/components/pump-link/simulated-pump";
import { PumpLinkClient } from "@/lib/pump-link/client";
import { SimulatorTransport } from "@/lib/pump-link/simulator-transport";

const server: ServerPumpState = {
  pump: { reservoirCapacityUl: 40_000 },
  therapy: { doseUnit: "ug", concentration: 2000, dailyDose: 400, lowReservoirThresholdUl: 2000 },
  bolusPermission: { version: 3, enabled: true, dose: 50, durationSeconds: 600, lockoutSeconds: 3 * 3600, maxPer24h: 4 },
  reading: { reservoirUl: 21_000, batteryPercent: 66, therapyState: "running" },
  projection: { estimatedCurrentUl: 20_600 },
};
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

class MemoryStore {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

function demo(wall: { ms: number }, store = new MemoryStore(), patient = "p1") {
  const setup = setupFromServer(server, { logId: 77, lastSeq: 1240 });
  const pump = SimulatedPump.create(setup, { wallMs: () => wall.ms, onChange: (s) => saveSimulatedPumpState(store, patient, s) });
  return { pump, store, setup };
}
const restore = (store: MemoryStore, wall: { ms: number }, patient = "p1") =>
  SimulatedPump.restore(loadSimulatedPumpState(store, patient), { wallMs: () => wall.ms, onChange: (s) => saveSimulatedPumpState(store, patient, s) });

describe("simulated pump", () => {
  it("matches the patient's therapy and permission and continues the server's log", () => {
    const wall = { ms: T0 };
    const { pump } = demo(wall);
    const s = pump.simulator.status();
    expect(s).toMatchObject({
      logId: 77,
      doseUnit: "microgram",
      concentration: 2000,
      basalDosePerDay: 400,
      capacityUl: 40_000,
      lowReservoirThresholdUl: 2000,
      therapyState: "running",
      batteryPercent: 66,
      deviceTime: T0 / 1000,
      permission: { enabled: true, dose: 50, volumeUl: 25, lockoutS: 10_800, durationS: 600, maxPer24h: 4, version: 3 },
    });
    // The server's estimate of what is left, less three simulated hours of basal (200 µL/day).
    expect(s.reservoirUl).toBe(20_600 - 25);
    // New history beyond the server's last record: 9 seeded + 3 hourly reservoir readings, all in the past.
    expect(s.highestSeq).toBe(1240 + 12);
    const fresh = pump.simulator.heldRecords().filter((r) => r.seq > 1240);
    expect(fresh).toHaveLength(12);
    expect(fresh.every((r) => r.time <= T0 / 1000 && r.time > T0 / 1000 - 3 * 3600)).toBe(true);
    expect(fresh.map((r) => r.time)).toEqual([...fresh.map((r) => r.time)].sort((a, b) => a - b));
  });

  it("follows real time, and skipping ahead moves the pump's clock and history on", () => {
    const wall = { ms: T0 };
    const { pump } = demo(wall);
    wall.ms += 90_000;
    expect(pump.simulator.status().deviceTime).toBe(T0 / 1000 + 90);
    const before = pump.simulator.status().highestSeq;
    pump.advance(3 * 3600);
    expect(pump.simulator.status().deviceTime).toBe(T0 / 1000 + 90 + 3 * 3600);
    expect(pump.simulator.status().highestSeq).toBe(before + 3); // hourly reservoir readings
    expect(pump.advancedS).toBe(3 * 3600);
    expect(() => pump.advance(-5)).toThrow(RangeError);
  });

  it("survives a reload: boluses, lockout, token memory and skipped time come back exactly", async () => {
    const wall = { ms: T0 };
    const { pump, store } = demo(wall);
    const client = new PumpLinkClient({ transport: new SimulatorTransport(pump.simulator), initialRequestId: 1 });
    const status = await client.connect();
    const first = await client.requestBolus({ token: 0x1234, dose: 50, permissionVersion: status.permission.version });
    expect(first).toMatchObject({ state: "confirmed", dose: 50 });
    wall.ms += 60_000;
    expect(await client.requestBolus({ token: 0x5678, dose: 50, permissionVersion: 3 })).toMatchObject({ state: "denied", reason: "lockout_active" });
    pump.advance(3600);
    await client.syncRecords({ afterSeq: 1240 }); // reads and selections are not journaled
    const live = pump.simulator.status();
    const liveRecords = pump.simulator.heldRecords().filter((r) => r.seq > 1240);

    const saved = loadSimulatedPumpState(store, "p1") as SimulatedPumpState;
    expect(saved.journal).toHaveLength(2);
    const again = restore(store, wall);
    expect(again).not.toBeNull();
    expect(again!.simulator.status()).toEqual(live);
    expect(again!.simulator.heldRecords().filter((r) => r.seq > 1240)).toEqual(liveRecords);
    expect(again!.simulator.deliveries()).toEqual(pump.simulator.deliveries());
    // The device remembers the token across the reload: a retry replays, never delivers twice.
    const retried = await new PumpLinkClient({ transport: new SimulatorTransport(again!.simulator), initialRequestId: 50 }).requestBolus({ token: 0x1234, dose: 50, permissionVersion: 3 });
    expect(retried).toMatchObject({ state: "confirmed", replayed: true });
    expect(again!.simulator.deliveries()).toHaveLength(1);
    // Later reloads see time move on as real time passes.
    wall.ms += 2 * 3600_000;
    expect(restore(store, wall)!.simulator.status().bolus.lockoutRemainingS).toBe(0);
  });

  it("never lets simulated time go back when the phone's clock does", () => {
    const wall = { ms: T0 };
    const { pump, store } = demo(wall);
    wall.ms += 600_000;
    const t = pump.simulator.status().deviceTime;
    pump.setActive(true); // persists the floor
    wall.ms -= 3600_000;
    expect(pump.simulator.status().deviceTime).toBe(t);
    expect(restore(store, wall)!.simulator.status().deviceTime).toBe(t);
  });

  it("keeps demo pumps per patient and forgets them on request; ignores foreign or broken state", () => {
    const store = new MemoryStore();
    demo({ ms: T0 }, store, "p1");
    expect(loadSimulatedPumpState(store, "p2")).toBeNull();
    expect(restore(store, { ms: T0 }, "p1")).not.toBeNull();
    clearSimulatedPumpState(store, "p1");
    expect(restore(store, { ms: T0 }, "p1")).toBeNull();
    store.setItem([...store.map.keys()][0] ?? "pump-portal:simulated-pump:v1:p1", "{not json");
    expect(SimulatedPump.restore({ v: 99 })).toBeNull();
    expect(SimulatedPump.restore("nonsense")).toBeNull();
  });

  it("starts a fresh log for the demo when the server's log is too long to continue record by record", () => {
    const setup = setupFromServer(server, { logId: 77, lastSeq: 10_000_000 }, () => 0.5);
    expect(setup).toMatchObject({ lastSeq: 0 });
    expect(setup.logId).not.toBe(77);
    expect(setupFromServer(server, { logId: null, lastSeq: 0 }, () => 0).logId).toBe(1);
  });

  it("maps insulin pumps to milli-units and a missing permission to 'bolus disabled'", () => {
    const setup = setupFromServer({ ...server, therapy: { ...server.therapy!, doseUnit: "mU", concentration: 400 }, bolusPermission: null, reading: null, projection: { estimatedCurrentUl: null } }, { logId: 1, lastSeq: 0 });
    expect(setup.config).toMatchObject({ doseUnit: "milliunit", concentration: 400, reservoirUl: 20_000, batteryPercent: 80, permission: { enabled: false } });
  });

  it("explains when there is no therapy to simulate", () => {
    expect(() => setupFromServer({ ...server, therapy: null }, { logId: null, lastSeq: 0 })).toThrow(SimulatedPumpSetupError);
  });
});
