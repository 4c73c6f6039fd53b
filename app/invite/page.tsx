import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { currentActor } from "@/lib/auth/guard";
import { AcceptInviteForm, SignUpWithInviteForm } from "./invite-forms";

export const metadata: Metadata = { title: "Caregiver invite" };

export default async function InvitePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const sp = await searchParams;
  const code = typeof sp.code === "string" ? sp.code.slice(0, 32) : "";
  const actor = await currentActor();
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-5 py-10">
      <div>
        <p className="text-base font-semibold text-brand-700">Pump Portal</p>
        <h1 className="mt-1 text-3xl font-bold">Become a caregiver</h1>
        <p className="mt-2 text-muted">A patient invited you to see their pump information and receive their alarms.</p>
      </div>
      {actor ? (
        <>
          <p>
            Signed in as <strong>{actor.name}</strong>.
          </p>
          <AcceptInviteForm initialCode={code} />
        </>
      ) : (
        <>
          <SignUpWithInviteForm initialCode={code} />
          <p className="text-base text-muted">
            Already have an account?{" "}
            <Link className="font-semibold text-brand-700 underline" href="/sign-in">
              Sign in
            </Link>
            , then open this page again.
          </p>
        </>
      )}
    </main>
  );
}
