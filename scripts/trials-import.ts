// Command line: import ClinicalTrials.gov API v2 studies into the local trial catalogue.
//
//   npm run trials:import -- <file.json> [more.json …]
//   npm run trials:import -- --sample
//   npm run trials:import -- --live query.cond="breast cancer" filter.overallStatus=RECRUITING [--max-pages 5]
//
// Uses the database the environment selects (DATABASE_URL / POSTGRES_URL, else the embedded
// one under .data/, which must not be open in a running server). Idempotent: importing the
// same studies again changes nothing; a study with a later lastUpdatePostDate replaces ours.
import { readFileSync } from "node:fs";
import { DatabaseInUseError, migrateHandle, openFromEnv } from "@/db/client";
import { LiveApiError, fetchStudyPages } from "@/lib/trials/ctgov-live";
import { importStudies, seedTrialCatalogue, type ImportResult } from "@/lib/trials/import";

const USAGE = `usage:
  npm run trials:import -- <file.json> [more.json …]     import saved API v2 responses ({"studies": [...]})
  npm run trials:import -- --sample                        import the shipped sample catalogue
  npm run trials:import -- --live key=value … [--max-pages N]
      page the live API, e.g. query.cond="lung cancer" filter.overallStatus=RECRUITING,NOT_YET_RECRUITING`;

interface Args {
  files: string[];
  live: boolean;
  sample: boolean;
  params: Record<string, string>;
  maxPages: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: [], live: false, sample: false, params: {}, maxPages: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--live") args.live = true;
    else if (a === "--sample") args.sample = true;
    else if (a === "--max-pages") args.maxPages = Number(argv[++i]);
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (args.live && /^[A-Za-z][\w.]*=/.test(a)) {
      const eq = a.indexOf("=");
      args.params[a.slice(0, eq)] = a.slice(eq + 1);
    } else if (a.startsWith("-")) throw new Error(`Unknown option ${a}.\n${USAGE}`);
    else args.files.push(a);
  }
  if (!Number.isInteger(args.maxPages) || args.maxPages < 1) throw new Error("--max-pages needs a whole number of at least 1.");
  if (!args.live && !args.sample && args.files.length === 0) throw new Error(USAGE);
  if (args.live && args.files.length > 0) throw new Error("Give either files or --live, not both.");
  return args;
}

function report(label: string, r: ImportResult): void {
  console.log(`[trials] ${label}: ${r.studies} valid studies — ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged; ${r.errors.length} not imported`);
  for (const e of r.errors) {
    console.log(`  ✗ ${e.message}`);
    for (const issue of e.issues.slice(0, 5)) console.log(`      ${issue}`);
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const handle = await openFromEnv();
  let failed = false;
  try {
    await migrateHandle(handle);
    if (args.sample) report("sample catalogue", await seedTrialCatalogue(handle.db));
    for (const file of args.files) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        console.error(`[trials] cannot read ${file}: ${(e as Error).message}`);
        failed = true;
        continue;
      }
      const r = await importStudies(handle.db, text);
      report(file, r);
      if (r.errors.some((e) => e.code === "invalid_file")) failed = true;
    }
    if (args.live) {
      for await (const { page, body, url } of fetchStudyPages({ params: args.params, maxPages: args.maxPages })) {
        report(`live page ${page} (${url})`, await importStudies(handle.db, body));
      }
    }
  } finally {
    await handle.close();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof LiveApiError || e instanceof DatabaseInUseError) console.error(`[trials] ${e.message}`);
    else console.error(`[trials] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(e instanceof LiveApiError ? 3 : 2);
  },
);
