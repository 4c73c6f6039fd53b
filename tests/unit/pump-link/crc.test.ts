import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc16, crc16Bitwise } from "@/lib/pump-link/crc";

describe("CRC-16/MCRF4XX", () => {
  it("has the catalogue check value 0x6F91 for ASCII 123456789", () => {
    const input = new TextEncoder().encode("123456789");
    expect(crc16(input)).toBe(0x6f91);
    expect(crc16Bitwise(input)).toBe(0x6f91);
  });

  it("is the init value for empty input (no final XOR)", () => {
    expect(crc16(new Uint8Array())).toBe(0xffff);
  });

  it("table and bit-by-bit implementations agree", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => crc16(bytes) === crc16Bitwise(bytes)));
  });

  it("can be computed in pieces", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (bytes, cut) => {
        const at = bytes.length === 0 ? 0 : cut % bytes.length;
        return crc16(bytes, at, bytes.length, crc16(bytes, 0, at)) === crc16(bytes);
      }),
    );
  });

  it("appending the CRC little-endian gives residue 0", () => {
    // Property of reflected CRCs without final XOR: a receiver may check value+CRC in one pass.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const crc = crc16(bytes);
        return crc16(Uint8Array.from([...bytes, crc & 0xff, crc >>> 8])) === 0;
      }),
    );
  });
});
