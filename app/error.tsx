"use client";

import { useEffect } from "react";

/**
 * Shown when a page could not be built — most often because the database is briefly unreachable
 * (a restart, a network blip). Nothing on the page is presented as current: it says so plainly
 * and offers a retry. The error's details stay in the server log (`digest` links the two).
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error("[page]", error.digest ?? error.name);
  }, [error]);
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 p-6" role="alert">
      <h1 className="text-2xl font-bold">This page could not be loaded just now</h1>
      <p>
        Pump Portal could not reach its data for a moment, so nothing is shown rather than something that may be out of date. Nothing was
        changed. Please try again in a few seconds.
      </p>
      <p>If your pump is alarming, follow your clinic&apos;s instructions and use the pump&apos;s handheld — do not wait for this app.</p>
      <div className="flex flex-wrap gap-3">
        <button type="button" onClick={() => reset()} className="inline-flex min-h-12 items-center justify-center rounded-xl bg-brand-600 px-5 py-3 text-base font-semibold text-white hover:bg-brand-700">
          Try again
        </button>
        {/* A full page load on purpose: after an error it starts the app afresh. Kept light (no next/link):
            this boundary's code loads with every page. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a className="inline-flex min-h-12 items-center rounded-xl px-5 py-3 font-semibold underline" href="/">
          Go to my home page
        </a>
      </div>
      {error.digest ? <p className="text-sm text-slate-600">Reference for support: {error.digest}</p> : null}
    </main>
  );
}
