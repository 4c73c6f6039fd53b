"use client";
import { useEffect, useState, useSyncExternalStore } from "react";
import { Alert } from "@/components/ui/alert";
import { fragmentToken, subscribeHash } from "./link-token";

/**
 * The private link carries the token in the URL fragment (#t=…), which browsers never send
 * to servers or in Referer headers. This reads it, trades it for the access cookie, then
 * reloads the page without the fragment.
 */
export function UnlockFromLink({ intakeId }: { intakeId: string }) {
  const token = useSyncExternalStore(subscribeHash, () => fragmentToken(intakeId), () => null);
  // Remember which token failed, so pasting another link tries again.
  const [failedFor, setFailedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!token) return;
    fetch(`/api/trials/intake/${intakeId}/access`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }) })
      .then((res) => {
        if (res.ok) window.location.replace(`/trials/intake/${intakeId}`);
        else setFailedFor(token);
      })
      .catch(() => setFailedFor(token));
  }, [intakeId, token]);
  if (token !== null && failedFor === token) {
    return (
      <Alert tone="danger" live>
        This private link does not open this intake. Check that you copied the whole link.
      </Alert>
    );
  }
  return token ? <p className="text-base">Opening your intake…</p> : null;
}
