"use client";

import { usePwaState } from "./pwa-state";

/** "Update available — reload": a new version never replaces the running one behind the user's back. */
export function UpdatePrompt() {
  const { update } = usePwaState();
  if (!update) return null;
  return (
    <div role="status" data-testid="update-available" className="pointer-events-auto flex w-full max-w-md flex-wrap items-center justify-between gap-3 rounded-2xl border-2 border-brand-600 bg-white p-4 text-base shadow-lg">
      <p className="font-semibold">Update available — reload to use the new version.</p>
      <button type="button" onClick={update.apply} className="min-h-12 rounded-xl bg-brand-600 px-5 font-semibold text-white hover:bg-brand-700">
        Reload
      </button>
    </div>
  );
}
