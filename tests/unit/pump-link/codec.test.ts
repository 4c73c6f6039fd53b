import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeControlPoint,
  decodeRecords,
  decodeResponse,
  decodeStatus,
  encodeControlPoint,
  encodeRecords,
  encodeResponse,
  encodeStatus,
  MAX_KNOWN_RECORD_BYTES,
  RECORD_HEADER_BYTES,
} from "@/lib/pump-link/codec";
import { crc16 } from "@/lib/pump-link/crc";
import { PumpLinkCodecError } from "@/lib/pump-link/errors";
import { MAX_READ_BYTES } from "@/lib/pump-link/types";
import type { Framed } from "@/lib/pump-link/types";
import { commandArb, recordsArb, responseArb, statusArb } from "@/tests/unit/pump-link/arbitraries";
import { baseStatus } from "@/tests/unit/pump-link/vector-inputs";

interface Codec<T> {
  name: string;
  arb: fc.Arbitrary<T>;
  encode: (v: T, counter: number) => Uint8Array;
  decode: (b: Uint8Array) => Framed<T>;
  maxLen: number;
}

const codecs = [
  { name: "status", arb: statusArb, encode: encodeStatus, decode: decodeStatus, maxLen: 80 },
  { name: "control point", arb: commandArb, encode: encodeControlPoint, decode: decodeControlPoint, maxLen: 24 },
  { name: "response", arb: responseArb, encode: encodeResponse, decode: decodeResponse, maxLen: 32 },
  { name: "records", arb: recordsArb, encode: encodeRecords, decode: decodeRecords, maxLen: 520 },
] as Codec<unknown>[];

const counter = fc.integer({ min: 0, max: 255 });

function withCrc(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  if (out.length < 2) return out;
  const crc = crc16(out, 0, out.length - 2);
  out[out.length - 2] = crc & 0xff;
  out[out.length - 1] = crc >>> 8;
  return out;
}

/** The decoder contract: a typed error, or a value that re-encodes to exactly the input. */
function typedErrorOrExact<T>(codec: Codec<T>, bytes: Uint8Array): boolean {
  let decoded: Framed<T>;
  try {
    decoded = codec.decode(bytes);
  } catch (err) {
    if (err instanceof PumpLinkCodecError) return true;
    throw err;
  }
  expect(Array.from(codec.encode(decoded.value, decoded.counter))).toEqual(Array.from(bytes));
  return true;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PumpLinkCodecError) return err.code;
    throw err;
  }
  return "no error";
}

describe.each(codecs)("$name codec", (codec) => {
  it("decode(encode(x)) = x, counter included", () => {
    fc.assert(
      fc.property(codec.arb, counter, (value, c) => {
        const bytes = codec.encode(value, c);
        expect(codec.decode(bytes)).toEqual({ value, counter: c });
      }),
      { numRuns: 300 },
    );
  });

  it("respects the write/read size limits", () => {
    const limit = codec.name === "control point" ? 20 : MAX_READ_BYTES;
    fc.assert(fc.property(codec.arb, (value) => codec.encode(value, 0).length <= limit));
  });

  it("random bytes only ever produce the typed error (or an exact value)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: codec.maxLen }), (bytes) => typedErrorOrExact(codec, bytes)),
      { numRuns: 500 },
    );
  });

  it("random payloads with a valid CRC only ever produce the typed error (or an exact value)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3, maxLength: codec.maxLen }), (bytes) => typedErrorOrExact(codec, withCrc(bytes))),
      { numRuns: 500 },
    );
  });

  it("mutating one payload byte of a valid value (CRC fixed up) never yields a wrong value", () => {
    fc.assert(
      fc.property(codec.arb, fc.nat(), fc.integer({ min: 1, max: 255 }), (value, at, mask) => {
        const bytes = codec.encode(value, 0).slice();
        const i = at % (bytes.length - 2);
        bytes[i] = (bytes[i] ?? 0) ^ mask;
        return typedErrorOrExact(codec, withCrc(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("every truncation is refused", () => {
    fc.assert(
      fc.property(codec.arb, fc.nat(), fc.boolean(), (value, cut, fixCrc) => {
        const bytes = codec.encode(value, 0);
        const truncated = bytes.slice(0, cut % bytes.length);
        const input = fixCrc ? withCrc(truncated) : truncated;
        // With a valid CRC over the shorter value the structure checks must still catch it.
        if (fixCrc) expect(["bad_length", "unsupported_version", "bad_value", "unknown_opcode"]).toContain(codeOf(() => codec.decode(input)));
        return typedErrorOrExact(codec, input);
      }),
      { numRuns: 300 },
    );
  });

  it("any single flipped bit is reported as bad_crc", () => {
    fc.assert(
      fc.property(codec.arb, fc.nat(), fc.integer({ min: 0, max: 7 }), (value, at, bit) => {
        const bytes = codec.encode(value, 0).slice();
        const i = at % bytes.length;
        bytes[i] = (bytes[i] ?? 0) ^ (1 << bit);
        expect(codeOf(() => codec.decode(bytes))).toBe("bad_crc");
      }),
      { numRuns: 300 },
    );
  });

  it("encoding an out-of-range field throws the typed error", () => {
    fc.assert(
      fc.property(codec.arb, fc.constantFrom(-1, 1.5, 2 ** 32, Number.NaN), (value, bad) => {
        // Poison the first numeric leaf we find.
        const poisoned = structuredClone(value) as Record<string, unknown>;
        const key = Object.keys(poisoned).find((k) => typeof poisoned[k] === "number" && k !== "protocolVersion");
        if (key === undefined) return true;
        poisoned[key] = bad;
        expect(codeOf(() => codec.encode(poisoned as never, 0))).toBe("bad_value");
        return true;
      }),
      { numRuns: 100 },
    );
  });
});

describe("specific refusals", () => {
  it("names the problem in the message", () => {
    const bytes = encodeStatus(baseStatus, 1);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    expect(() => decodeStatus(bytes)).toThrow(/status: CRC mismatch/);
  });

  it("rejects a non-Uint8Array with the typed error", () => {
    expect(codeOf(() => decodeStatus([1, 2, 3] as unknown as Uint8Array))).toBe("bad_value");
  });

  it("control point: unknown opcode, wrong length, reserved values", () => {
    const cmd = encodeControlPoint({ op: "query_bolus", requestId: 1, token: 5 }, 0);
    const unknown = cmd.slice();
    unknown[0] = 0x55;
    expect(codeOf(() => decodeControlPoint(withCrc(unknown)))).toBe("unknown_opcode");
    const none = cmd.slice();
    none[0] = 0x00;
    expect(codeOf(() => decodeControlPoint(withCrc(none)))).toBe("unknown_opcode");
    const long = withCrc(Uint8Array.from([...cmd.slice(0, -2), 0, 0, 0]));
    expect(codeOf(() => decodeControlPoint(long))).toBe("bad_length");
    expect(codeOf(() => decodeControlPoint(new Uint8Array(21)))).toBe("bad_length");
    expect(codeOf(() => encodeControlPoint({ op: "request_bolus", requestId: 1, token: 0, dose: 1, permissionVersion: 1 }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeControlPoint({ op: "request_bolus", requestId: 1, token: 1, dose: 0, permissionVersion: 1 }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeControlPoint({ op: "select_records", requestId: 1, fromSeq: 0, maxCount: 1 }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeControlPoint({ op: "select_records", requestId: 1, fromSeq: 1, maxCount: 0 }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeControlPoint({ op: "set_time", requestId: 1, time: 1000 }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeControlPoint({ op: "nope", requestId: 1 } as never, 0))).toBe("bad_value");
  });

  it("status: version checked before length, reserved bits and ranges", () => {
    const v2 = encodeStatus(baseStatus, 0).slice(0, 40);
    v2[0] = 2;
    expect(codeOf(() => decodeStatus(withCrc(v2)))).toBe("unsupported_version");
    const flags = encodeStatus(baseStatus, 0).slice();
    flags[64] = 0x03;
    expect(codeOf(() => decodeStatus(withCrc(flags)))).toBe("bad_value");
    expect(codeOf(() => encodeStatus({ ...baseStatus, reservoirUl: baseStatus.capacityUl + 1 }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeStatus({ ...baseStatus, concentration: 0 }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeStatus({ ...baseStatus, protocolVersion: 2 }, 0))).toBe("unsupported_version");
    expect(codeOf(() => encodeStatus({ ...baseStatus, doseUnit: "grain" as never }, 0))).toBe("bad_value");
  });

  it("response: combinations the protocol does not allow", () => {
    const ok = { opcode: 1, requestId: 1, result: "success" as const, body: { kind: "none" as const } };
    expect(codeOf(() => encodeResponse(ok, 0))).toBe("bad_value");
    expect(codeOf(() => encodeResponse({ ...ok, opcode: 3, result: "lockout_active" }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeResponse({ ...ok, opcode: 1, result: "token_unknown" }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeResponse({ ...ok, opcode: 0, requestId: 5 }, 0))).toBe("bad_value");
    const denied = {
      opcode: 1,
      requestId: 1,
      result: "lockout_active" as const,
      body: { kind: "bolus" as const, token: 9, dose: 50, volumeUl: 25, time: 0, recordSeq: 1, replayed: false },
    };
    expect(codeOf(() => encodeResponse(denied, 0))).toBe("bad_value");
  });

  it("records: an empty batch cannot announce more, seqs must increase, alarm bits must agree", () => {
    expect(codeOf(() => encodeRecords({ records: [], more: true }, 0))).toBe("bad_value");
    const r = { seq: 5, time: 0, kind: "reservoir_reading" as const, reservoirUl: 1 };
    expect(codeOf(() => encodeRecords({ records: [r, r], more: false }, 0))).toBe("bad_value");
    expect(codeOf(() => encodeRecords({ records: [{ seq: 1, time: 0, kind: "alarm_raised", alarmBit: 3, alarmFlags: 0 }], more: false }, 0))).toBe(
      "bad_value",
    );
    expect(codeOf(() => encodeRecords({ records: [{ seq: 1, time: 0, kind: "unknown", typeCode: 7, payloadHex: "" }], more: false }, 0))).toBe(
      "bad_value",
    );
    // A known type with the wrong payload length is malformed, not "unknown".
    const bytes = encodeRecords({ records: [r], more: false }, 0).slice();
    const grown = withCrc(Uint8Array.from([...bytes.slice(0, 9), 0x07, 5, ...bytes.slice(11, 15), 0, ...bytes.slice(15)]));
    expect(codeOf(() => decodeRecords(grown))).toBe("bad_length");
  });

  it("a batch of the longest records holds at least 15 records in 512 bytes", () => {
    const perBatch = Math.floor((MAX_READ_BYTES - 2 - 3) / MAX_KNOWN_RECORD_BYTES);
    expect(MAX_KNOWN_RECORD_BYTES).toBe(RECORD_HEADER_BYTES + 16);
    expect(perBatch).toBeGreaterThanOrEqual(15);
  });
});
