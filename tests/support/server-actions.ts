import fs from "node:fs";
import path from "node:path";

export interface BuiltAction {
  /** "ACTION <file>#<exported name>", as the access table keys it. */
  key: string;
  id: string;
  /** The first page that posts it, as an address with [params] kept. */
  page: string;
}

/** Every server action of the production build under test (the one `next start` serves), from its server-reference manifest. */
export function discoverActions(): BuiltAction[] {
  const file = path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }> };
  return Object.entries(manifest.node)
    .map(([id, a]) => {
      const worker = Object.keys(a.workers).sort()[0] ?? "";
      const page = worker.replace(/^app/, "").replace(/\/\([^/]+\)/g, "").replace(/\/page$/, "") || "/";
      // Inline actions may come without a file name: key them by their first page, so they still need an entry.
      return { key: `ACTION ${a.filename ?? `(inline in ${worker})`}#${a.exportedName ?? id}`, id, page };
    })
    .sort((x, y) => x.key.localeCompare(y.key));
}
