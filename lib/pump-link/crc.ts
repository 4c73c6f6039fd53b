/**
 * CRC-16/MCRF4XX, the E2E-CRC of the Bluetooth SIG Insulin Delivery Service:
 * poly 0x1021 processed LSB-first (reflected constant 0x8408), init 0xFFFF, no final XOR.
 * Check value over ASCII "123456789" is 0x6F91.
 */

// A 256-entry table keeps per-byte cost constant; records reads are up to 512 bytes.
const TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export const CRC16_INIT = 0xffff;

/** CRC-16/MCRF4XX of `bytes[start, end)`; `seed` lets callers continue a running CRC. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length, seed = CRC16_INIT): number {
  let crc = seed & 0xffff;
  for (let i = start; i < end; i++) {
    // Indexing within [start, end) of a Uint8Array is always defined; `?? 0` only satisfies the type checker.
    crc = (crc >>> 8) ^ (TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  }
  return crc;
}

/** Bit-by-bit reference used by tests to cross-check the table. */
export function crc16Bitwise(bytes: Uint8Array): number {
  let crc = CRC16_INIT;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}
