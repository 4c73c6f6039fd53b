import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/db";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { currentActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { formatDateTime } from "@/lib/pump/time";
import { authorizeIntake, intakeCookieName, isIntakeId } from "@/lib/trials/access";
import { isSampleTrial, type MatchView } from "@/lib/trials/catalogue";
import { intakeView, type IntakeView } from "@/lib/trials/http";
import { travelLabel } from "@/lib/trials/intake-schema";
import type { Criterion, Outcome, Verdict } from "@/lib/trials/match";
import { PrivateLinkNotice } from "./private-link";
import { RevokeForm } from "./revoke-form";
import { UnlockFromLink } from "./unlock";

export const metadata: Metadata = { title: "Your trial matches", referrer: "no-referrer" };

const VERDICT: Record<Verdict, { label: string; className: string }> = {
  eligible: { label: "Eligible on the listed criteria", className: "bg-emerald-100 text-emerald-900 border-emerald-700" },
  needs_review: { label: "Needs review by the trial team", className: "bg-amber-50 text-amber-900 border-amber-600" },
  not_eligible: { label: "Not eligible", className: "bg-slate-100 text-slate-800 border-slate-500" },
};
const OUTCOME: Record<Outcome, string> = { pass: "Meets", fail: "Does not meet", review: "To check" };
const OUTCOME_MARK: Record<Outcome, string> = { pass: "✓", fail: "✗", review: "?" };
const CRITERION: Record<Criterion, string> = { status: "Recruiting", condition: "Cancer type", age: "Age", sex: "Sex", distance: "Distance", phase: "Phase" };

function miles(km: number): string {
  const mi = km / 1.609344;
  return mi < 10 ? mi.toFixed(1) : String(Math.round(mi));
}

function MatchCard({ m }: { m: MatchView }) {
  const v = VERDICT[m.verdict];
  return (
    <li data-testid="match" data-nct-id={m.nctId} data-verdict={m.verdict} className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span className={`rounded-lg border-2 px-2 py-0.5 text-sm font-semibold ${v.className}`}>{v.label}</span>
        <span className="font-mono text-sm text-muted">{m.nctId}</span>
        {isSampleTrial(m.nctId) ? <span className="rounded-lg bg-slate-200 px-2 py-0.5 text-sm">Sample trial, not a real study</span> : null}
      </div>
      <h3 className="mt-2 text-lg font-semibold">{m.title}</h3>
      {m.site && m.distanceKm !== null ? (
        <p className="mt-1 text-base">
          Nearest open site: {[m.site.facility, m.site.city, m.site.state].filter(Boolean).join(", ")} — about {miles(m.distanceKm)} miles
        </p>
      ) : null}
      <ul className="mt-3 flex flex-col gap-2" aria-label={`Why, for ${m.nctId}`}>
        {m.reasons.map((r) => (
          <li key={r.criterion} className="flex gap-2 text-base" data-criterion={r.criterion} data-outcome={r.outcome}>
            <span aria-hidden="true" className="w-5 shrink-0 font-bold">
              {OUTCOME_MARK[r.outcome]}
            </span>
            <span>
              <strong>
                {CRITERION[r.criterion]} — {r.criterion === "phase" ? "For information" : OUTCOME[r.outcome]}:
              </strong>{" "}
              {r.text}
            </span>
          </li>
        ))}
      </ul>
    </li>
  );
}

function Matches({ matches }: { matches: readonly MatchView[] }) {
  const fit = matches.filter((m) => m.verdict === "eligible");
  const review = matches.filter((m) => m.verdict === "needs_review");
  const no = matches.filter((m) => m.verdict === "not_eligible");
  return (
    <section aria-labelledby="matches-title" className="flex flex-col gap-4" data-testid="matches">
      <h2 id="matches-title" className="text-2xl font-bold">
        Your matches
      </h2>
      <p className="text-base">
        We checked {matches.length} trials: <strong>{fit.length}</strong> eligible, <strong>{review.length}</strong> to be checked by the trial team,{" "}
        <strong>{no.length}</strong> not eligible. &ldquo;Eligible&rdquo; means you meet the trial&apos;s listed cancer type, age, sex and distance; the trial team
        still checks its full criteria. Distances are straight lines from the middle of your ZIP code.
      </p>
      {fit.length + review.length === 0 ? <Alert tone="info">None of the trials in our catalogue fits your answers right now.</Alert> : null}
      {fit.length + review.length > 0 ? (
        <ol className="flex flex-col gap-4">
          {[...fit, ...review].map((m) => (
            <MatchCard key={m.nctId} m={m} />
          ))}
        </ol>
      ) : null}
      {no.length > 0 ? (
        <details className="rounded-2xl border border-slate-200 bg-white p-4">
          <summary className="min-h-12 cursor-pointer py-3 text-base font-semibold">Trials that do not fit ({no.length}), and why</summary>
          <ol className="mt-3 flex flex-col gap-4">
            {no.map((m) => (
              <MatchCard key={m.nctId} m={m} />
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

function ConsentCard({ view }: { view: IntakeView }) {
  const c = view.consent;
  const tz = view.timeZone;
  const when = (iso: string) => `${formatDateTime(new Date(iso), tz)}`;
  return (
    <Card title="Your consent">
      <div className="flex flex-col gap-3" data-testid="consent-record" data-status={c.status} data-sha256={c.sha256}>
        {c.status === "revoked" && c.revokedAt ? (
          <Alert tone="warning">
            <strong>Consent revoked</strong> on {when(c.revokedAt)} by {c.revokedBy}. We have stopped all matching and sharing for this intake.
          </Alert>
        ) : c.status === "expired" ? (
          <Alert tone="warning">
            <strong>Consent expired.</strong> We have stopped all matching and sharing for this intake. Fill in the form again to look for trials.
          </Alert>
        ) : (
          <p className="text-base">
            <strong>Active.</strong> You agreed to release your medical records for trial matching only. You have not agreed to take part in any trial.
          </p>
        )}
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-base sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">Signed by</dt>
          <dd>
            {c.signerName}
            {c.signerRole === "guardian" ? " (for the patient)" : ""}
          </dd>
          <dt className="font-medium">Signed</dt>
          <dd>{when(c.signedAt)}</dd>
          {c.expiresAt ? (
            <>
              <dt className="font-medium">Expires</dt>
              <dd>{when(c.expiresAt)}</dd>
            </>
          ) : null}
          <dt className="font-medium">Text fingerprint</dt>
          <dd className="break-all font-mono text-sm">SHA-256 {c.sha256}</dd>
        </dl>
        <a
          href={`/api/trials/intake/${view.id}/consent.pdf`}
          download
          className="inline-flex min-h-12 items-center justify-center rounded-xl border-2 border-brand-600 bg-white px-5 py-3 text-base font-semibold text-brand-700 hover:bg-brand-50"
        >
          Download your signed consent (PDF)
        </a>
        {c.status === "active" ? (
          <>
            <details className="text-base">
              <summary className="min-h-12 cursor-pointer py-3 font-medium">For a matching partner: FHIR R4 exports</summary>
              <ul className="list-disc pl-6">
                <li>
                  <a className="text-brand-700 underline" href={`/api/trials/intake/${view.id}/fhir/questionnaire-response`}>
                    Answers (QuestionnaireResponse)
                  </a>
                </li>
                <li>
                  <a className="text-brand-700 underline" href={`/api/trials/intake/${view.id}/fhir/consent`}>
                    Consent (Consent)
                  </a>
                </li>
              </ul>
            </details>
            <div className="mt-2 border-t border-slate-200 pt-4">
              <h3 className="mb-2 text-lg font-semibold">Revoke your consent</h3>
              <RevokeForm intakeId={view.id} />
            </div>
          </>
        ) : null}
      </div>
    </Card>
  );
}

export default async function IntakePage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  if (!isIntakeId(id)) notFound();
  const db = await getDb();
  const actor = await currentActor(db);
  const token = (await cookies()).get(intakeCookieName(id))?.value ?? null;
  let view: IntakeView;
  try {
    view = await intakeView(db, await authorizeIntake(db, id, { actor, token }, "read"), new Date());
  } catch (e) {
    if (!(e instanceof AppError) || e.status !== 404) throw e;
    // Same page whether the intake does not exist or is not theirs: ids cannot be probed.
    return (
      <>
        <h1 className="text-3xl font-bold">This intake is private</h1>
        <UnlockFromLink intakeId={id} />
        <p className="text-base">
          Open it with the private link you were given when you sent the form
          {actor ? "" : ", or sign in if you filled it in while signed in"}.
        </p>
        <p className="text-base">
          <Link href="/trials" className="font-semibold text-brand-700 underline">
            Fill in a new form
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="text-3xl font-bold">Your trial matches</h1>
      <PrivateLinkNotice intakeId={view.id} />
      {view.matches ? <Matches matches={view.matches} /> : null}
      <ConsentCard view={view} />
      <Card title="Your answers">
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-base sm:grid-cols-[max-content_1fr]">
          {view.patientName ? (
            <>
              <dt className="font-medium">Patient</dt>
              <dd>{view.patientName}</dd>
            </>
          ) : null}
          <dt className="font-medium">Cancer type</dt>
          <dd>{view.cancerType.label}</dd>
          <dt className="font-medium">ZIP code</dt>
          <dd>{view.zip ?? "—"}</dd>
          {view.travelMiles !== null ? (
            <>
              <dt className="font-medium">Travel</dt>
              <dd>{travelLabel(view.travelMiles)}</dd>
            </>
          ) : null}
          <dt className="font-medium">Sent</dt>
          <dd>{formatDateTime(new Date(view.createdAt), view.timeZone)}</dd>
        </dl>
      </Card>
    </>
  );
}
