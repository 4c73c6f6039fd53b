import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fromHex, toHex } from "@/lib/pump-link/bytes";
import {
  decodeControlPoint,
  decodeRecords,
  decodeResponse,
  decodeStatus,
  encodeControlPoint,
  encodeRecords,
  encodeResponse,
  encodeStatus,
} from "@/lib/pump-link/codec";
import { crc16, crc16Bitwise } from "@/lib/pump-link/crc";
import { PumpLinkCodecError } from "@/lib/pump-link/errors";
import { VALID_VECTOR_INPUTS } from "@/tests/unit/pump-link/vector-inputs";

interface VectorFile {
  protocolVersion: number;
  crc: { input: string; check: string };
  vectors: { name: string; message: string; counter: number; hex: string; value: unknown }[];
  invalid: { name: string; message: string; hex: string; error: string }[];
}

const file = JSON.parse(
  readFileSync(path.resolve(__dirname, "../../../docs/pump-link-vectors.json"), "utf8"),
) as VectorFile;

const decoders: Record<string, (b: Uint8Array) => { value: unknown; counter: number }> = {
  status: decodeStatus,
  control_point: decodeControlPoint,
  response: decodeResponse,
  records: decodeRecords,
};
const encoders: Record<string, (v: never, c: number) => Uint8Array> = {
  status: encodeStatus,
  control_point: encodeControlPoint,
  response: encodeResponse,
  records: encodeRecords,
};

describe("docs/pump-link-vectors.json", () => {
  it("states the CRC check value", () => {
    expect(file.protocolVersion).toBe(1);
    expect(crc16(fromHex(file.crc.input))).toBe(Number(file.crc.check));
    expect(Number(file.crc.check)).toBe(0x6f91);
  });

  it("covers every message type and every record kind", () => {
    expect(new Set(file.vectors.map((v) => v.message))).toEqual(new Set(["status", "control_point", "response", "records"]));
    const kinds = new Set(
      file.vectors.flatMap((v) => (v.message === "records" ? (v.value as { records: { kind: string }[] }).records.map((r) => r.kind) : [])),
    );
    for (const kind of ["bolus_delivered", "bolus_denied", "alarm_raised", "alarm_cleared", "refill", "therapy_changed", "reservoir_reading", "battery", "permission_changed", "time_set", "unknown"]) {
      expect(kinds).toContain(kind);
    }
  });

  it("matches the inputs it was generated from", () => {
    expect(file.vectors.map((v) => v.value)).toEqual(VALID_VECTOR_INPUTS.map((v) => v.value));
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))("round-trips: %s", (_name, v) => {
    const bytes = fromHex(v.hex);
    // The CRC in the file is checked with the independent bitwise implementation.
    expect(crc16Bitwise(bytes.subarray(0, bytes.length - 2))).toBe((bytes.at(-2) ?? 0) | ((bytes.at(-1) ?? 0) << 8));
    expect(decoders[v.message]?.(bytes)).toEqual({ value: v.value, counter: v.counter });
    expect(toHex(encoders[v.message]?.(v.value as never, v.counter) ?? new Uint8Array())).toBe(v.hex);
  });

  it.each(file.invalid.map((v) => [v.name, v] as const))("refuses: %s", (_name, v) => {
    const decode = decoders[v.message];
    expect(decode).toBeDefined();
    let error: unknown;
    try {
      decode?.(fromHex(v.hex));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PumpLinkCodecError);
    expect((error as PumpLinkCodecError).code).toBe(v.error);
  });
});
