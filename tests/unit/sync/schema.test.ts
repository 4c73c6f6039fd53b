import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeRecords, encodeRecords } from "@/lib/pump-link/codec";
import { PumpSimulator } from "@/lib/pump-link/simulator";
import type { PumpRecord } from "@/lib/pump-link/types";
import { fromZod } from "@/lib/http/errors";
import { MAX_RECORDS_PER_UPLOAD, recordForUpload, recordPayload, statusForUpload, syncUploadSchema, type SyncUpload } from "@/lib/sync/schema";
import { recordsArb } from "../pump-link/arbitraries";

const QUANTITIES = ["dose", "volumeUl", "requestedDose", "addedUl", "reservoirUl", "concentration", "basalDosePerDay"];
function inStorableRange(record: PumpRecord): PumpRecord {
  const out: Record<string, unknown> = { ...record };
  for (const key of QUANTITIES) {
    const v = out[key];
    if (typeof v === "number" && v > 0x7fff_ffff) out[key] = v % 0x8000_0000 || 1;
  }
  return out as unknown as PumpRecord;
}

const status = { deviceTime: 1_790_000_000, reservoirUl: 18_000, capacityUl: 20_000, batteryPercent: 80, alarmFlags: 0, therapyState: "running", highestSeq: 3 } as const;
const body = (records: unknown[], over: Record<string, unknown> = {}) => ({
  uploadId: "6f1c2a4e-9b7d-4c1e-8f3a-2d5b6c7e8f90",
  device: { logId: 7, status },
  records,
  ...over,
});
const reading = (seq: number) => ({ seq, time: 1_790_000_000, kind: "reservoir_reading", reservoirUl: 1000 });
const message = (input: unknown) => {
  const r = syncUploadSchema.safeParse(input);
  return r.success ? null : fromZod(r.error).message;
};

describe("sync upload schema", () => {
  it("accepts every record the pump link can decode, unchanged", () => {
    fc.assert(
      fc.property(recordsArb, (batch) => {
        // Quantities above 2^31 − 1 are refused on purpose (see below); keep them in range here.
        const records = batch.records.map(inStorableRange);
        // Through the wire format and back: exactly what the phone has in hand after a read.
        const decoded = decodeRecords(encodeRecords({ records, more: false }, 0)).value.records;
        const parsed = syncUploadSchema.parse(JSON.parse(JSON.stringify(body(decoded.map(recordForUpload)))));
        expect(parsed.records).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every field but seq, time and kind as the stored payload", () => {
    expect(recordPayload({ seq: 4, time: 9, kind: "bolus_delivered", token: 5, dose: 50, volumeUl: 25, permissionVersion: 3 })).toEqual({
      token: 5,
      dose: 50,
      volumeUl: 25,
      permissionVersion: 3,
    });
    expect(recordPayload({ seq: 4, time: 9, kind: "unknown", typeCode: 0x20, payloadHex: "beef" })).toEqual({ typeCode: 0x20, payloadHex: "beef" });
  });

  it("takes the status fields it stores from a decoded status", () => {
    const s = new PumpSimulator().status();
    expect(syncUploadSchema.parse(body([], { device: { logId: s.logId, status: statusForUpload(s) } })).device.status).toEqual({
      deviceTime: s.deviceTime,
      reservoirUl: s.reservoirUl,
      capacityUl: s.capacityUl,
      batteryPercent: s.batteryPercent,
      alarmFlags: s.alarmFlags,
      therapyState: s.therapyState,
      highestSeq: s.highestSeq,
    });
  });

  it.each<[string, unknown, RegExp]>([
    ["an unknown top-level field", body([], { extra: 1 }), /Unrecognized key/i],
    ["a missing uploadId", { device: { logId: 7, status }, records: [] }, /uploadId/],
    ["a uploadId that is not a UUID", body([], { uploadId: "x" }), /uploadId must be a UUID/],
    ["an unknown record kind", body([{ seq: 1, time: 1, kind: "teleport" }]), /not a pump record type/],
    ["a record with an extra field", body([{ ...reading(1), note: "hi" }]), /Unrecognized key/i],
    ["a record missing a field", body([{ seq: 1, time: 1, kind: "reservoir_reading" }]), /reservoirUl/],
    ["sequence number 0", body([reading(0)]), /sequence numbers start at 1/],
    ["a fractional sequence number", body([reading(1.5)]), /whole number/],
    ["a negative volume", body([{ ...reading(1), reservoirUl: -1 }]), /cannot be negative/],
    ["a sequence number beyond 32 bits", body([reading(2 ** 32)]), /larger than the pump protocol allows/],
    ["the same sequence number twice", body([reading(1), reading(1)]), /sequence number 1 appears twice/],
    ["a dose no pump can deliver", body([{ seq: 1, time: 1, kind: "bolus_delivered", token: 1, dose: 2 ** 31, volumeUl: 1, permissionVersion: 1 }]), /larger than/],
    ["token 0", body([{ seq: 1, time: 1, kind: "bolus_denied", token: 0, requestedDose: 50, reason: "lockout_active" }]), /token 0 is reserved/],
    ["an invented denial reason", body([{ seq: 1, time: 1, kind: "bolus_denied", token: 1, requestedDose: 50, reason: "bad_luck" }]), /reason/],
    ["a battery above 100 %", body([], { device: { logId: 7, status: { ...status, batteryPercent: 101 } } }), /batteryPercent/],
    ["more in the reservoir than fits", body([], { device: { logId: 7, status: { ...status, reservoirUl: 20_001 } } }), /reservoirUl exceeds capacityUl/],
    ["uppercase hex in an unknown record", body([{ seq: 1, time: 1, kind: "unknown", typeCode: 0x20, payloadHex: "BEEF" }]), /lowercase hex/],
    ["records as an object", body({} as unknown as unknown[]), /records/],
  ])("refuses %s with a message naming the problem", (_what, input, expected) => {
    expect(message(input)).toMatch(expected);
  });

  it(`refuses more than ${MAX_RECORDS_PER_UPLOAD} records per upload`, () => {
    const ok = body(Array.from({ length: MAX_RECORDS_PER_UPLOAD }, (_, i) => reading(i + 1)));
    expect(message(ok)).toBeNull();
    const tooMany = body(Array.from({ length: MAX_RECORDS_PER_UPLOAD + 1 }, (_, i) => reading(i + 1)));
    expect(message(tooMany)).toMatch(/at most 2000 records/);
  });

  it("types the upload so that decoded pump records fit without conversion", () => {
    const rec: PumpRecord = { seq: 1, time: 2, kind: "permission_changed", enabled: true, dose: 50, lockoutS: 10_800, durationS: 60, maxPer24h: 4, version: 3 };
    const upload: SyncUpload = { uploadId: "6f1c2a4e-9b7d-4c1e-8f3a-2d5b6c7e8f90", device: { logId: 1, status }, records: [recordForUpload(rec)] };
    expect(syncUploadSchema.parse(upload).records[0]).toEqual(rec);
  });
});
