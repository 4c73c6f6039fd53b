#!/usr/bin/env node
// `npm run bench:first-load`: first-load JavaScript of a signed-in page (default the patient home):
// every script the HTML references, fetched from the production server and compressed with
// gzip -9 and brotli (max quality). Starts the production build on the embedded demo database
// (scripts/e2e-server.mjs) unless BASE_URL points at a running server.
// Usage: node scripts/first-load-js.mjs [/patient] [/patient/sync] …
import { spawn } from "node:child_process";
import zlib from "node:zlib";
import { demoSessionCookie } from "./lib/demo-sign-in.mjs";

const pages = process.argv.slice(2).length ? process.argv.slice(2) : ["/patient"];
const port = Number(process.env.E2E_PORT ?? 3190);
let base = process.env.BASE_URL;
let server = null;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!base) {
  base = `http://127.0.0.1:${port}`;
  server = spawn("node", ["scripts/e2e-server.mjs"], { env: { ...process.env, E2E_PORT: String(port) }, stdio: "ignore", detached: true });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    await sleep(500);
  }
}

try {
  const cookie = await demoSessionCookie(base);
  console.log("| page | scripts | gzip -9 | brotli | raw |\n|---|---|---|---|---|");
  for (const page of pages) {
    const html = await (await fetch(base + page, { headers: { cookie } })).text();
    // Scripts a modern browser runs: `noModule` ones (Next's legacy polyfills) are skipped by it.
    const srcs = [...new Set([...html.matchAll(/<script([^>]*)>/g)].filter((m) => !/\bnoModule\b/i.test(m[1])).map((m) => /\bsrc="([^"]+\.js)"/.exec(m[1])?.[1]).filter(Boolean))];
    let gz = 0;
    let br = 0;
    let raw = 0;
    const rows = [];
    for (const src of srcs) {
      const buf = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
      const g = zlib.gzipSync(buf, { level: 9 }).length;
      const b = zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      gz += g;
      br += b;
      raw += buf.length;
      rows.push([src, g]);
    }
    console.log(`| ${page} | ${srcs.length} | ${(gz / 1000).toFixed(1)} kB | ${(br / 1000).toFixed(1)} kB | ${(raw / 1000).toFixed(0)} kB |`);
    if (process.env.VERBOSE) for (const [s, g] of rows.sort((a, b) => b[1] - a[1])) console.log(`   ${(g / 1000).toFixed(1).padStart(6)} kB  ${s}`);
  }
} finally {
  if (server) process.kill(-server.pid, "SIGTERM");
}
