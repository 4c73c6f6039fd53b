/** Small seeded PRNG (mulberry32): reproducible fault schedules in tests and the demo. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A fresh non-zero 32-bit bolus token. Uses Web Crypto where present (browsers, Node ≥ 19),
 * so two app instances practically never reuse one.
 */
export function newBolusToken(random: () => number = cryptoRandom): number {
  for (;;) {
    const token = Math.floor(random() * 4_294_967_296) >>> 0;
    if (token !== 0) return token;
  }
}

function cryptoRandom(): number {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c?.getRandomValues) {
    const a = new Uint32Array(1);
    c.getRandomValues(a);
    return (a[0] ?? 0) / 4_294_967_296;
  }
  return Math.random();
}
