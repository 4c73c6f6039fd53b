"use client";
import { useEffect, useState, useSyncExternalStore } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { fragmentToken, subscribeHash, subscribeNothing } from "./link-token";

/**
 * Right after submitting, the page is opened as /trials/intake/<id>#t=<token>. Show that
 * private link once, so the person can keep it, then drop the token from the address bar and
 * history (this browser already holds the access cookie).
 */
export function PrivateLinkNotice({ intakeId }: { intakeId: string }) {
  const token = useSyncExternalStore(subscribeHash, () => fragmentToken(intakeId), () => null);
  const origin = useSyncExternalStore(subscribeNothing, () => window.location.origin, () => "");
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (token && window.location.hash) window.history.replaceState(null, "", window.location.pathname);
  }, [token]);
  if (!token) return null;
  const link = `${origin}/trials/intake/${intakeId}#t=${token}`;
  return (
    <Alert tone="success">
      <p className="font-semibold">Your answers and your consent are saved.</p>
      <p className="mt-1">
        Keep this private link. It lets you come back to your matches, download your consent or revoke it, from any device. Anyone who has the link can
        see your answers, so do not share it. We show it only once.
      </p>
      <label htmlFor="private-link" className="mt-2 block text-sm font-medium">
        Your private link
      </label>
      <input id="private-link" readOnly value={link} data-testid="private-link" className="mt-1 min-h-12 w-full rounded-xl border-2 border-slate-400 bg-white px-3 font-mono text-sm" onFocus={(e) => e.currentTarget.select()} />
      <Button
        type="button"
        variant="secondary"
        className="mt-2"
        onClick={() => {
          void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false));
        }}
      >
        {copied ? "Copied" : "Copy link"}
      </Button>
    </Alert>
  );
}
