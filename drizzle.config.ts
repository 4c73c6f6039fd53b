import { defineConfig } from "drizzle-kit";

// Migrations are generated once and applied unchanged to PGlite, node-postgres and @vercel/postgres.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
