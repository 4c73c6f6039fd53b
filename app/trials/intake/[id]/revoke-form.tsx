"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { zodFieldErrors } from "@/lib/http/errors";
import { revokeSchema } from "@/lib/trials/intake-schema";
import { useHydrated } from "../../_components/controls";

export function RevokeForm({ intakeId }: { intakeId: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = revokeSchema.safeParse({ name });
    if (!parsed.success) {
      setError(zodFieldErrors(parsed.error).name);
      return;
    }
    setPending(true);
    setMessage(null);
    try {
      const res = await fetch(`/api/trials/intake/${intakeId}/revoke`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(parsed.data) });
      if (res.ok) {
        router.refresh();
        return;
      }
      const json = (await res.json().catch(() => null)) as { error?: { message?: string; fields?: Record<string, string> } } | null;
      setError(json?.error?.fields?.name);
      setMessage(json?.error?.fields?.name ? null : (json?.error?.message ?? "We could not revoke your consent. Please try again."));
    } catch {
      setMessage("We could not reach the server. Your consent is not revoked yet; please try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <p className="text-base">
        Revoking stops all further matching and sharing of this intake at once. It cannot undo a release that already happened. You can fill in a new form
        later if you change your mind.
      </p>
      {message ? (
        <Alert tone="danger" live>
          {message}
        </Alert>
      ) : null}
      <Field id="field-revoke-name" label="Type your full name to confirm" name="name" value={name} onChange={(e) => setName(e.target.value)} error={error} autoComplete="off" maxLength={120} />
      <Button type="submit" variant="danger" disabled={pending || !hydrated}>
        {pending ? "Revoking…" : "Revoke consent"}
      </Button>
    </form>
  );
}
