// Draws the app icons (a white drop on the brand blue) as PNG files in public/icons/, with no
// image library: shapes are sampled 4×4 per pixel for smooth edges and written with zlib.
// Run after changing the design: `npx tsx scripts/make-icons.ts` (the PNGs are committed;
// tests/unit/pwa/icons.test.ts checks they match this script).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export const BRAND_RGB = [0x1d, 0x5f, 0xbf] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (Uint8Array, width × height × 4) → PNG file bytes (8-bit RGBA, no filter). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Inside a drop: a circle with a point above it (tangent lines from the tip). Unit square coordinates. */
interface Drop {
  cx: number;
  cy: number;
  r: number;
  tipY: number;
}

function inDrop(x: number, y: number, { cx, cy, r, tipY }: Drop): boolean {
  const dx = x - cx;
  const dy = y - cy;
  if (dx * dx + dy * dy <= r * r) return true;
  const d = cy - tipY; // tip straight above the centre
  if (y < tipY || y > cy) return false;
  const along = y - tipY; // distance from the tip along the axis
  const tangentAlong = (d * d - r * r) / d; // where the tangent points sit on the axis
  if (along > tangentAlong) return false;
  const halfWidth = along * (r / Math.sqrt(d * d - r * r));
  return Math.abs(dx) <= halfWidth;
}

function inRoundedSquare(x: number, y: number, radius: number): boolean {
  const qx = Math.max(radius - x, 0, x - (1 - radius));
  const qy = Math.max(radius - y, 0, y - (1 - radius));
  return qx * qx + qy * qy <= radius * radius;
}

/**
 * kind "any": rounded blue square with transparent corners; "full": blue to every edge
 * (maskable and Apple touch icons, which the platform crops). `scale` sizes the drop.
 */
export interface IconSpec {
  file: string;
  size: number;
  kind: "any" | "full";
  scale: number;
}

/** RGBA pixels of an icon. */
export function renderIcon(size: number, { kind, scale }: Pick<IconSpec, "kind" | "scale">): Uint8Array {
  const S = 4;
  const px = new Uint8Array(size * size * 4);
  const drop: Drop = { cx: 0.5, cy: 0.5 + 0.1 * scale, r: 0.24 * scale, tipY: 0.5 - 0.36 * scale };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = (x + (sx + 0.5) / S) / size;
          const v = (y + (sy + 0.5) / S) / size;
          if (kind === "full" || inRoundedSquare(u, v, 0.22)) {
            bg++;
            if (inDrop(u, v, drop)) fg++;
          }
        }
      }
      const i = (y * size + x) * 4;
      const t = bg ? fg / bg : 0;
      BRAND_RGB.forEach((brand, c) => (px[i + c] = Math.round(brand * (1 - t) + WHITE[c as 0 | 1 | 2] * t)));
      px[i + 3] = Math.round((bg / (S * S)) * 255);
    }
  }
  return px;
}

export function drawIcon(size: number, spec: Pick<IconSpec, "kind" | "scale">): Buffer {
  return encodePng(size, size, renderIcon(size, spec));
}

// Maskable icons keep the drop inside the central 80 % circle that every launcher mask shows.
export const ICONS: readonly IconSpec[] = [
  { file: "icon-192.png", size: 192, kind: "any", scale: 1 },
  { file: "icon-512.png", size: 512, kind: "any", scale: 1 },
  { file: "maskable-192.png", size: 192, kind: "full", scale: 0.72 },
  { file: "maskable-512.png", size: 512, kind: "full", scale: 0.72 },
  { file: "apple-touch-icon.png", size: 180, kind: "full", scale: 0.85 },
  { file: "favicon-32.png", size: 32, kind: "any", scale: 1.1 },
];

if (process.argv[1] && import.meta.url === `file://${path.resolve(process.argv[1])}`) {
  const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "public", "icons");
  fs.mkdirSync(outDir, { recursive: true });
  for (const icon of ICONS) {
    fs.writeFileSync(path.join(outDir, icon.file), drawIcon(icon.size, icon));
    console.log(`public/icons/${icon.file} (${icon.size}×${icon.size})`);
  }
}
