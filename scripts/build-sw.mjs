#!/usr/bin/env node
// Builds the service worker after `next build` (part of `npm run build`): esbuild bundles
// sw/index.ts with workbox inside (no CDN), then workbox-build's injectManifest writes the list
// of this build's static files (plus the icons and the /offline page) into it.
//
// Output: <distDir>/sw.js, which proxy.ts serves at /sw.js, so builds in separate NEXT_DIST_DIR
// folders never hand each other a worker whose precache list names files they don't have; and
// public/sw.js (gitignored) for hosts that serve /sw.js straight from public/ (Vercel).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { injectManifest } from "workbox-build";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const distPath = path.resolve(root, distDir);
const buildIdFile = path.join(distPath, "BUILD_ID");
if (!fs.existsSync(buildIdFile)) {
  console.error(`[build-sw] ${path.relative(root, buildIdFile)} is missing: run \`next build\` first (NEXT_DIST_DIR=${distDir}).`);
  process.exit(1);
}
const buildId = fs.readFileSync(buildIdFile, "utf8").trim();

// Precached files outside the build folder: revision = content hash, so a changed icon is refetched.
const publicFiles = ["icons/icon-192.png", "icons/icon-512.png", "icons/maskable-192.png", "icons/maskable-512.png", "icons/favicon-32.png"];
const publicEntries = publicFiles.map((file) => ({
  url: `/${file}`,
  revision: crypto.createHash("sha256").update(fs.readFileSync(path.join(root, "public", file))).digest("hex").slice(0, 16),
}));

const workDir = path.join(distPath, "sw-build");
fs.mkdirSync(workDir, { recursive: true });
const bundled = path.join(workDir, "sw.bundle.js");
await build({
  entryPoints: [path.join(root, "sw", "index.ts")],
  outfile: bundled,
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  // workbox's development logging is removed in production bundles.
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});

const swDest = path.join(distPath, "sw.js");
const { count, size, warnings } = await injectManifest({
  swSrc: bundled,
  swDest,
  globDirectory: distPath,
  globPatterns: ["static/**/*.{js,css,woff2,woff,png,svg,ico}"],
  globIgnores: ["**/*.map"],
  modifyURLPrefix: { "static/": "/_next/static/" },
  // Next's static file names carry a content hash (or the build id): no extra revision needed.
  dontCacheBustURLsMatching: /^\/_next\/static\//,
  // The offline page is rendered per request (its CSP nonce); the build id versions it.
  additionalManifestEntries: [{ url: "/offline", revision: buildId }, ...publicEntries],
  maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
});
for (const w of warnings) console.warn(`[build-sw] ${w}`);

// Atomic replace: a server reading public/sw.js never sees half a file.
const publicSw = path.join(root, "public", "sw.js");
const tmp = `${publicSw}.${process.pid}.tmp`;
fs.copyFileSync(swDest, tmp);
fs.renameSync(tmp, publicSw);
fs.rmSync(workDir, { recursive: true, force: true });
console.log(`[build-sw] ${path.relative(root, swDest)} (+ public/sw.js): ${count} precached files, ${(size / 1024).toFixed(0)} KiB, build ${buildId}`);
