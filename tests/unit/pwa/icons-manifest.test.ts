import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import manifest from "@/app/manifest";
import { BRAND_RGB, crc32, ICONS, renderIcon } from "@/scripts/make-icons";

const root = path.resolve(__dirname, "../../..");

/** Minimal PNG reader for the icons we write: 8-bit RGBA, filter type 0 on every row. */
function readPng(file: string) {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("ascii", offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    expect(buf.readUInt32BE(offset + 8 + length)).toBe(crc32(buf.subarray(offset + 4, offset + 8 + length)));
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, pixels };
}

describe("web app manifest", () => {
  const m = manifest();

  it("has what Chromium needs to install the app", () => {
    expect(m).toMatchObject({ name: "Pump Portal", short_name: "Pump Portal", start_url: "/", scope: "/", display: "standalone", theme_color: "#1d5fbf" });
    expect(m.short_name?.length).toBeLessThanOrEqual(12);
    expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/);
    for (const size of ["192x192", "512x512"]) {
      expect(m.icons?.some((i) => i.sizes === size && i.purpose === "any")).toBe(true);
      expect(m.icons?.some((i) => i.sizes === size && i.purpose === "maskable")).toBe(true);
    }
  });

  it.each(manifest().icons ?? [])("$src is a PNG of the declared size, drawn by scripts/make-icons.ts", (icon) => {
    const file = path.join(root, "public", icon.src);
    const { width, height, pixels } = readPng(file);
    expect(`${width}x${height}`).toBe(icon.sizes);
    const spec = ICONS.find((i) => `/icons/${i.file}` === icon.src);
    expect(spec).toBeDefined();
    expect(Buffer.from(pixels).equals(Buffer.from(renderIcon(width, spec!)))).toBe(true);
  });

  it("keeps the maskable icons' drawing inside the safe zone (the central 80 % circle) and fills every edge", () => {
    for (const icon of (manifest().icons ?? []).filter((i) => i.purpose === "maskable")) {
      const { width, pixels } = readPng(path.join(root, "public", icon.src));
      const wrong: string[] = [];
      for (let y = 0; y < width; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          const r = Math.hypot(x + 0.5 - width / 2, y + 0.5 - width / 2) / width;
          const outsideIsBackground = r <= 0.4 || (pixels[i] === BRAND_RGB[0] && pixels[i + 1] === BRAND_RGB[1] && pixels[i + 2] === BRAND_RGB[2]);
          if (pixels[i + 3] !== 255 || !outsideIsBackground) wrong.push(`${icon.src} (${x},${y})`);
        }
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    }
  });

  it("gives the 'any' icons transparent rounded corners", () => {
    const { pixels } = readPng(path.join(root, "public/icons/icon-512.png"));
    expect(pixels[3]).toBe(0);
    expect(pixels[(256 * 512 + 256) * 4 + 3]).toBe(255);
  });
});
