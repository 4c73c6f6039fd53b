import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getDb } from "@/db";
import { Alert } from "@/components/ui/alert";
import { currentActor } from "@/lib/auth/guard";
import { CANCER_TYPES } from "@/lib/trials/cancer-types";
import { consentToShow } from "@/lib/trials/consent";
import { prefillFor } from "@/lib/trials/queries";
import { IntakeForm } from "./intake-form";

export const metadata: Metadata = { title: "Find a clinical trial" };

export default async function TrialIntakePage() {
  await connection();
  const db = await getDb();
  const actor = await currentActor(db);
  const prefill = actor ? await prefillFor(db, actor) : null;
  // The consent is rendered and hashed here; the form posts back its version, expiry and hash,
  // and the server re-derives the text and refuses a mismatch.
  const consent = consentToShow(new Date(), prefill?.timeZone ?? "UTC");
  return (
    <>
      <div>
        <h1 className="text-3xl font-bold">Find a clinical trial</h1>
        <p className="mt-2 text-base">
          Answer a few questions about the cancer and where you live. We compare your answers with the trials in our catalogue and explain, for each
          trial, why it may or may not fit. It takes about 5 minutes.
        </p>
      </div>
      {prefill ? (
        <Alert tone="info">
          You are signed in as <strong>{actor?.name}</strong>. We have filled in what we know; please check it. If you fill this in about yourself, it is
          linked to your account.
        </Alert>
      ) : actor ? null : (
        <p className="text-base text-muted">
          You do not need an account. Already a Pump Portal patient?{" "}
          <Link href="/sign-in" className="font-semibold text-brand-700 underline">
            Sign in
          </Link>{" "}
          and we will fill in what we know.
        </p>
      )}
      <IntakeForm
        cancerTypes={CANCER_TYPES.map((t) => ({ value: t.id, label: t.label }))}
        consent={{ version: consent.version, expiresOn: consent.expiresOn, sha256: consent.sha256, blocks: consent.blocks }}
        prefill={prefill}
      />
    </>
  );
}
