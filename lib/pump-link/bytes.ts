import { PumpLinkCodecError } from "@/lib/pump-link/errors";

/** Little-endian builder that refuses values which do not fit, so encoders never truncate silently. */
export class ByteWriter {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  u8(value: number, field: string): this {
    checkUint(value, 0xff, field);
    this.view.setUint8(this.advance(1), value);
    return this;
  }

  u16(value: number, field: string): this {
    checkUint(value, 0xffff, field);
    this.view.setUint16(this.advance(2), value, true);
    return this;
  }

  u32(value: number, field: string): this {
    checkUint(value, 0xffff_ffff, field);
    this.view.setUint32(this.advance(4), value, true);
    return this;
  }

  bytes(value: Uint8Array): this {
    this.buf.set(value, this.advance(value.length));
    return this;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a copy-free view). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  private advance(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) {
      // A programming error in an encoder's size computation, not bad input: still typed so callers stay total.
      throw new PumpLinkCodecError("bad_length", `encoder overflow: ${at + n} > ${this.buf.length} bytes`);
    }
    this.pos += n;
    return at;
  }
}

/** Little-endian cursor over a value whose total length has already been validated by the caller. */
export class ByteReader {
  private readonly view: DataView;
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }

  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return this.buf.slice(at, at + n);
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private take(n: number): number {
    const at = this.pos;
    if (at + n > this.end) {
      throw new PumpLinkCodecError("bad_length", `value ends after ${this.end} bytes, needed ${at + n}`);
    }
    this.pos += n;
    return at;
  }
}

export function checkUint(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new PumpLinkCodecError("bad_value", `${field} must be an integer in 0..${max}, got ${String(value)}`);
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Strict hex parser (even length, [0-9a-f] either case, optional whitespace) for vectors and tests. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new PumpLinkCodecError("bad_value", "hex string must have an even number of hex digits");
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
