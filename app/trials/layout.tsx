import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { currentActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Clinical-trial matching" };

// Public pages: anyone may fill in the intake; signed-in users see who they are signed in as.
export default async function TrialsLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const actor = await currentActor();
  return (
    <div className="min-h-dvh">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link href="/trials" className="text-lg font-bold text-brand-700">
            Pump Portal · Trial matching
          </Link>
          {actor ? (
            <Link href={homeFor(actor.roles)} className="inline-flex min-h-12 items-center rounded-lg px-3 text-base font-medium text-brand-800 hover:bg-brand-50">
              {actor.name}: back to your account
            </Link>
          ) : (
            <Link href="/sign-in" className="inline-flex min-h-12 items-center rounded-lg px-3 text-base font-medium text-brand-800 hover:bg-brand-50">
              Sign in
            </Link>
          )}
        </div>
      </header>
      <main className="mx-auto flex max-w-3xl flex-col gap-5 px-4 py-6">{children}</main>
    </div>
  );
}
