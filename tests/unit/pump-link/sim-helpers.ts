/** Drives a PumpSimulator at the GATT level, without the client, for simulator tests. */
import { decodeRecords, decodeResponse, decodeStatus, encodeControlPoint } from "@/lib/pump-link/codec";
import type { PumpSimulator } from "@/lib/pump-link/simulator";
import type { ControlCommand, ControlResponse, PumpRecord, PumpStatus } from "@/lib/pump-link/types";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

let requestId = 100;

export function send(sim: PumpSimulator, command: DistributiveOmit<ControlCommand, "requestId">): ControlResponse & { att: number } {
  const id = ++requestId & 0xffff;
  const att = sim.writeControlPoint(encodeControlPoint({ ...command, requestId: id } as ControlCommand, 1));
  const resp = decodeResponse(sim.readResponse()).value;
  if (att === 0 && resp.requestId !== id) throw new Error("response does not match the request");
  return { ...resp, att };
}

export function bolus(sim: PumpSimulator, token: number, overrides: { dose?: number; permissionVersion?: number } = {}) {
  const s = status(sim);
  return send(sim, {
    op: "request_bolus",
    token,
    dose: overrides.dose ?? s.permission.dose,
    permissionVersion: overrides.permissionVersion ?? s.permission.version,
  });
}

export function status(sim: PumpSimulator): PumpStatus {
  return decodeStatus(sim.readStatus()).value;
}

/** Selects from `fromSeq` and reads every batch; returns the records and the batch sizes. */
export function readAll(sim: PumpSimulator, fromSeq = 1): { records: PumpRecord[]; batches: number[]; bytes: number[] } {
  send(sim, { op: "select_records", fromSeq, maxCount: 0xffff });
  const records: PumpRecord[] = [];
  const batches: number[] = [];
  const bytes: number[] = [];
  for (;;) {
    const raw = sim.readRecords();
    const batch = decodeRecords(raw).value;
    records.push(...batch.records);
    batches.push(batch.records.length);
    bytes.push(raw.length);
    if (!batch.more) return { records, batches, bytes };
  }
}
