"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { careScopeValues } from "@/db/schema/patients";
import { SCOPE_LABEL } from "@/lib/care-links/schemas";
import { createInviteAction, type InviteState } from "./actions";

export function InviteForm({ origin }: { origin: string }) {
  const [state, action, pending] = useActionState<InviteState, FormData>(createInviteAction, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.message ? <Alert tone="danger" live>{state.message}</Alert> : null}
      {state.code ? (
        <Alert tone="success" live>
          <p>
            Invite for <strong>{state.label}</strong> created. Give them this code (shown only once):
          </p>
          <p className="my-2 font-mono text-2xl font-bold tracking-widest" data-testid="invite-code">
            {state.code}
          </p>
          <p className="break-all text-sm">
            Or send this link: {origin}/invite?code={state.code}
          </p>
        </Alert>
      ) : null}
      <Field label="Who is it for?" name="label" hint="For example “Sam (partner)” or their e-mail address." error={state.fields?.label} maxLength={80} />
      <fieldset className="flex flex-col gap-2" aria-describedby={state.fields?.scopes ? "scopes-error" : undefined}>
        <legend className="text-base font-medium">What may they see?</legend>
        {careScopeValues.map((scope) => (
          <label key={scope} className="flex min-h-12 items-center gap-3 text-base">
            <input type="checkbox" name="scopes" value={scope} defaultChecked={scope !== "bolus"} className="h-6 w-6" />
            {SCOPE_LABEL[scope]}
          </label>
        ))}
        {state.fields?.scopes ? (
          <p id="scopes-error" className="text-sm font-medium text-red-800" data-field-error="scopes">
            {state.fields.scopes}
          </p>
        ) : null}
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create invite code"}
      </Button>
    </form>
  );
}
