// Command line: `tsx db/cli.ts migrate|seed` — run while the app server is stopped when using the embedded DB.
import { migrateHandle, openFromEnv } from "./client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoIfEmpty } from "./seed";

async function main() {
  const command = process.argv[2];
  if (command !== "migrate" && command !== "seed") {
    console.error("usage: tsx db/cli.ts migrate|seed");
    process.exit(2);
  }
  const handle = await openFromEnv();
  try {
    await migrateHandle(handle);
    console.log(`[db] migrations applied (${handle.driver})`);
    if (command === "seed") {
      if (!(await seedDemoIfEmpty(handle.db))) {
        console.log("[db] the database already has users; demo data not added (seed only fills an empty database). Sample trial catalogue checked.");
      } else {
        console.log(`[db] demo data added. Accounts (password "${DEMO_PASSWORD}"):`);
        for (const [role, email] of Object.entries(DEMO_ACCOUNTS)) console.log(`  ${role.padEnd(15)} ${email}`);
      }
    }
  } finally {
    await handle.close();
  }
}

main().catch((e: unknown) => {
  console.error("[db]", e instanceof Error ? e.message : e);
  process.exit(1);
});
