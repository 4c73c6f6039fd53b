import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/auth/roles";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  const actor = await currentActor();
  if (actor) redirect(homeFor(actor.roles));
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-5 py-10">
      <div>
        <p className="text-base font-semibold text-brand-700">Pump Portal</p>
        <h1 className="mt-1 text-3xl font-bold">Sign in</h1>
        <p className="mt-2 text-muted">Your implantable pump: status, refills, bolus and alarms.</p>
      </div>
      <SignInForm />
      <p className="text-base text-muted">
        Were you invited as a caregiver?{" "}
        <Link className="font-semibold text-brand-700 underline" href="/invite">
          Use your invite code
        </Link>
      </p>
      <p className="text-base text-muted">
        Looking for a clinical trial?{" "}
        <Link className="font-semibold text-brand-700 underline" href="/trials">
          Find trials — no account needed
        </Link>
      </p>
    </main>
  );
}
