/**
 * Regenerates docs/pump-link-vectors.json from the codec:
 *   npx tsx tests/unit/pump-link/generate-vectors.ts
 * The vectors test then proves every vector still decodes and re-encodes byte for byte, and
 * layout.test.ts checks the byte layout independently of the codec, so a codec change that moves
 * bytes fails loudly instead of silently regenerating new "truth".
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fromHex, toHex } from "@/lib/pump-link/bytes";
import { encodeControlPoint, encodeRecords, encodeResponse, encodeStatus } from "@/lib/pump-link/codec";
import { crc16 } from "@/lib/pump-link/crc";
import { baseStatus, VALID_VECTOR_INPUTS } from "@/tests/unit/pump-link/vector-inputs";
import type { ControlCommand, ControlResponse, PumpStatus, RecordsBatch } from "@/lib/pump-link/types";

type Vector =
  | { name: string; message: "status"; counter: number; hex: string; value: PumpStatus }
  | { name: string; message: "control_point"; counter: number; hex: string; value: ControlCommand }
  | { name: string; message: "response"; counter: number; hex: string; value: ControlResponse }
  | { name: string; message: "records"; counter: number; hex: string; value: RecordsBatch };

function encode(v: (typeof VALID_VECTOR_INPUTS)[number]): Uint8Array {
  switch (v.message) {
    case "status":
      return encodeStatus(v.value, v.counter);
    case "control_point":
      return encodeControlPoint(v.value, v.counter);
    case "response":
      return encodeResponse(v.value, v.counter);
    case "records":
      return encodeRecords(v.value, v.counter);
  }
}

/** Replaces the last two bytes with a correct CRC, so the vector tests the rule after the CRC. */
function withCrc(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const crc = crc16(out, 0, out.length - 2);
  out[out.length - 2] = crc & 0xff;
  out[out.length - 1] = crc >>> 8;
  return out;
}

// Key order (hex before value) only serves human readers of the JSON.
const vectors: Vector[] = VALID_VECTOR_INPUTS.map(
  (v) => ({ name: v.name, message: v.message, counter: v.counter, hex: toHex(encode(v)), value: v.value }) as Vector,
);

const status = encodeStatus(baseStatus, 7);
const statusV2 = status.slice();
statusV2[0] = 2;
const statusBadCrc = status.slice();
statusBadCrc[statusBadCrc.length - 1] = (statusBadCrc[statusBadCrc.length - 1] ?? 0) ^ 0x01;
const statusBattery = status.slice();
statusBattery[3] = 101;
const bolusCmd = encodeControlPoint({ op: "request_bolus", requestId: 0x1234, token: 0xdeadbeef, dose: 50, permissionVersion: 3 }, 1);
const tokenZero = bolusCmd.slice();
tokenZero.set([0, 0, 0, 0], 3);
const unknownOp = bolusCmd.slice();
unknownOp[0] = 0x7f;
const tooLong = new Uint8Array(21);
const shortSelect = encodeControlPoint({ op: "select_records", requestId: 1, fromSeq: 1, maxCount: 10 }, 1).slice(0, 11);
const records = encodeRecords({ records: [{ seq: 5, time: 1_767_225_600, kind: "reservoir_reading", reservoirUl: 12_000 }], more: false }, 9);
const recordsCount = records.slice();
recordsCount[0] = 2;
const response = encodeResponse({ opcode: 1, requestId: 0x1234, result: "busy", body: { kind: "none" } }, 3);
const responseReserved = response.slice();
responseReserved[3] = 0x42;

const invalid = [
  { name: "status: one CRC bit flipped", message: "status", hex: toHex(statusBadCrc), error: "bad_crc" },
  { name: "status: protocol version 2", message: "status", hex: toHex(withCrc(statusV2)), error: "unsupported_version" },
  { name: "status: battery 101 %", message: "status", hex: toHex(withCrc(statusBattery)), error: "bad_value" },
  { name: "control point: 21 bytes", message: "control_point", hex: toHex(tooLong), error: "bad_length" },
  { name: "control point: unknown opcode 0x7f", message: "control_point", hex: toHex(withCrc(unknownOp)), error: "unknown_opcode" },
  { name: "control point: request_bolus with token 0", message: "control_point", hex: toHex(withCrc(tokenZero)), error: "bad_value" },
  { name: "control point: select_records one byte short", message: "control_point", hex: toHex(withCrc(shortSelect)), error: "bad_length" },
  { name: "records: count says 2, one record present", message: "records", hex: toHex(withCrc(recordsCount)), error: "bad_length" },
  { name: "response: undefined result code 0x42", message: "response", hex: toHex(withCrc(responseReserved)), error: "bad_value" },
];

const check = toHex(new TextEncoder().encode("123456789"));
const file = {
  description:
    "Pump link protocol v1 test vectors (docs/pump-link-protocol.md). Hex is the complete characteristic value, " +
    "E2E counter and CRC-16/MCRF4XX included. 'value' is the decoded form used by lib/pump-link/codec.ts; " +
    "'counter' is the E2E counter byte.",
  protocolVersion: 1,
  crc: {
    algorithm: "CRC-16/MCRF4XX",
    poly: "0x1021 (reflected 0x8408)",
    init: "0xffff",
    xorOut: "0x0000",
    input: check,
    inputAscii: "123456789",
    check: `0x${crc16(fromHex(check)).toString(16).padStart(4, "0")}`,
    storedAs: "little-endian, after the E2E counter",
  },
  vectors,
  invalid,
};

const out = path.resolve(__dirname, "../../../docs/pump-link-vectors.json");
writeFileSync(out, JSON.stringify(file, null, 2) + "\n");
console.log(`wrote ${vectors.length} valid and ${invalid.length} invalid vectors to ${out}`);
